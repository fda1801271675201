import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConsumptionLoader } from '../../src/core/consumptionLoader';
import { broadcastReportMarkdown } from '../../src/core/reports';
import { SendGuard, sendKey } from '../../src/core/sendGuard';
import type { ConsumptionView } from '../../src/shared/consumptionProtocol';

describe('SendGuard', () => {
  test('a second send to the same target while the first is in flight is not run', async () => {
    const guard = new SendGuard();
    let release!: () => void;
    let sends = 0;
    const send = () =>
      new Promise<string>((resolve) => {
        sends += 1;
        release = () => resolve('sent');
      });
    const first = guard.run(sendKey('session', 'org-1', 'Fix it'), send, () => 'already sending');
    const second = await guard.run(sendKey('session', 'org-1', 'Fix it'), send, () => 'already sending');
    assert.equal(second, 'already sending');
    assert.equal(guard.isSending(sendKey('session', 'org-1', 'Fix it')), true);
    // Another target is independent.
    const other = guard.run(
      sendKey('session', 'org-2', 'Fix it'),
      async () => 'other',
      () => 'already sending',
    );
    assert.equal(await other, 'other');
    release();
    assert.equal(await first, 'sent');
    assert.equal(sends, 1);
    assert.equal(
      await guard.run(
        sendKey('session', 'org-1', 'Fix it'),
        async () => 'again',
        () => 'busy',
      ),
      'again',
    );
  });

  test('a failed send frees its target', async () => {
    const guard = new SendGuard();
    await assert.rejects(
      guard.run(
        'k',
        async () => Promise.reject(new Error('boom')),
        () => 'busy',
      ),
      /boom/,
    );
    assert.equal(guard.isSending('k'), false);
    assert.equal(
      await guard.run(
        'k',
        async () => 'ok',
        () => 'busy',
      ),
      'ok',
    );
  });

  test('keys do not collide when parts contain the separator', () => {
    assert.notEqual(sendKey('session', 'a', 'b|c'), sendKey('session', 'a|b', 'c'));
    assert.equal(sendKey('session', undefined, 'x'), sendKey('session', '', 'x'));
  });
});

describe('send-to-every-organization report', () => {
  test('lists each organization with its session link or its reason, in a table that cannot be broken', () => {
    const markdown = broadcastReportMarkdown(
      'Upgrade Node\nsecond line',
      [
        {
          organizationName: 'Acme',
          organizationId: 'org-a',
          result: 'created',
          sessionUrl: 'https://app.devin.ai/sessions/abc',
          sessionLabel: 'Upgrade Node',
          kept: false,
        },
        {
          organizationName: 'Glo|bex',
          organizationId: 'org-g',
          result: 'failed',
          reason: 'Your Devin API token is invalid or has expired. Run "Devin: Sign In" with a new token.',
          kept: true,
        },
        { organizationName: 'Initech', organizationId: 'org-i', result: 'failed', reason: 'Needs X.', kept: false },
        { organizationName: 'Umbrella', organizationId: 'org-u', result: 'uncertain', reason: 'Lost.', kept: true },
      ],
      Date.UTC(2026, 10, 25, 14, 0),
    );
    assert.match(markdown, /2026-11-25 14:00 UTC: 1 of 4 sessions started, 1 may have been created, 2 failed\./);
    assert.match(markdown, /> Upgrade Node\n/);
    assert.match(
      markdown,
      /\| Acme \(`org-a`\) \| Started \| \[Upgrade Node\]\(https:\/\/app\.devin\.ai\/sessions\/abc\) \|/,
    );
    assert.match(
      markdown,
      /\| Glo\\\|bex \(`org-g`\) \| Failed \(kept for Retry Unsent\) \| Your Devin API token is invalid/,
    );
    assert.match(markdown, /\| Initech \(`org-i`\) \| Failed \| Needs X\. \|/);
    assert.match(markdown, /\| Umbrella \(`org-u`\) \| May have been created \| Lost\. \|/);
    assert.match(markdown, /Retry Unsent first looks for it/);
  });
});

describe('ConsumptionLoader.clear', () => {
  test('a load in flight when the account changes is superseded, not cached', async () => {
    let finish!: (view: ConsumptionView) => void;
    let calls = 0;
    const loader = new ConsumptionLoader(
      () =>
        new Promise<ConsumptionView>((resolve) => {
          calls += 1;
          finish = resolve;
        }),
    );
    const range = { kind: 'preset', days: 7 } as const;
    const pending = loader.load(range, () => undefined);
    loader.clear();
    finish({ organizations: [] } as unknown as ConsumptionView);
    assert.deepEqual(await pending, { kind: 'superseded' });
    const next = loader.load(range, () => undefined);
    assert.equal(calls, 2, 'the next load goes to the network');
    finish({ organizations: [] } as unknown as ConsumptionView);
    assert.equal((await next).kind, 'data');
  });
});
