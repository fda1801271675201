import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextCronRun } from '../../src/core/cron';
import type { Schedule } from '../../src/core/models';
import {
  formatIn,
  lastRunFailed,
  scheduleDescription,
  scheduleLook,
  scheduleNextRun,
  scheduleTooltipMarkdown,
} from '../../src/core/schedulePresentation';

/** When a schedule runs next, and how its row reads: pure functions of the schedule and a clock. */

const at = (iso: string) => Date.parse(iso) / 1000;
/** A Wednesday, 10:17:30 UTC. */
const NOW = at('2026-07-01T10:17:30Z');

function schedule(overrides: Partial<Schedule>): Schedule {
  return {
    id: 'schedule-1',
    orgId: 'org-1',
    name: 'Nightly dependency check',
    prompt: 'Check for outdated dependencies.\nOpen one PR.',
    enabled: true,
    kind: 'recurring',
    frequency: '0 6 * * 1-5',
    scheduledAt: undefined,
    lastExecutedAt: undefined,
    lastError: undefined,
    lastErrorAt: undefined,
    consecutiveFailures: 0,
    ...overrides,
  };
}

test('cron: the next minute the expression names, in UTC, strictly after the given time', () => {
  const iso = (seconds: number | undefined) =>
    seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
  assert.equal(iso(nextCronRun('0 6 * * 1-5', NOW)), '2026-07-02T06:00:00.000Z', 'tomorrow, a Thursday');
  assert.equal(
    iso(nextCronRun('0 6 * * 1-5', at('2026-07-03T07:00:00Z'))),
    '2026-07-06T06:00:00.000Z',
    'Friday → Monday',
  );
  assert.equal(iso(nextCronRun('*/15 * * * *', NOW)), '2026-07-01T10:30:00.000Z');
  assert.equal(
    iso(nextCronRun('*/15 * * * *', at('2026-07-01T10:30:00Z'))),
    '2026-07-01T10:45:00.000Z',
    'strictly after',
  );
  assert.equal(iso(nextCronRun('30 2 * * 1', NOW)), '2026-07-06T02:30:00.000Z');
  assert.equal(iso(nextCronRun('0 0 1 1 *', NOW)), '2027-01-01T00:00:00.000Z');
  assert.equal(iso(nextCronRun('0 12 * * 7', NOW)), '2026-07-05T12:00:00.000Z', '7 is Sunday too');
  assert.equal(iso(nextCronRun('5/20 9 * * *', NOW)), '2026-07-02T09:05:00.000Z', 'a step from a start');
  assert.equal(iso(nextCronRun('0 0 29 2 *', NOW)), '2028-02-29T00:00:00.000Z', 'the next leap day');
  // Both day fields restricted: either one matches (the 13th, or any Friday).
  assert.equal(iso(nextCronRun('0 0 13 * 5', NOW)), '2026-07-03T00:00:00.000Z');
  assert.equal(nextCronRun('0 0 31 2 *', NOW), undefined, 'no such date');
  assert.equal(nextCronRun('every day', NOW), undefined);
  assert.equal(nextCronRun('61 * * * *', NOW), undefined);
  assert.equal(nextCronRun('0 6 * *', NOW), undefined);
});

test('the next run: the cron for a recurring schedule, the time for a one-time one, none when off', () => {
  assert.equal(scheduleNextRun(schedule({}), NOW), at('2026-07-02T06:00:00Z'));
  assert.equal(scheduleNextRun(schedule({ enabled: false }), NOW), undefined);
  const oneTime = schedule({ kind: 'oneTime', frequency: undefined, scheduledAt: at('2026-07-04T09:00:00Z') });
  assert.equal(scheduleNextRun(oneTime, NOW), at('2026-07-04T09:00:00Z'));
  assert.equal(scheduleNextRun({ ...oneTime, scheduledAt: NOW - 60 }, NOW), undefined, 'its time has passed');
});

