import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { DevinApiError } from '../../src/api/errors';
import { listSessionsCreatedIn } from '../../src/api/sessionsCreatedInRange';
import { resolveRange } from '../../src/core/consumptionSeries';
import type { Organization, Session } from '../../src/core/models';
import { shapeSessionUsage } from '../../src/core/sessionUsageRows';
import type { SessionUsageRow } from '../../src/shared/consumptionProtocol';
import { parseConsumptionPageMessage } from '../../src/webview/consumptionMessages';

import {
  DEFAULT_SESSION_SORT,
  SESSION_TOP_ROWS,
  isSessionSort,
  nextSessionSort,
  sessionRowLabel,
  sortSessionRows,
  visibleSessionRows,
} from '../../src/shared/sessionUsageSort';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';
import { sessionFixture } from './sessionFixture';

const isPageToHost = (value: unknown): boolean => parseConsumptionPageMessage(value) !== undefined;

/** The per-session table's data: ordering and cutting (shared with the page), shaping, and listing over HTTP. */

function row(sessionId: string, fields: Partial<SessionUsageRow> = {}): SessionUsageRow {
  return {
    sessionId,
    orgId: 'org-a',
    title: null,
    organization: 'Acme',
    status: 'Finished',
    acus: 1,
    createdAt: 1_000,
    ...fields,
  };
}

const ids = (rows: readonly SessionUsageRow[]) => rows.map((item) => item.sessionId);

describe('sorting the session table', () => {
  const rows = [
    row('devin-a', { title: 'Fix login', acus: 3.5, createdAt: 300, organization: 'Globex', status: 'Working' }),
    row('devin-b', { title: null, acus: 12, createdAt: 100, organization: 'Acme', status: 'Ended' }),
    row('devin-c', { title: 'add tests', acus: null, createdAt: 200, organization: 'Initech', status: 'Error' }),
    row('devin-d', { title: 'Bump deps', acus: 3.5, createdAt: null, organization: 'Acme', status: 'Working' }),
  ];

  test('defaults to ACUs, largest first; a missing figure goes last and ties go to the newest', () => {
    assert.deepEqual(DEFAULT_SESSION_SORT, { key: 'acus', direction: 'descending' });
    assert.deepEqual(ids(sortSessionRows(rows, DEFAULT_SESSION_SORT)), ['devin-b', 'devin-a', 'devin-d', 'devin-c']);
    assert.deepEqual(ids(sortSessionRows(rows, { key: 'acus', direction: 'ascending' })), [
      'devin-a',
      'devin-d',
      'devin-b',
      'devin-c',
    ]);
  });

  test('the session column sorts by title, or by id for a session without one', () => {
    assert.equal(sessionRowLabel(rows[1] as SessionUsageRow), 'devin-b');
    assert.equal(sessionRowLabel(row('devin-x', { title: '   ' })), 'devin-x');
    const byName = sortSessionRows(rows, { key: 'session', direction: 'ascending' }, (a, b) =>
      a.localeCompare(b, 'en', { sensitivity: 'base' }),
    );
    assert.deepEqual(byName.map(sessionRowLabel), ['add tests', 'Bump deps', 'devin-b', 'Fix login']);
    const reversed = sortSessionRows(rows, { key: 'session', direction: 'descending' }, (a, b) =>
      a.localeCompare(b, 'en', { sensitivity: 'base' }),
    );
    assert.deepEqual(reversed.map(sessionRowLabel), ['Fix login', 'devin-b', 'Bump deps', 'add tests']);
  });

  test('organization, status and created sort with ties broken by ACUs, never by input order', () => {
    assert.deepEqual(ids(sortSessionRows(rows, { key: 'organization', direction: 'ascending' })), [
      'devin-b',
      'devin-d',
      'devin-a',
      'devin-c',
    ]);
    assert.deepEqual(ids(sortSessionRows(rows, { key: 'status', direction: 'ascending' })), [
      'devin-b',
      'devin-c',
      'devin-a',
      'devin-d',
    ]);
    assert.deepEqual(ids(sortSessionRows(rows, { key: 'created', direction: 'descending' })), [
      'devin-a',
      'devin-c',
      'devin-b',
      'devin-d',
    ]);
    for (const sort of [
      DEFAULT_SESSION_SORT,
      { key: 'status', direction: 'descending' },
      { key: 'organization', direction: 'ascending' },
    ] as const)
      assert.deepEqual(ids(sortSessionRows([...rows].reverse(), sort)), ids(sortSessionRows(rows, sort)));
    assert.deepEqual(ids(rows), ['devin-a', 'devin-b', 'devin-c', 'devin-d'], 'the input is left as it was');
  });

  test('a header flips its own column and starts another the way people read it first', () => {
    assert.deepEqual(nextSessionSort(DEFAULT_SESSION_SORT, 'acus'), { key: 'acus', direction: 'ascending' });
    assert.deepEqual(nextSessionSort({ key: 'acus', direction: 'ascending' }, 'acus'), DEFAULT_SESSION_SORT);
    assert.deepEqual(nextSessionSort(DEFAULT_SESSION_SORT, 'session'), { key: 'session', direction: 'ascending' });
    assert.deepEqual(nextSessionSort(DEFAULT_SESSION_SORT, 'organization'), {
      key: 'organization',
      direction: 'ascending',
    });
    assert.deepEqual(nextSessionSort(DEFAULT_SESSION_SORT, 'created'), { key: 'created', direction: 'descending' });
  });

  test('a saved order is checked before it is trusted', () => {
    assert.equal(isSessionSort({ key: 'status', direction: 'descending' }), true);
    assert.equal(isSessionSort({ key: 'title', direction: 'descending' }), false);
    assert.equal(isSessionSort({ key: 'acus', direction: 'up' }), false);
    assert.equal(isSessionSort(null), false);
  });
});

