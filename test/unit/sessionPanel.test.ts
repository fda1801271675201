import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { Conversation } from '../../src/core/conversation';
import type { Session } from '../../src/core/models';
import { replyDisabledReason, sessionHeaderView, sessionIsSettled } from '../../src/core/sessionView';
import { safeExternalUrl } from '../../src/core/externalUrl';
import { parsePageMessage } from '../../src/webview/sessionMessages';
import { apiClient } from '../sandbox/client';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';

/**
 * The vscode-free parts of the session panel: the conversation reader over the real API client against the
 * sandbox (paging forward, then only what is new), the header shaping, and the checks on what the page sends.
 */

let sandbox: Sandbox;
let client: DevinClient;
const ORG = SANDBOX_ORG_IDS.acme;

before(async () => {
  sandbox = await startSandbox();
  client = new DevinClient({
    baseUrl: sandbox.baseUrl,
    apiVersion: 'v3',
    getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
    timeoutMs: 5000,
    sleep: async () => undefined,
    random: () => 0.5,
  });
});
after(async () => {
  await client.dispose();
  await sandbox.close();
});
afterEach(() => sandbox.reset());

/** The seeded session with the longest conversation (more than two pages of 100). */
async function longestConversation(): Promise<{ id: string; total: number }> {
  const sessions = await client.listSessions(ORG, { first: 200 });
  let best = { id: '', total: 0 };
  for (const session of sessions.items) {
    const page = await client.listMessages(ORG, session.id, { first: 1 });
    if ((page.total ?? 0) > best.total) best = { id: session.id, total: page.total ?? 0 };
  }
  return best;
}

function conversationOf(
  sessionId: string,
  pageSize: number,
): { conversation: Conversation; afters: (string | undefined)[] } {
  const afters: (string | undefined)[] = [];
  const conversation = new Conversation((after, signal) => {
    afters.push(after);
    return client.listMessages(ORG, sessionId, { first: pageSize, after, signal });
  });
  return { conversation, afters };
}

async function addMessage(sessionId: string, message: string, extra: Record<string, unknown> = {}) {
  const reply = await apiClient(sandbox.baseUrl, undefined).post(`/_sandbox/sessions/${sessionId}/messages`, {
    message,
    ...extra,
  });
  assert.equal(reply.status, 200, reply.text);
  return reply.json.event_id as string;
}

