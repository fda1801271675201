// Deterministic seed for knowledge notes, audit history and daily ACU consumption.

import { DAY_S, dayStart, type Store } from './data';
import { hex, intBetween, mulberry32, pick, round2 } from './prng';
import { SANDBOX_IDENTITIES, SANDBOX_ORG_IDS } from './tokens';
import { sec } from './http';

const NOTE_TOPICS: { name: string; trigger: string; body: string; folder: string; repo: string | null }[] = [
  {
    name: 'Running the test suite',
    trigger: 'When running or writing tests',
    body: 'Use `npm test`. Integration tests need `docker compose up db` first.',
    folder: 'Engineering/Testing',
    repo: null,
  },
  {
    name: 'Commit message style',
    trigger: 'When committing',
    body: 'Conventional commits: `feat:`, `fix:`, `chore:`. Keep the subject under 72 chars.',
    folder: 'Engineering',
    repo: null,
  },
  {
    name: 'Deploying to staging',
    trigger: 'When asked to deploy',
    body: 'Run `make deploy-staging`. Never deploy to production without approval.',
    folder: 'Operations',
    repo: 'acme/infra',
  },
  {
    name: 'Frontend conventions',
    trigger: 'When editing React components',
    body: 'Function components only; styles in CSS modules; no default exports.',
    folder: 'Engineering/Frontend',
    repo: 'acme/web',
  },
  {
    name: 'Database migrations',
    trigger: 'When changing the schema',
    body: 'Add a reversible migration under db/migrations and update the ERD.',
    folder: 'Engineering/Backend',
    repo: 'acme/api',
  },
  {
    name: 'Secrets handling',
    trigger: 'When touching credentials',
    body: 'Never print secrets in logs. Use the org secret `NPM_TOKEN` for private packages.',
    folder: 'Security',
    repo: null,
  },
];

export function seedNotes(store: Store): void {
  const startS = sec(store.startMs);
  const plan: [string, number][] = [
    [SANDBOX_ORG_IDS.acme, 28],
    [SANDBOX_ORG_IDS.globex, 6],
    [SANDBOX_ORG_IDS.xss, 3],
  ];
  plan.forEach(([orgId, count], orgIndex) => {
    const rng = mulberry32(2000 + orgIndex);
    // Folder ids come from their own stream so the notes' seeded ids stay as they were.
    const folderRng = mulberry32(3000 + orgIndex);
    const folderIds = new Map<string, string>();
    const folderId = (path: string): string => {
      let id = folderIds.get(path);
      if (!id) {
        id = `folder-${hex(folderRng)}`;
        folderIds.set(path, id);
        store.noteFolders.set(id, { ownerOrgId: orgId, folder_id: id, path });
      }
      return id;
    };
    for (let i = 0; i < count; i++) {
      const topic = NOTE_TOPICS[i % NOTE_TOPICS.length] as (typeof NOTE_TOPICS)[number];
      const round = Math.floor(i / NOTE_TOPICS.length);
      const created = startS - intBetween(rng, 2 * DAY_S, 200 * DAY_S);
      const xss = orgId === SANDBOX_ORG_IDS.xss && i === 0;
      const note = {
        note_id: `note-${hex(rng)}`,
        name: xss
          ? '<b onmouseover="alert(1)">Hover me</b>'
          : round === 0
            ? topic.name
            : `${topic.name} (${round + 1})`,
        body: xss ? '<script>alert("note")</script> Plain text after the script tag.' : topic.body,
        trigger: topic.trigger,
        folder_id: folderId(topic.folder),
        folder_path: topic.folder,
        is_enabled: i % 9 !== 8,
        macro: null,
        pinned_repo: topic.repo,
        org_id: i === 1 ? null : orgId,
        access_type: i === 1 ? ('enterprise' as const) : ('org' as const),
        created_at: created,
        updated_at: created + intBetween(rng, 0, DAY_S),
      };
      store.notes.set(note.note_id, { ...note, ownerOrgId: orgId });
    }
  });
}

