// Deterministic seed: organizations and their sessions with message histories. Everything is
// positioned relative to the sandbox start time so "last 90 days" views always have data.

import { DAY_S, type MessageRecord, type SessionRecord, type Store } from './data';
import { hex, intBetween, mulberry32, pick, round2, type Rng } from './prng';
import { SANDBOX_IDENTITIES, SANDBOX_ORG_IDS } from './tokens';
import { seedAudit, seedConsumption, seedNotes } from './seed-extra';
import { seedSchedules } from './seed-schedules';
import { sec } from './http';

export const XSS_ORG_NAME = `<img src=x onerror="alert(1)"><script>alert('xss')</script> Labs`;

const ORGS: {
  id: string;
  name: string;
  sessions: number;
  ageDays: number;
  cycle: number | null;
  perSession: number | null;
}[] = [
  { id: SANDBOX_ORG_IDS.acme, name: 'Acme Robotics', sessions: 262, ageDays: 400, cycle: 5000, perSession: 50 },
  { id: SANDBOX_ORG_IDS.globex, name: 'Globex Platform', sessions: 45, ageDays: 300, cycle: 1500, perSession: null },
  { id: SANDBOX_ORG_IDS.xss, name: XSS_ORG_NAME, sessions: 15, ageDays: 120, cycle: null, perSession: 10 },
  {
    id: SANDBOX_ORG_IDS.empty,
    name: 'Initech (no activity yet)',
    sessions: 0,
    ageDays: 2,
    cycle: null,
    perSession: null,
  },
];

const PROMPTS: { title: string; prompt: string }[] = [
  {
    title: 'Fix flaky login test',
    prompt: 'Fix the flaky login test in tests/e2e/login.spec.ts\nIt fails about 1 in 5 runs on CI with a timeout.',
  },
  { title: 'Upgrade to Node 20', prompt: 'Upgrade the build and CI to Node 20 and fix whatever breaks.' },
  {
    title: 'Add pagination to /api/orders',
    prompt: 'Add cursor pagination to GET /api/orders (first/after), keep the old offset params working.',
  },
  {
    title: 'Write unit tests for the billing module',
    prompt: 'Write unit tests for src/billing/*.ts, aim for 90% branch coverage.',
  },
  {
    title: 'Migrate lodash to native',
    prompt: 'Replace lodash usage with native JS where trivial.\n\nDo not touch the vendored code under third_party/.',
  },
  {
    title: 'Investigate memory leak in worker',
    prompt: 'The queue worker RSS grows ~50MB/hour. Find out why and propose a fix.',
  },
  { title: 'Document the REST API', prompt: 'Generate markdown docs for every public REST endpoint in services/api.' },
  {
    title: 'Fix <script>alert(1)</script> rendering in README',
    prompt: 'The README shows raw <script>alert(1)</script> tags & "quotes" in the badge section; escape them.',
  },
  {
    title: 'Set up Dependabot',
    prompt: 'Add a dependabot.yml for npm and GitHub Actions, weekly, grouped minor updates.',
  },
  {
    title: 'Refactor the auth middleware',
    prompt: 'Refactor middleware/auth.ts into smaller functions without changing behaviour.',
  },
  {
    title: 'Add dark mode to settings page',
    prompt: 'Add a dark mode toggle to the settings page; persist it in localStorage.',
  },
  { title: 'Speed up CI', prompt: 'CI takes 25 minutes. Cache dependencies and parallelise the test shards.' },
  {
    title: 'Fix N+1 queries in dashboard',
    prompt: 'The /dashboard endpoint issues one query per project. Batch them.',
  },
  {
    title: 'Translate error messages to French',
    prompt: "Traduire les messages d'erreur de l'application en français (fichier locales/fr.json).",
  },
  { title: 'Bump TypeScript to 5.9', prompt: 'Bump TypeScript to 5.9 and fix the new strictness errors.' },
  {
    title: 'Analyse Q3 support tickets 📊',
    prompt: 'Analyse the Q3 support tickets export (tickets.csv) and summarise the top 5 themes 📊.',
  },
];

const STATUS_DETAILS_SUSPENDED = [
  'inactivity',
  'user_request',
  'usage_limit_exceeded',
  'out_of_credits',
  'out_of_quota',
  'no_quota_allocation',
  'payment_declined',
  'org_usage_limit_exceeded',
  'total_session_limit_exceeded',
  'error',
];

/** Every documented status/status_detail once, plus values from the future that clients must tolerate. */
const FORCED: [string, string | null][] = [
  ['running', 'working'],
  ['running', 'waiting_for_user'],
  ['running', 'waiting_for_approval'],
  ['running', 'finished'],
  ['new', null],
  ['claimed', null],
  ['resuming', null],
  ['exit', null],
  ['error', null],
  ['hibernating', 'dreaming_of_electric_sheep'],
  ...STATUS_DETAILS_SUSPENDED.map((d): [string, string] => ['suspended', d]),
  ['running', 'pondering'],
];

