import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { collectPages, usableNextCursor } from '../../src/core/paging';
import type { Page } from '../../src/core/models';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

/** Every cursor loop ends: on the last page, an empty page, a cursor seen before, the item limit or the page cap. */

function page(items: number[], nextCursor?: string): Page<number> {
  return { items, nextCursor, total: undefined };
}

describe('collectPages stops', () => {
  test('on an empty page that claims a next page', async () => {
    let calls = 0;
    const result = await collectPages(async () => {
      calls += 1;
      return calls === 1 ? page([1, 2], 'b') : page([], `c${calls}`);
    }, 1000);
    assert.deepEqual(result, { items: [1, 2], truncated: true, stop: 'emptyPage' });
    assert.equal(calls, 2);
  });

  test('on a cursor handed back unchanged, or one followed before', async () => {
    const asked: (string | undefined)[] = [];
    const same = await collectPages(async (after) => {
      asked.push(after);
      return page([asked.length], 'stuck');
    }, 1000);
    assert.equal(same.stop, 'repeatedCursor');
    assert.deepEqual(asked, [undefined, 'stuck']);

    const cycle: Record<string, Page<number>> = { start: page([1], 'a'), a: page([2], 'b'), b: page([3], 'a') };
    const cycled = await collectPages(async (after) => cycle[after ?? 'start'] as Page<number>, 1000);
    assert.deepEqual(cycled, { items: [1, 2, 3], truncated: true, stop: 'repeatedCursor' });
  });

  test('at the page cap when every page is new but tiny', async () => {
    let calls = 0;
    const result = await collectPages(async () => page([++calls], `cursor-${calls}`), 10_000, undefined, 7);
    assert.equal(calls, 7);
    assert.equal(result.stop, 'pageCap');
    assert.equal(result.truncated, true);
  });

  test('with a default page cap, so no caller can loop without end', async () => {
    let calls = 0;
    const result = await collectPages(async () => page([++calls], `cursor-${calls}`), Number.POSITIVE_INFINITY);
    assert.equal(result.stop, 'pageCap');
    assert.ok(calls <= 50, `${calls} pages`);
  });
});

test('Load more is offered only for a page that brought something new with a new cursor', () => {
  assert.equal(usableNextCursor(page([1], 'b'), 'a'), 'b');
  assert.equal(usableNextCursor(page([], 'b'), 'a'), undefined, 'empty page');
  assert.equal(usableNextCursor(page([1], 'a'), 'a'), undefined, 'same cursor');
  assert.equal(usableNextCursor(page([1], 'b'), 'a', 0), undefined, 'only rows already shown');
  assert.equal(usableNextCursor(page([1]), 'a'), undefined, 'last page');
});

describe('against the sandbox', () => {
  let sandbox: Sandbox;
  const client = () =>
    new DevinClient({
      baseUrl: sandbox.baseUrl,
      apiVersion: 'v3',
      getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
      sleep: async () => undefined,
    });
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());
  afterEach(() => sandbox.reset());

  for (const cursor of ['repeat', 'fresh'] as const) {
    test(`a server that always claims more (${cursor} cursor) gets a handful of requests, not thousands`, async () => {
      const api = client();
      const orgId = SANDBOX_ORG_IDS.acme;
      // The first page is real; every page after it is empty yet claims another.
      sandbox.faults.inject({
        kind: 'emptyPageClaimsMore',
        cursor,
        times: Infinity,
        match: { pathIncludes: 'after=' },
      });
      const result = await collectPages((after) => api.listSessions(orgId, { first: 50, after }), 5000);
      assert.equal(result.items.length, 50);
      assert.equal(result.stop, 'emptyPage');
      assert.equal(sandbox.requests.length, 2);
      await api.dispose();
    });
  }

  test('a repeated cursor over real pages stops after the second request', async () => {
    const api = client();
    const orgId = SANDBOX_ORG_IDS.acme;
    // The second page hands back the cursor the client sent, as a stuck server would.
    const first = await api.listSessions(orgId, { first: 5 });
    sandbox.requests.length = 0;
    const result = await collectPages(async (after) => {
      const real = await api.listSessions(orgId, { first: 5, after });
      return after ? { ...real, nextCursor: after } : { ...real, nextCursor: first.nextCursor };
    }, 5000);
    assert.equal(result.stop, 'repeatedCursor');
    assert.equal(sandbox.requests.length, 2);
    await api.dispose();
  });
});