describe('Conversation', () => {
  test('reads every page forward, then only what is new from the last page onwards', async () => {
    const { id, total } = await longestConversation();
    assert.ok(total > 200, `the sandbox seeds a long conversation (${total})`);
    const { conversation, afters } = conversationOf(id, 100);
    const all = await conversation.load();
    assert.equal(all.length, total);
    assert.equal(new Set(all.map((message) => message.id)).size, total, 'no message twice');
    assert.equal(afters.length, Math.ceil(total / 100));
    assert.equal(afters[0], undefined);

    afters.length = 0;
    assert.deepEqual(await conversation.fetchNew(), [], 'nothing new yet');
    assert.equal(afters.length, 1);
    assert.notEqual(afters[0], undefined, 'the next read starts at the last page, not at the start');

    const first = await addMessage(id, 'First **new** message');
    const second = await addMessage(id, 'Second new message');
    const added = await conversation.fetchNew();
    assert.deepEqual(
      added.map((message) => [message.id, message.source, message.message]),
      [
        [first, 'devin', 'First **new** message'],
        [second, 'devin', 'Second new message'],
      ],
    );
    assert.equal(conversation.size, total + 2);
  });

  test('hands out the newest window and older windows before a given message', async () => {
    const { id, total } = await longestConversation();
    const { conversation } = conversationOf(id, 200);
    const all = await conversation.load();
    const latest = conversation.latest(50);
    assert.deepEqual(latest.messages, all.slice(-50));
    assert.equal(latest.hasOlder, true);
    const older = await conversation.olderThan(latest.messages[0]!.id, 50);
    assert.deepEqual(older.messages, all.slice(total - 100, total - 50));
    const oldest = await conversation.olderThan(all[30]!.id, 50);
    assert.deepEqual(oldest.messages, all.slice(0, 30));
    assert.equal(oldest.hasOlder, false);
    assert.deepEqual((await conversation.olderThan('event-unknown', 50)).messages, []);
  });

  test('at 10,000 messages the newest are shown, a poll reads only the new page, and scrolling back reaches the first', async () => {
    const created = await apiClient(sandbox.baseUrl, undefined).post(`/_sandbox/organizations/${ORG}/sessions`, {
      message_count: 10_000,
    });
    assert.equal(created.status, 200, created.text);
    const id = created.json.session_id as string;
    const messagesPath = `/v3/organizations/${ORG}/sessions/${id}/messages`;
    const readsSince = (mark: number) => {
      const since = sandbox.requests.slice(mark);
      assert.ok(
        since.every((request) => request.method === 'GET' && request.path === messagesPath),
        'nothing but the messages of this session is read',
      );
      return since;
    };
    const { conversation } = conversationOf(id, 100);
    await conversation.load();
    const latest = conversation.latest(50);
    assert.deepEqual(
      latest.messages.map((message) => message.message),
      Array.from({ length: 50 }, (_, index) => `Message ${9_951 + index}`),
      'the newest fifty, not a window stuck at an older cap',
    );
    assert.equal(latest.messages.at(-1)?.id, created.json.last_event_id);
    assert.equal(latest.hasOlder, true);
    assert.ok(conversation.size < 10_000, `memory holds a window, not the whole conversation (${conversation.size})`);

    const newest = await addMessage(id, 'The newest of all');
    let mark = sandbox.requests.length;
    const added = await conversation.fetchNew();
    assert.deepEqual(
      added.map((message) => [message.id, message.message]),
      [[newest, 'The newest of all']],
    );
    const polled = readsSince(mark);
    assert.equal(polled.length, 2, 'the last page read again (now full and pointing on), then the new one');
    assert.ok(
      polled.every((request) => typeof request.query.after === 'string'),
      'never from the start',
    );
    assert.equal(conversation.latest(1).messages[0]?.id, newest);

    mark = sandbox.requests.length;
    assert.deepEqual(await conversation.fetchNew(), [], 'nothing new');
    assert.equal(readsSince(mark).length, 1, 'only the last page');

    mark = sandbox.requests.length;
    const window = conversation.latest(50);
    const shown = [...window.messages];
    let hasOlder = window.hasOlder;
    while (hasOlder) {
      const older = await conversation.olderThan(shown[0]!.id, 50);
      assert.ok(older.messages.length > 0, `more before ${shown[0]!.message}`);
      shown.unshift(...older.messages);
      hasOlder = older.hasOlder;
    }
    assert.deepEqual(
      shown.map((message) => message.message),
      [...Array.from({ length: 10_000 }, (_, index) => `Message ${index + 1}`), 'The newest of all'],
    );
    assert.equal(shown[0]?.id, created.json.first_event_id);
    const notHeld = 10_001 - conversation.size;
    assert.ok(
      readsSince(mark).length <= Math.ceil(notHeld / 100) + 1,
      'each page no longer held is read again about once on the way back',
    );
  });

  test(
    'a server that keeps offering pages with nothing on them does not hold a read; the next read starts over',
    {
      timeout: 20_000,
    },
    async () => {
      const { id, total } = await longestConversation();
      const messagesPath = `/v3/organizations/${ORG}/sessions/${id}/messages`;
      for (const cursor of ['fresh', 'repeat'] as const) {
        const { conversation } = conversationOf(id, 100);
        sandbox.faults.inject({
          kind: 'emptyPageClaimsMore',
          cursor,
          times: Infinity,
          match: { pathIncludes: '/messages' },
        });
        const mark = sandbox.requests.length;
        assert.deepEqual(await conversation.load(), [], cursor);
        const reads = sandbox.requests.slice(mark);
        assert.deepEqual(
          reads.map((request) => `${request.method} ${request.path}`),
          [`GET ${messagesPath}`],
          `${cursor}: one look, not a loop`,
        );
        sandbox.faults.clear();
        assert.equal((await conversation.fetchNew()).length, total, `${cursor}: read in full once the server recovers`);
      }
    },
  );

  test('a page that fails part-way leaves the next read to resume where it stopped', async () => {
    const { id, total } = await longestConversation();
    const { conversation } = conversationOf(id, 100);
    sandbox.faults.inject({ kind: 'status', status: 500, times: 10, match: { pathIncludes: '/messages' } });
    await assert.rejects(conversation.load());
    sandbox.faults.clear();
    assert.equal((await conversation.fetchNew()).length, total);
  });
});