const WEIGHTED: [string, string | null, number][] = [
  ['exit', null, 45],
  ['suspended', 'inactivity', 22],
  ['suspended', 'user_request', 3],
  ['running', 'finished', 10],
  ['error', null, 7],
  ['running', 'waiting_for_user', 5],
  ['running', 'working', 4],
  ['suspended', 'out_of_credits', 2],
  ['new', null, 1],
  ['claimed', null, 1],
];

const ORIGINS = ['webapp', 'slack', 'api', 'linear', 'jira', 'cli', 'teams', 'automation', 'desktop', 'other'];
const CATEGORIES = [
  'bug_fixing',
  'ci_cd_and_devops',
  'code_quality_and_security',
  'documentation_and_content',
  'feature_development',
  'migrations_and_upgrades',
  'refactoring_and_optimization',
  'research_and_exploration',
  'unit_test_generation',
];
const TAGS = ['frontend', 'backend', 'bug', 'urgent', 'docs', 'infra', 'vscode', 'tech-debt'];
const USERS = ['user-alice-0001', 'user-bob-0002', 'google-oauth2|108234', 'email|carol@example.com'];
const REPOS = ['acme/web', 'acme/api', 'acme/infra', 'globex/platform', 'globex/mobile'];
const LIVE_STATUSES = new Set(['running', 'new', 'claimed', 'resuming']);

export function seedStore(store: Store): void {
  const startS = sec(store.startMs);
  ORGS.forEach((o, index) => {
    const rng = mulberry32(1000 + index);
    store.orgs.set(o.id, {
      org_id: o.id,
      name: o.name,
      created_at: startS - o.ageDays * DAY_S,
      updated_at: startS - Math.min(o.ageDays, 20) * DAY_S,
      max_cycle_acu_limit: o.cycle,
      max_session_acu_limit: o.perSession,
    });
    const sessions: SessionRecord[] = [];
    for (let i = 0; i < o.sessions; i++) sessions.push(seedSession(rng, o.id, i, startS));
    sessions.sort((a, b) => b.created_at - a.created_at);
    for (const s of sessions) store.sessions.set(s.key, s);
    // one very long conversation so message paging has to be exercised
    const chatty = sessions.find((s) => s.status === 'running' && s.status_detail === 'finished');
    if (chatty && o.id === SANDBOX_ORG_IDS.acme) extendConversation(rng, chatty, 230, startS);
    // a parent/child pair
    if (sessions.length > 12) {
      const parent = sessions[10] as SessionRecord;
      const child = sessions[9] as SessionRecord;
      parent.child_session_ids = [`devin-${child.key}`];
      child.parent_session_id = `devin-${parent.key}`;
    }
  });
  seedNotes(store);
  seedSchedules(store);
  seedAudit(store);
  seedConsumption(store);
}

/**
 * A large account for benchmarks: `organizations` organizations of `perOrganization` sessions each, with the
 * usual principals (the enterprise admin sees them all) and nothing else.
 */
export function seedScaled(store: Store, organizations: number, perOrganization: number): void {
  const startS = sec(store.startMs);
  for (let index = 0; index < organizations; index++) {
    const rng = mulberry32(5000 + index);
    const orgId = `org-bench${String(index).padStart(27, '0')}`;
    store.orgs.set(orgId, {
      org_id: orgId,
      name: `Bench organization ${index + 1}`,
      created_at: startS - 400 * DAY_S,
      updated_at: startS - 20 * DAY_S,
      max_cycle_acu_limit: null,
      max_session_acu_limit: null,
    });
    for (let i = 0; i < perOrganization; i++) {
      const s = seedSession(rng, orgId, i, startS);
      store.sessions.set(s.key, s);
    }
  }
}