describe('cutting the session table', () => {
  const many = Array.from({ length: 60 }, (_, index) => index);

  test('draws the top rows and counts the rest until everything is asked for', () => {
    const top = visibleSessionRows(many, false);
    assert.equal(top.rows.length, SESSION_TOP_ROWS);
    assert.deepEqual(top.rows, many.slice(0, SESSION_TOP_ROWS));
    assert.equal(top.hidden, 60 - SESSION_TOP_ROWS);
    assert.deepEqual(visibleSessionRows(many, true), { rows: many, hidden: 0 });
    assert.deepEqual(visibleSessionRows(many.slice(0, SESSION_TOP_ROWS), false).hidden, 0);
  });
});

function session(id: string, fields: Partial<Session> = {}): Session {
  return sessionFixture({
    id,
    orgId: 'org-a',
    statusDetail: 'finished',
    title: undefined,
    createdAt: undefined,
    updatedAt: undefined,
    acusConsumed: undefined,
    origin: undefined,
    ...fields,
  });
}

function organization(id: string, name: string): Organization {
  return { id, name, createdAt: undefined, maxCycleAcuLimit: undefined, maxSessionAcuLimit: undefined };
}

describe('shaping the listed sessions', () => {
  const range = resolveRange({ kind: 'custom', start: '2025-01-01', end: '2025-01-07' }, 0);

  test('keeps the sessions created in the range once each, with their organization, status and ACUs', () => {
    const view = shapeSessionUsage(
      range,
      {
        sessions: [
          session('devin-1', { title: 'One', createdAt: range.timeAfter, acusConsumed: 0.1 }),
          session('devin-2', { orgId: 'org-b', createdAt: range.timeBefore - 1, acusConsumed: 0.2, status: 'exit' }),
          session('devin-1', { title: 'One again', createdAt: range.timeAfter, acusConsumed: 0.1 }),
          session('devin-old', { createdAt: range.timeAfter - 1, acusConsumed: 50 }),
          session('devin-late', { createdAt: range.timeBefore, acusConsumed: 50 }),
          session('devin-3', { orgId: 'org-gone', acusConsumed: Number.NaN }),
          session('devin-4', { acusConsumed: -2, status: 'running', statusDetail: 'waiting_for_user' }),
        ],
        truncated: true,
        unreadable: [organization('org-x', 'Hidden Org')],
      },
      [organization('org-a', 'Acme'), organization('org-b', 'Globex')],
    );
    assert.deepEqual(
      view.sessions.map((item) => [item.sessionId, item.organization, item.status, item.acus, item.title]),
      [
        ['devin-1', 'Acme', 'Finished', 0.1, 'One'],
        ['devin-2', 'Globex', 'Ended', 0.2, null],
        ['devin-3', 'org-gone', 'Finished', null, null],
        ['devin-4', 'Acme', 'Waiting for you', null, null],
      ],
    );
    assert.equal(view.total, 0.3, 'summed without float noise; sessions without a figure add nothing');
    assert.deepEqual(view.range, { start: '2025-01-01', end: '2025-01-07' });
    assert.equal(view.truncated, true);
    assert.deepEqual(view.unreadableOrganizations, ['Hidden Org']);
    assert.equal(view.sessions[2]?.createdAt, null);
  });
});

describe('page messages about sessions', () => {
  test('the host accepts a session link only in the shape it made, and a retry only with a range', () => {
    assert.equal(isPageToHost({ type: 'openSession', orgId: 'org-a', sessionId: 'devin-abc123' }), true);
    assert.equal(isPageToHost({ type: 'openSession', orgId: 'org-a', sessionId: 'abc123' }), false);
    assert.equal(isPageToHost({ type: 'openSession', orgId: '', sessionId: 'devin-abc123' }), false);
    assert.equal(isPageToHost({ type: 'openSession', orgId: 'org-a', sessionId: 'devin-../../x' }), false);
    assert.equal(isPageToHost({ type: 'openSession', orgId: 7, sessionId: 'devin-abc123' }), false);
    assert.equal(isPageToHost({ type: 'retrySessions', range: { kind: 'preset', days: 30 } }), true);
    assert.equal(isPageToHost({ type: 'retrySessions', range: { kind: 'preset', days: 31 } }), false);
    assert.equal(isPageToHost({ type: 'sessionsRendered', report: {} }), true);
    assert.equal(isPageToHost({ type: 'sessionsRendered' }), false);
  });
});