const AUDIT_ACTIONS: [string, number][] = [
  ['login', 30],
  ['create_session', 30],
  ['send_message', 25],
  ['terminate_session', 6],
  ['sleep_session', 5],
  ['create_knowledge', 4],
  ['edit_knowledge', 4],
  ['delete_knowledge', 1],
  ['create_secret', 2],
  ['create_playbook', 2],
  ['update_org', 1],
  ['create_service_user', 1],
  ['create_service_user_api_key', 1],
  ['create_pat', 1],
  ['ai_guardrail_violation', 1],
  ['some_future_action', 1],
];

export function seedAudit(store: Store): void {
  const rng = mulberry32(3000);
  const startS = sec(store.startMs);
  const orgIds = [SANDBOX_ORG_IDS.acme, SANDBOX_ORG_IDS.acme, SANDBOX_ORG_IDS.globex, SANDBOX_ORG_IDS.xss];
  const total = AUDIT_ACTIONS.reduce((n, a) => n + a[1], 0);
  const entries = [];
  for (let i = 0; i < 700; i++) {
    let r = rng() * total;
    const action = (AUDIT_ACTIONS.find((a) => (r -= a[1]) < 0) ?? AUDIT_ACTIONS[0])![0];
    const actor = rng();
    const human = actor < 0.6;
    const member = actor < 0.2;
    const createdAt = startS - intBetween(rng, 60, 130 * DAY_S);
    const orgId = action === 'login' ? null : pick(rng, orgIds);
    entries.push({
      audit_log_id: `audit-${hex(rng, 24)}`,
      action,
      created_at: createdAt,
      data: action.includes('session') || action === 'send_message' ? { session_id: `devin-${hex(rng)}` } : {},
      org_id: orgId,
      service_user_id: human
        ? null
        : actor < 0.8
          ? SANDBOX_IDENTITIES.orgServiceUser.serviceUserId
          : SANDBOX_IDENTITIES.enterpriseAdmin.serviceUserId,
      service_user_name: human
        ? null
        : actor < 0.8
          ? SANDBOX_IDENTITIES.orgServiceUser.name
          : SANDBOX_IDENTITIES.enterpriseAdmin.name,
      user_email: member
        ? SANDBOX_IDENTITIES.member.email
        : human
          ? pick(rng, ['alice@example.com', 'bob@example.com'])
          : null,
      user_id: member
        ? SANDBOX_IDENTITIES.member.userId
        : human
          ? pick(rng, ['user-alice-0001', 'user-bob-0002'])
          : null,
    });
  }
  entries.sort((a, b) => a.created_at - b.created_at);
  store.auditLog.push(...entries);
}

const DAILY_LEVEL: [string, number][] = [
  [SANDBOX_ORG_IDS.acme, 40],
  [SANDBOX_ORG_IDS.globex, 12],
  [SANDBOX_ORG_IDS.xss, 3],
];
export const CONSUMPTION_HISTORY_DAYS = 120;

export function seedConsumption(store: Store): void {
  const startS = sec(store.startMs);
  const today = dayStart(startS);
  DAILY_LEVEL.forEach(([orgId, level], index) => {
    const rng = mulberry32(4000 + index);
    const days = new Map<number, { devin: number; cascade: number; terminal: number; review: number }>();
    for (let d = CONSUMPTION_HISTORY_DAYS; d >= 0; d--) {
      const day = today - d * DAY_S;
      const weekday = new Date(day * 1000).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      const r = rng();
      if (r < 0.12 || (weekend && r < 0.4)) continue; // zero days are absent from responses
      // today is only partly over, so it gets a proportional share
      const share = d === 0 ? Math.max(0.05, (startS - day) / DAY_S) : 1;
      const totalAcus = level * (weekend ? 0.3 : 1) * (0.5 + rng()) * share;
      const devinShare = 0.78 + rng() * 0.14;
      const rest = totalAcus * (1 - devinShare);
      days.set(day, {
        devin: round2(totalAcus * devinShare),
        cascade: round2(rest * 0.5),
        terminal: round2(rest * 0.3),
        review: round2(rest * 0.2),
      });
    }
    store.consumption.set(orgId, days);
  });
}