function seedSession(rng: Rng, orgId: string, i: number, startS: number): SessionRecord {
  let status: string;
  let detail: string | null;
  if (i < FORCED.length) [status, detail] = FORCED[i] as [string, string | null];
  else [status, detail] = weighted(rng);
  const recent = LIVE_STATUSES.has(status) && detail !== 'finished';
  const ageS = recent ? intBetween(rng, 120, 2 * DAY_S) : intBetween(rng, 600, 90 * DAY_S);
  const createdAt = startS - ageS;
  const p = pick(rng, PROMPTS);
  const key = hex(rng);
  const isMemberOrg = orgId === SANDBOX_ORG_IDS.acme || orgId === SANDBOX_ORG_IDS.globex;
  const byMember = isMemberOrg && rng() < 0.25;
  const byService = !byMember && rng() < 0.2;
  const ended = status === 'exit' || detail === 'finished';
  const prCount = ended && rng() < 0.5 ? (rng() < 0.2 ? 2 : 1) : 0;
  const repo = pick(rng, REPOS);
  const s: SessionRecord = {
    key,
    bareId: i % 23 === 5,
    org_id: orgId,
    prompt: p.prompt,
    title: i % 7 === 3 ? null : p.title,
    status,
    status_detail: detail,
    tags: TAGS.filter(() => rng() < 0.15),
    created_at: createdAt,
    updated_at: createdAt,
    acus_consumed: status === 'new' || status === 'claimed' ? 0 : round2(0.2 + rng() * (ended ? 24 : 8)),
    pull_requests: Array.from({ length: prCount }, () => ({
      pr_url: `https://github.com/${repo}/pull/${intBetween(rng, 10, 4000)}`,
      pr_state: pick(rng, ['open', 'merged', 'closed', null, 'draft']),
    })),
    user_id: byMember ? SANDBOX_IDENTITIES.member.userId : byService ? null : pick(rng, USERS),
    service_user_id: byService ? SANDBOX_IDENTITIES.orgServiceUser.serviceUserId : null,
    playbook_id: rng() < 0.1 ? `playbook-${hex(rng)}` : null,
    parent_session_id: null,
    child_session_ids: null,
    is_archived: status === 'exit' && rng() < 0.12,
    structured_output: ended && rng() < 0.1 ? { summary: 'Completed', files_changed: intBetween(rng, 1, 30) } : null,
    origin: byService ? 'api' : pick(rng, ORIGINS),
    category: rng() < 0.85 ? pick(rng, CATEGORIES) : null,
    subcategory: rng() < 0.3 ? 'sandbox-subcategory' : null,
    repos: [repo],
    messages: [],
    createdInSandbox: false,
  };
  if (status === 'hibernating' || (status === 'running' && detail === 'pondering') || i % 41 === 17) {
    s.extra = { devin_mode: 'fast', is_advanced: false, sandbox_future_field: { nested: [1, 2, 3] }, lite: null };
  }
  s.messages = seedMessages(rng, s, startS);
  const last = s.messages[s.messages.length - 1];
  s.updated_at = last ? last.created_at : createdAt;
  return s;
}

function weighted(rng: Rng): [string, string | null] {
  const total = WEIGHTED.reduce((n, w) => n + w[2], 0);
  let r = rng() * total;
  for (const [status, detail, w] of WEIGHTED) {
    if ((r -= w) < 0) return [status, detail];
  }
  return ['exit', null];
}

function seedMessages(rng: Rng, s: SessionRecord, startS: number): MessageRecord[] {
  let t = s.created_at;
  const out: MessageRecord[] = [];
  const add = (source: 'devin' | 'user', message: string): void => {
    out.push({ event_id: `event-${hex(rng, 24)}`, source, message, created_at: Math.min(t, startS) });
    t += intBetween(rng, 20, 900);
  };
  add('user', s.prompt);
  if (s.status === 'new' || s.status === 'claimed') return out;
  add('devin', `On it! I'll start by exploring ${s.repos[0] ?? 'the repository'} and reproducing the problem.`);
  if (rng() < 0.5) {
    add('user', 'Please keep the change small and add a test.');
    add('devin', 'Sure, I will keep the diff minimal and include a regression test.');
  }
  switch (s.status_detail ?? s.status) {
    case 'waiting_for_user':
      add('devin', 'Should I also update the CHANGELOG, or leave that to you?');
      break;
    case 'waiting_for_approval':
      add('devin', 'I want to run `npm run migrate` against the staging database. Approve?');
      break;
    case 'error':
      add('devin', 'I hit an unrecoverable error while setting up the environment and had to stop.');
      break;
    case 'exit':
    case 'finished':
      add(
        'devin',
        s.pull_requests[0]
          ? `Done! I opened ${s.pull_requests[0].pr_url}`
          : 'Done! Let me know if you need anything else.',
      );
      break;
    default:
      if (s.status === 'suspended') add('devin', 'Going to sleep now. Send me a message to wake me up.');
  }
  return out;
}

function extendConversation(rng: Rng, s: SessionRecord, count: number, startS: number): void {
  let t = s.messages[s.messages.length - 1]?.created_at ?? s.created_at;
  const room = Math.max(1, startS - t);
  const stepS = Math.max(1, Math.floor(room / (count + 1)));
  for (let i = 0; s.messages.length < count; i++) {
    t += stepS;
    const source = i % 2 === 0 ? 'user' : 'devin';
    const message =
      source === 'user'
        ? `Follow-up #${i / 2 + 1}: can you also check edge case ${i}?`
        : `Checked edge case ${i - 1}: all good ✅`;
    s.messages.push({ event_id: `event-${hex(rng, 24)}`, source, message, created_at: Math.min(t, startS) });
  }
  s.updated_at = s.messages[s.messages.length - 1]?.created_at ?? s.updated_at;
}