test('a row reads: next run, on or off, recurring or one-time, and how the last run went', () => {
  assert.equal(scheduleDescription(schedule({}), NOW), 'next run in 20h · recurring');
  assert.equal(
    scheduleDescription(schedule({ lastExecutedAt: NOW - 3 * 86_400 }), NOW),
    'next run in 20h · recurring · last run 3d ago',
  );
  assert.equal(scheduleDescription(schedule({ enabled: false }), NOW), 'paused · recurring');
  assert.equal(
    scheduleDescription(schedule({ kind: 'oneTime', frequency: undefined, scheduledAt: NOW + 3 * 86_400 + 100 }), NOW),
    'next run in 3d · one-time',
  );
  assert.equal(
    scheduleDescription(
      schedule({ kind: 'oneTime', enabled: false, scheduledAt: NOW - 7200, lastExecutedAt: NOW - 7200 }),
      NOW,
    ),
    'done · one-time · last run 2h ago',
  );
  assert.equal(
    scheduleDescription(
      schedule({
        enabled: false,
        lastExecutedAt: NOW - 86_400,
        lastErrorAt: NOW - 86_400,
        lastError: 'Repository not connected',
        consecutiveFailures: 2,
      }),
      NOW,
    ),
    'paused · recurring · last run failed 1d ago',
  );
});

test('a failed last run is told from an old error the schedule has since run past', () => {
  assert.equal(lastRunFailed(schedule({ consecutiveFailures: 1 })), true);
  assert.equal(lastRunFailed(schedule({ lastErrorAt: NOW - 100, lastExecutedAt: NOW - 100 })), true);
  assert.equal(lastRunFailed(schedule({ lastErrorAt: NOW - 86_400, lastExecutedAt: NOW - 100 })), false);
  assert.equal(lastRunFailed(schedule({})), false);
  assert.deepEqual(scheduleLook(schedule({ consecutiveFailures: 3 })), {
    icon: 'warning',
    color: 'problemsWarningIcon.foreground',
  });
  assert.equal(scheduleLook(schedule({ enabled: false })).icon, 'debug-pause');
  assert.equal(scheduleLook(schedule({})).icon, 'clock');
});

test('the hover gives the timing in full, the last error and the prompt, with Markdown escaped', () => {
  const markdown = scheduleTooltipMarkdown(
    schedule({
      name: 'Audit *everything*',
      lastExecutedAt: NOW - 86_400,
      lastErrorAt: NOW - 86_400,
      lastError: 'Repo <b>acme/infra</b> not connected',
      consecutiveFailures: 2,
    }),
    NOW,
  );
  assert.match(markdown, /^\*\*Audit \\\*everything\\\*\*\*/);
  assert.match(markdown, /Recurring: `0 6 \* \* 1-5` \(cron, UTC\)/);
  assert.match(markdown, /Next run: 2026-07-02 06:00 UTC \(in 20h\)/);
  assert.match(markdown, /Last run: 2026-06-30 10:17 UTC \(1d ago\)/);
  assert.match(markdown, /Last error: Repo \\<b\\>acme\/infra\\<\/b\\> not connected/);
  assert.match(markdown, /2 runs in a row have failed/);
  assert.match(markdown, /Prompt: Check for outdated dependencies\\\./);
  assert.doesNotMatch(markdown, /Open one PR/, 'only the first line of the prompt');
});

test('times ahead read as "in …", to the nearest unit', () => {
  assert.equal(formatIn(NOW + 20, NOW), 'in under a minute');
  assert.equal(formatIn(NOW + 125, NOW), 'in 2m');
  assert.equal(formatIn(NOW + 59 * 60 + 40, NOW), 'in 1h', 'never "in 60m"');
  assert.equal(formatIn(NOW + 5 * 3600, NOW), 'in 5h');
  assert.equal(formatIn(NOW + 3 * 86_400 - 3600, NOW), 'in 3d');
  assert.equal(formatIn(NOW + 23 * 3600 + 50 * 60, NOW), 'in 1d', 'never "in 24h"');
  assert.equal(formatIn(NOW + 90 * 86_400, NOW), 'in 3mo');
});