const base: Session = {
  id: 'devin-1',
  orgId: ORG,
  url: 'https://app.devin.ai/sessions/1',
  status: 'running',
  statusDetail: 'waiting_for_user',
  title: 'Fix the login bug',
  tags: ['backend'],
  createdAt: 1_700_000_000,
  updatedAt: 1_700_003_600,
  acusConsumed: 2.5,
  pullRequests: [{ url: 'https://github.com/acme/api/pull/42', state: 'open' }],
  isArchived: false,
  origin: 'api',
  userId: undefined,
  serviceUserId: undefined,
};

describe('session header', () => {
  test('shows the tree status look, the facts and the pull requests', () => {
    const header = sessionHeaderView(base, 'Acme Robotics', 1_700_007_200);
    assert.deepEqual(header.status, { label: 'Waiting for you', tone: 'attention', color: 'charts.yellow' });
    assert.equal(header.waiting, true);
    assert.equal(header.working, false);
    assert.equal(header.acus, '2.50 ACUs');
    assert.equal(header.created, '2h ago (2023-11-14 22:13 UTC)');
    assert.equal(header.updated, '1h ago (2023-11-14 23:13 UTC)');
    assert.deepEqual(header.pullRequests, [
      { url: 'https://github.com/acme/api/pull/42', name: 'acme/api#42', state: 'open' },
    ]);
    assert.equal(header.replyDisabledReason, undefined);
    assert.equal(header.replyHint, 'Devin is waiting for your reply.');
  });

  test('archived and ended sessions cannot take messages; suspended ones can, and resume', () => {
    assert.match(replyDisabledReason({ ...base, isArchived: true }) ?? '', /archived/);
    assert.match(replyDisabledReason({ ...base, status: 'exit', statusDetail: undefined }) ?? '', /has ended/);
    assert.match(replyDisabledReason({ ...base, status: 'error', statusDetail: undefined }) ?? '', /has ended/);
    const suspended = { ...base, status: 'suspended', statusDetail: 'inactivity' };
    assert.equal(replyDisabledReason(suspended), undefined);
    assert.match(sessionHeaderView(suspended, 'Acme', 0).replyHint ?? '', /resumes it/);
  });

  test('polling is worth it only while Devin may still write', () => {
    assert.equal(sessionIsSettled({ ...base, statusDetail: 'working' }), false);
    assert.equal(sessionIsSettled(base), false);
    assert.equal(sessionIsSettled({ ...base, status: 'new', statusDetail: undefined }), false);
    assert.equal(sessionIsSettled({ ...base, statusDetail: 'finished' }), true);
    assert.equal(sessionIsSettled({ ...base, status: 'exit' }), true);
    assert.equal(sessionIsSettled({ ...base, status: 'suspended' }), true);
    assert.equal(sessionIsSettled({ ...base, isArchived: true, statusDetail: 'working' }), true);
  });
});