describe('listing the sessions of a range against the sandbox', () => {
  let sandbox: Sandbox;
  const range = resolveRange({ kind: 'preset', days: 90 }, Date.now());

  function client(token: string): DevinClient {
    return new DevinClient({
      baseUrl: sandbox.baseUrl,
      apiVersion: 'v3',
      getToken: async () => token,
      timeoutMs: 5000,
      sleep: async () => undefined,
      random: () => 0.5,
    });
  }

  /** Straight from the sandbox over HTTP: the ids of every session created in the range. */
  async function expectedIds(token: string, orgIds: readonly string[]): Promise<string[]> {
    const api = apiClient(sandbox.baseUrl, token);
    const found: string[] = [];
    for (const orgId of orgIds) {
      let cursor: string | null = null;
      do {
        const query = `created_after=${range.timeAfter}&created_before=${range.timeBefore}&first=200`;
        const page: { json: { items: { session_id: string }[]; end_cursor: string | null } } = await api.get(
          `/v3/organizations/${orgId}/sessions?${query}${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`,
        );
        // Some sessions come back with bare ids; the client names every one `devin-…`.
        found.push(...page.json.items.map((item) => item.session_id.replace(/^(?!devin-)/, 'devin-')));
        cursor = page.json.end_cursor;
      } while (cursor);
    }
    return found.sort();
  }

  async function organizations(): Promise<Organization[]> {
    return [...(await client(SANDBOX_TOKENS.enterpriseAdmin).listOrganizations({ first: 200 })).items];
  }

  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  afterEach(() => sandbox.reset());

  test('an enterprise token reads one list across organizations, on the day boundaries of the chart', async () => {
    const all = await organizations();
    sandbox.requests.length = 0;
    const progress: number[] = [];
    const listed = await listSessionsCreatedIn(
      client(SANDBOX_TOKENS.enterpriseAdmin),
      { kind: 'enterprise', organizations: all },
      { range, onProgress: (step) => progress.push(step.completed) },
    );
    const requests = sandbox.requests.filter((request) => request.path.endsWith('/sessions'));
    assert.ok(requests.length > 0);
    for (const request of requests) {
      assert.equal(request.path, '/v3/enterprise/sessions');
      assert.equal(request.query.created_after, String(range.timeAfter));
      assert.equal(request.query.created_before, String(range.timeBefore));
      assert.equal(request.query.first, '200');
    }
    const expected = await expectedIds(
      SANDBOX_TOKENS.enterpriseAdmin,
      all.map((item) => item.id),
    );
    assert.ok(expected.length > 0, 'the sandbox has sessions in the range');
    assert.deepEqual(listed.sessions.map((item) => item.id).sort(), expected);
    assert.equal(listed.truncated, false);
    assert.deepEqual(listed.unreadable, []);
    assert.equal(progress.at(-1), expected.length);
  });

  test('without the enterprise list, each organization is read and those out of reach are named', async () => {
    const all = await organizations();
    sandbox.requests.length = 0;
    const listed = await listSessionsCreatedIn(
      client(SANDBOX_TOKENS.member),
      { kind: 'enterprise', organizations: all },
      { range },
    );
    assert.ok(sandbox.requests.some((request) => request.path === '/v3/enterprise/sessions'));
    const readable: string[] = [SANDBOX_ORG_IDS.acme, SANDBOX_ORG_IDS.globex];
    assert.deepEqual(listed.sessions.map((item) => item.id).sort(), await expectedIds(SANDBOX_TOKENS.member, readable));
    assert.deepEqual(
      listed.unreadable.map((item) => item.id).sort(),
      all
        .map((item) => item.id)
        .filter((id) => !readable.includes(id))
        .sort(),
    );
  });

  test('a token that may read none of them gets the refusal rather than an empty table', async () => {
    const refused = [organization(SANDBOX_ORG_IDS.xss, 'XSS'), organization(SANDBOX_ORG_IDS.empty, 'Empty')];
    await assert.rejects(
      listSessionsCreatedIn(client(SANDBOX_TOKENS.member), { kind: 'enterprise', organizations: refused }, { range }),
      (error: unknown) => error instanceof DevinApiError && error.kind === 'forbidden',
    );
  });

  test('a cancelled load stops', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      listSessionsCreatedIn(
        client(SANDBOX_TOKENS.orgServiceUser),
        { kind: 'organization', organizations: [organization(SANDBOX_ORG_IDS.acme, 'Acme')] },
        { range, signal: controller.signal },
      ),
    );
  });
});
