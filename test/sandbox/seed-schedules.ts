// Deterministic seed for scheduled sessions (§4.10) and the seeded sessions they started, which the
// session lists find by `schedule_id`. Every kind of row the view draws is here: recurring and one-time,
// on and paused, a last run that went well and one that failed, and a schedule that never ran.

import type { ScheduleRecord, SessionRecord, Store } from './data';
import { DAY_S } from './data';
import { sec } from './http';
import { SANDBOX_IDENTITIES, SANDBOX_ORG_IDS } from './tokens';

/** Fixed ids, so tests and the demo can name the seeded schedules. */
export const SANDBOX_SCHEDULE_IDS = Object.freeze({
  /** Acme, recurring, on, two runs (the last one went well). */
  nightly: 'schedule-5eed00000000000000000a01',
  /** Acme, recurring, paused after its last run failed twice in a row; one run. */
  audit: 'schedule-5eed00000000000000000a02',
  /** Acme, one-time, on, in three days; never ran. */
  release: 'schedule-5eed00000000000000000a03',
  /** Globex, recurring, on, never ran. */
  triage: 'schedule-5eed00000000000000000b01',
});

const iso = (unixS: number) => new Date(unixS * 1000).toISOString();

export function seedSchedules(store: Store): void {
  const startS = sec(store.startMs);
  // Runs are ended sessions of Acme that the default view lists (not archived), newest first.
  const runs = [...store.sessions.values()]
    .filter((s) => s.org_id === SANDBOX_ORG_IDS.acme && s.status === 'exit' && !s.is_archived)
    .sort((a, b) => b.created_at - a.created_at);
  const nightlyRuns = runs.slice(0, 2);
  const auditRuns = runs
    .slice(2)
    .filter((s) => s.created_at < startS - 3 * DAY_S)
    .slice(0, 1);
  for (const s of nightlyRuns) s.schedule_id = SANDBOX_SCHEDULE_IDS.nightly;
  for (const s of auditRuns) s.schedule_id = SANDBOX_SCHEDULE_IDS.audit;
  const lastRun = (sessions: SessionRecord[]) => (sessions[0] ? sessions[0].created_at : startS - DAY_S);

  const base = (
    id: string,
    orgId: string,
    fields: Pick<ScheduleRecord, 'name' | 'prompt' | 'schedule_type' | 'frequency' | 'scheduled_at' | 'enabled'>,
    createdS: number,
  ): ScheduleRecord => ({
    scheduled_session_id: id,
    org_id: orgId,
    ...fields,
    agent: 'devin',
    notify_on: 'failure',
    playbook: null,
    tags: [],
    consecutive_failures: 0,
    last_executed_at: null,
    last_error_at: null,
    last_error_message: null,
    created_by: SANDBOX_IDENTITIES.enterpriseAdmin.serviceUserId,
    last_edited_by: SANDBOX_IDENTITIES.enterpriseAdmin.serviceUserId,
    created_at: iso(createdS),
    updated_at: iso(createdS),
  });

  const records: ScheduleRecord[] = [
    {
      ...base(
        SANDBOX_SCHEDULE_IDS.nightly,
        SANDBOX_ORG_IDS.acme,
        {
          name: 'Nightly dependency check',
          prompt: 'Check acme/web for outdated dependencies and open one PR with the safe upgrades.',
          schedule_type: 'recurring',
          frequency: '0 6 * * 1-5',
          scheduled_at: null,
          enabled: true,
        },
        startS - 60 * DAY_S,
      ),
      last_executed_at: iso(lastRun(nightlyRuns)),
    },
    {
      ...base(
        SANDBOX_SCHEDULE_IDS.audit,
        SANDBOX_ORG_IDS.acme,
        {
          name: 'Weekly security audit',
          prompt: 'Run the security audit on acme/infra and summarise new findings.',
          schedule_type: 'recurring',
          frequency: '30 2 * * 1',
          scheduled_at: null,
          enabled: false,
        },
        startS - 90 * DAY_S,
      ),
      // The two latest runs failed before starting a session; the one before them started one.
      last_executed_at: iso(startS - 3 * DAY_S),
      consecutive_failures: 2,
      last_error_at: iso(startS - 3 * DAY_S),
      last_error_message: 'Repository acme/infra is not connected to this organization.',
    },
    base(
      SANDBOX_SCHEDULE_IDS.release,
      SANDBOX_ORG_IDS.acme,
      {
        name: 'Draft release notes',
        prompt: 'Draft the release notes for the next version from the merged PRs.',
        schedule_type: 'one_time',
        frequency: null,
        scheduled_at: iso(startS + 3 * DAY_S),
        enabled: true,
      },
      startS - 2 * DAY_S,
    ),
    base(
      SANDBOX_SCHEDULE_IDS.triage,
      SANDBOX_ORG_IDS.globex,
      {
        name: 'Flaky test triage',
        prompt: 'Look at the last day of CI failures in globex/platform and list the flaky tests.',
        schedule_type: 'recurring',
        frequency: '0 */4 * * *',
        scheduled_at: null,
        enabled: true,
      },
      startS - 10 * DAY_S,
    ),
  ];
  for (const record of records) store.schedules.set(record.scheduled_session_id, record);
}