describe('messages from the session page', () => {
  test('only protocol messages with sane fields pass', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parsePageMessage({ type: 'send', sendId: 's1', text: 'hi' }), {
      type: 'send',
      sendId: 's1',
      text: 'hi',
    });
    assert.equal(parsePageMessage({ type: 'send', sendId: 's1', text: '' }), undefined);
    assert.equal(parsePageMessage({ type: 'send', sendId: 's1', text: 'x'.repeat(100_001) }), undefined);
    assert.equal(parsePageMessage({ type: 'send', text: 'hi' }), undefined);
    assert.equal(parsePageMessage({ type: 'openLink', url: 42 }), undefined);
    assert.equal(parsePageMessage({ type: 'runCommand', command: 'devin.signOut' }), undefined);
    assert.equal(parsePageMessage('ready'), undefined);
    assert.equal(parsePageMessage(null), undefined);
  });

  test("the page's report of what it drew passes with a title as long as the API gave it", () => {
    const report = {
      title: `Long ${'x'.repeat(10_000)}`,
      statusLabel: 'Working',
      activity: 'working',
      messageIds: ['event-1'],
      pendingTexts: [],
      hasOlder: false,
      draft: '',
      replyEnabled: true,
      replyNotice: '',
      sendError: '',
      loadError: '',
      codeBlocks: 0,
      links: [],
      scrollTop: 0,
      scrollHeight: 100,
      atBottom: true,
    };
    assert.deepEqual(parsePageMessage({ type: 'rendered', report }), { type: 'rendered', report });
    const flood = { ...report, title: 'x'.repeat(100_001) };
    assert.equal(parsePageMessage({ type: 'rendered', report: flood }), undefined);
  });

  test('links open only over https', () => {
    assert.equal(safeExternalUrl('https://github.com/acme/api/pull/42'), 'https://github.com/acme/api/pull/42');
    for (const url of [
      'http://example.com',
      'javascript:alert(1)',
      'command:devin.signOut',
      'file:///etc/passwd',
      'vscode://settings',
      'https://user:pass@example.com/',
      'not a url',
      '',
    ])
      assert.equal(safeExternalUrl(url), undefined, url);
  });
});

describe('sandbox session control', () => {
  test('adds a Devin message and can move the status; rejects bad input', async () => {
    const sessions = await client.listSessions(ORG, { first: 5 });
    const session = sessions.items[0]!;
    const eventId = await addMessage(session.id, 'Need your input', {
      status: 'running',
      status_detail: 'waiting_for_user',
    });
    const messages = await client.listMessages(ORG, session.id, { first: 200 });
    assert.deepEqual(messages.items.at(-1), {
      id: eventId,
      source: 'devin',
      message: 'Need your input',
      createdAt: messages.items.at(-1)!.createdAt,
    });
    const updated = await client.getSession(ORG, session.id);
    assert.equal(updated.statusDetail, 'waiting_for_user');
    const control = apiClient(sandbox.baseUrl, undefined);
    assert.equal((await control.post(`/_sandbox/sessions/${session.id}/messages`, { message: '' })).status, 400);
    assert.equal((await control.post('/_sandbox/sessions/devin-nope/messages', { message: 'x' })).status, 404);
    assert.equal(sandbox.requests.filter((request) => request.path.startsWith('/_sandbox')).length, 0);
  });

  test('makes a session with a given conversation, title and tags; rejects bad input', async () => {
    const control = apiClient(sandbox.baseUrl, undefined);
    const made = await control.post(`/_sandbox/organizations/${ORG}/sessions`, {
      message_count: 3,
      messages: ['Last words'],
      title: 'A long talk',
      tags: ['chatty', 'chatty'],
    });
    assert.equal(made.status, 200, made.text);
    const id = made.json.session_id as string;
    const session = await client.getSession(ORG, id);
    assert.equal(session.title, 'A long talk');
    assert.deepEqual(session.tags, ['chatty']);
    const messages = await client.listMessages(ORG, id, { first: 200 });
    assert.deepEqual(
      messages.items.map((message) => [message.source, message.message]),
      [
        ['user', 'Message 1'],
        ['devin', 'Message 2'],
        ['user', 'Message 3'],
        ['devin', 'Last words'],
      ],
    );
    assert.equal(messages.items[0]?.id, made.json.first_event_id);
    assert.equal(messages.items.at(-1)?.id, made.json.last_event_id);
    const path = `/_sandbox/organizations/${ORG}/sessions`;
    for (const body of [
      {},
      { message_count: -1 },
      { message_count: 1.5 },
      { messages: [''] },
      { message_count: 1, tags: [1] },
    ])
      assert.equal((await control.post(path, body)).status, 400, JSON.stringify(body));
    assert.equal((await control.post('/_sandbox/organizations/org-nope/sessions', { message_count: 1 })).status, 404);
  });
});
