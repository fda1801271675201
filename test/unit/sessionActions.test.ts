import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';
import { DevinClient } from '../../src/api/client';
import { DevinApiError } from '../../src/api/errors';
import type { SkippedRows } from '../../src/api/rows';
import type { Session } from '../../src/core/models';
import { headBranchFor, parsePullRequestUrl, parseRemoteUrl, remoteMatches } from '../../src/core/pullRequestRemote';
import {
  describeFilter,
  listFilterFor,
  matchesListFilter,
  matchesStatusFilter,
  statusGroup,
} from '../../src/core/sessionFilter';
import { editorSessionLink, parseSessionReference, parseSessionUriQuery } from '../../src/core/sessionLinks';
import { SANDBOX_ORG_IDS, SANDBOX_TOKENS, startSandbox, type Sandbox } from '../sandbox/server';
import { sessionFixture } from './sessionFixture';

const HEX = '0123456789abcdef0123456789abcdef';

describe('session references', () => {
  test('devin- ids, bare 32-hex ids and web app links all name the same session', () => {
    for (const text of [
      `devin-${HEX}`,
      ` DEVIN-${HEX.toUpperCase()} `,
      HEX,
      `https://app.devin.ai/sessions/${HEX}`,
      `https://app.devin.ai/sessions/devin-${HEX}?tab=chat`,
      `<https://app.acme.devinenterprise.com/org/acme/sessions/${HEX}/>`,
    ])
      assert.deepEqual(parseSessionReference(text), { sessionId: `devin-${HEX}` }, text);
  });

  test('an editor link carries the organization; the link made and the link read agree', () => {
    const link = editorSessionLink('vscode', `devin-${HEX}`, 'org-1');
    assert.equal(link, `vscode://devin-vscode.devin-vscode/session?id=devin-${HEX}&org=org-1`);
    assert.deepEqual(parseSessionReference(link), { sessionId: `devin-${HEX}`, orgId: 'org-1' });
    assert.deepEqual(parseSessionUriQuery(`id=${HEX}`), { sessionId: `devin-${HEX}` });
  });

  test('anything else gets a message that says what to paste', () => {
    for (const text of ['', 'hello', `${HEX}0`, 'https://github.com/acme/api/pull/3', 'devin-'])
      assert.match((parseSessionReference(text) as { error: string }).error, /session ID/, text);
    assert.match((parseSessionUriQuery('id=nope') as { error: string }).error, /no valid Devin session/);
    assert.match((parseSessionUriQuery(`id=${HEX}&org=a%20b`) as { error: string }).error, /no valid organization/);
  });

  test('a stray % in a pasted link is a clear message, not a URIError', () => {
    for (const text of [
      `https://app.devin.ai/sessions/devin-${HEX}%`,
      `https://app.devin.ai/sessions/${HEX}%zz`,
      'https://app.devin.ai/sessions/%E0%A4%A',
    ]) {
      const parsed = parseSessionReference(text);
      assert.ok('error' in parsed, text);
      assert.match(parsed.error, /link is damaged: it has a "%" that is not followed by two hexadecimal digits/, text);
    }
    assert.deepEqual(parseSessionReference(`https://app.devin.ai/sessions/devin-${HEX}?q=100%`), {
      sessionId: `devin-${HEX}`,
    });
  });
});

describe('pull request remotes', () => {
  test('pull request URLs name host, repository and number', () => {
    assert.deepEqual(parsePullRequestUrl('https://github.com/Acme/API/pull/42/files'), {
      host: 'github.com',
      path: 'acme/api',
      number: 42,
    });
    assert.deepEqual(parsePullRequestUrl('https://gitlab.com/g/sub/p/-/merge_requests/7'), {
      host: 'gitlab.com',
      path: 'g/sub/p',
      number: 7,
    });
    assert.equal(parsePullRequestUrl('https://github.com/acme/api'), undefined);
    assert.equal(parsePullRequestUrl('not a url'), undefined);
  });

  test('every usual remote form names the same repository', () => {
    for (const remote of [
      'https://github.com/acme/api.git',
      'https://user@github.com/Acme/api',
      'git@github.com:acme/api.git',
      'ssh://git@github.com:22/acme/api.git',
      'github.com:acme/api',
    ])
      assert.deepEqual(parseRemoteUrl(remote), { host: 'github.com', path: 'acme/api' }, remote);
    assert.equal(parseRemoteUrl('/srv/git/api.git'), undefined, 'a local path has no host');
    assert.equal(parseRemoteUrl('C:\\repos\\api'), undefined, 'nor a Windows path');
  });

  test('matching prefers the same host and still accepts an SSH alias host', () => {
    const wanted = { host: 'github.com', path: 'acme/api' };
    assert.equal(remoteMatches({ host: 'github.com', path: 'acme/api' }, wanted), 'exact');
    assert.equal(remoteMatches({ host: 'github-work', path: 'acme/api' }, wanted), 'pathOnly');
    assert.equal(remoteMatches({ host: 'github.com', path: 'acme/web' }, wanted), undefined);
  });

  test("the head branch is the remote branch at the head commit, Devin's own first", () => {
    const branches = [
      { name: 'main', commit: 'a' },
      { name: 'HEAD', commit: 'b' },
      { name: 'feature', commit: 'b' },
      { name: 'devin/123-fix', commit: 'b' },
    ];
    assert.equal(headBranchFor('b', branches), 'devin/123-fix');
    assert.equal(headBranchFor('a', branches), 'main');
    assert.equal(headBranchFor('c', branches), undefined);
    assert.equal(
      headBranchFor('b', branches.slice(0, 3).concat({ name: 'other', commit: 'b' })),
      undefined,
      'ambiguous',
    );
  });
});

function session(overrides: Partial<Session>): Session {
  return sessionFixture(overrides);
}

describe('session filters', () => {
  test('"created by me" becomes user_ids for a person and service_user_ids for a service user', () => {
    assert.deepEqual(listFilterFor({ createdByMe: true }, { kind: 'pat_user', id: 'user-1' }, false).userIds, [
      'user-1',
    ]);
    const service = listFilterFor({ createdByMe: true, tags: ['a'] }, { kind: 'service_user', id: 'su-1' }, true);
    assert.deepEqual(service.serviceUserIds, ['su-1']);
    assert.equal(service.userIds, undefined);
    assert.equal(service.isArchived, undefined, 'showing archived sends no is_archived at all');
    assert.equal(listFilterFor({}, undefined, false).isArchived, false);
  });

  test('status groups follow what the list shows', () => {
    assert.equal(statusGroup(session({ statusDetail: 'waiting_for_user' })), 'waiting');
    assert.equal(statusGroup(session({ statusDetail: 'finished' })), 'finished');
    assert.equal(statusGroup(session({ status: 'suspended', statusDetail: 'inactivity' })), 'suspended');
    assert.equal(statusGroup(session({ status: 'exit', statusDetail: undefined })), 'ended');
    assert.equal(matchesStatusFilter(session({}), { statuses: ['waiting', 'working'] }), true);
    assert.equal(matchesStatusFilter(session({}), { statuses: ['ended'] }), false);
  });

  test('a changed session leaves a filtered list when it no longer matches', () => {
    assert.equal(matchesListFilter(session({ isArchived: true }), { isArchived: false }), false);
    assert.equal(matchesListFilter(session({ isArchived: true }), {}), true);
    assert.equal(matchesListFilter(session({ tags: ['b'] }), { tags: ['a'] }), false);
    assert.equal(matchesListFilter(session({ origin: 'slack' }), { origins: ['api'] }), false);
  });

  test('the description names each part of the filter', () => {
    assert.equal(describeFilter({}), undefined);
    assert.equal(
      describeFilter({ statuses: ['waiting'], tags: ['bug'], repoNames: ['acme/api'], createdByMe: true }),
      'Filtered: Waiting for you · tags bug · in acme/api · created by me',
    );
  });
});

describe('session actions against the sandbox', () => {
  let sandbox: Sandbox;
  const client = (token: string = SANDBOX_TOKENS.enterpriseAdmin) =>
    new DevinClient({ baseUrl: sandbox.baseUrl, apiVersion: 'v3', getToken: async () => token, timeoutMs: 5000 });

  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    await sandbox.close();
  });
  afterEach(() => sandbox.reset());

  async function runningSession(): Promise<Session> {
    const page = await client().listSessions(SANDBOX_ORG_IDS.acme, { first: 50 });
    const found = page.items.find((candidate) => candidate.status === 'running');
    assert.ok(found);
    return found;
  }

  test('archive answers the archived session; terminate with archive sends archive=true', async () => {
    const target = await runningSession();
    const archived = await client().archiveSession(target.orgId, target.id);
    assert.equal(archived.isArchived, true);
    assert.equal(archived.status, 'suspended');
    const other = (await client().listSessions(SANDBOX_ORG_IDS.acme, { first: 50, isArchived: false })).items.find(
      (candidate) => candidate.status === 'running',
    );
    assert.ok(other);
    const stopped = await client().terminateSession(other.orgId, other.id, { archive: true });
    assert.equal(stopped?.status, 'exit');
    assert.equal(stopped?.isArchived, true);
    assert.equal(sandbox.requests.at(-1)?.query.archive, 'true');
  });

  test('tags are replaced and the kept tags come back', async () => {
    const target = await runningSession();
    assert.deepEqual(await client().replaceSessionTags(target.orgId, target.id, ['b', 'a', 'b']), ['b', 'a']);
  });

  test('list filters go out as the API names them', async () => {
    await client().listSessions(SANDBOX_ORG_IDS.acme, {
      tags: ['x', 'y'],
      origins: ['api'],
      userIds: ['user-1'],
      serviceUserIds: [],
      repoNames: ['acme/api'],
      isArchived: false,
    });
    assert.deepEqual(sandbox.requests.at(-1)?.query, {
      tags: ['x', 'y'],
      origins: 'api',
      user_ids: 'user-1',
      repo_names: 'acme/api',
      is_archived: 'false',
    });
  });

  test('the enterprise look-up finds a session without its organization; others get 403', async () => {
    const target = (await client().listSessions(SANDBOX_ORG_IDS.globex, { first: 5 })).items[0];
    assert.ok(target);
    const found = await client().getEnterpriseSession(target.id.replace(/^devin-/, ''));
    assert.equal(found.orgId, SANDBOX_ORG_IDS.globex);
    const refused = await client(SANDBOX_TOKENS.member)
      .getEnterpriseSession(target.id)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    assert.ok(refused instanceof DevinApiError);
    assert.equal(refused.kind, 'forbidden');
    assert.match(refused.message, /ViewAccountSessions/);
  });

  test('attachments: listed as a bare array, downloaded through the redirect without the token reaching storage', async () => {
    const withPr = (await client().listSessions(SANDBOX_ORG_IDS.acme, { first: 100 })).items.find(
      (candidate) => candidate.pullRequests.length > 0,
    );
    assert.ok(withPr);
    const [attachment] = await client().listSessionAttachments(withPr.orgId, withPr.id);
    assert.ok(attachment);
    assert.equal(attachment.name, 'changes.patch');
    assert.equal(attachment.source, 'devin');
    // The sandbox's storage answers 400 to a request that carries a bearer token, as S3 does.
    const { bytes, contentType } = await client().downloadAttachment(attachment);
    assert.match(new TextDecoder().decode(bytes), /retries = 3/);
    assert.equal(contentType, 'text/x-diff');
  });

  test('an upload is sent as multipart and comes back byte for byte from its URL', async () => {
    const text = 'line one\nline two with "quotes"\n';
    const uploaded = await client().uploadAttachment(SANDBOX_ORG_IDS.acme, {
      name: 'notes.txt',
      bytes: new TextEncoder().encode(text),
      contentType: 'text/plain',
    });
    assert.equal(uploaded.name, 'notes.txt');
    assert.match(uploaded.url, /\/attachments\/[0-9a-f-]{36}\/notes\.txt$/);
    const { bytes, contentType } = await client().downloadAttachment(uploaded);
    assert.equal(new TextDecoder().decode(bytes), text);
    assert.equal(contentType, 'text/plain');
  });

  test('create options: playbooks and members are listed; members need ViewOrgMembership', async () => {
    const playbooks = await client().listPlaybooks(SANDBOX_ORG_IDS.acme);
    assert.ok(playbooks.items.length > 0);
    assert.ok(playbooks.items.every((playbook) => playbook.id.startsWith('playbook-') && playbook.title));
    const members = await client().listMembers(SANDBOX_ORG_IDS.acme);
    assert.ok(members.items.some((member) => member.id === 'user-sandbox-mia' && member.email));
    assert.equal(sandbox.requests.at(-1)?.path, `/v3beta1/organizations/${SANDBOX_ORG_IDS.acme}/members/users`);
    const refused = await client(SANDBOX_TOKENS.member)
      .listMembers(SANDBOX_ORG_IDS.acme)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    assert.ok(refused instanceof DevinApiError);
    assert.match(refused.message, /ViewOrgMembership/);
  });

  test('a read-only token is refused archive, stop and tags with the permission named', async () => {
    const target = await runningSession();
    const viewer = client(SANDBOX_TOKENS.orgViewer);
    for (const call of [
      () => viewer.archiveSession(target.orgId, target.id),
      () => viewer.terminateSession(target.orgId, target.id),
      () => viewer.replaceSessionTags(target.orgId, target.id, ['x']),
    ]) {
      const error = await call().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof DevinApiError);
      assert.equal(error.kind, 'forbidden');
      assert.match(error.message, /ManageOrgSessions/);
    }
  });
});

describe('attachment lists from a server that sends bad rows', () => {
  let server: http.Server;
  let baseUrl: string;
  let rows: unknown;
  const skippedRows: SkippedRows[] = [];

  before(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(rows));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('one malformed attachment URL is skipped and reported; the others are listed', async () => {
    const good = (id: string, name: string) => ({ attachment_id: id, name, url: `${baseUrl}/files/${id}/${name}` });
    rows = [
      good('a-1', 'first.txt'),
      { attachment_id: 'a-2', name: 'broken.txt', url: 'http://[not a host' },
      { attachment_id: 'a-3', name: 'local.txt', url: 'file:///etc/passwd' },
      { attachment_id: 'a-4', name: null, url: `${baseUrl}/files/a-4/report%zz.txt` },
      { attachment_id: 'a-5', name: 'no-url.txt' },
      good('a-6', 'last.txt'),
    ];
    const devin = new DevinClient({
      baseUrl,
      apiVersion: 'v3',
      getToken: async () => SANDBOX_TOKENS.enterpriseAdmin,
      onSkippedRows: (report) => skippedRows.push(report),
    });
    try {
      const attachments = await devin.listSessionAttachments('org-1', `devin-${HEX}`);
      assert.deepEqual(
        attachments.map((attachment) => [attachment.id, attachment.name]),
        [
          ['a-1', 'first.txt'],
          // A stray % in the address keeps the name as written rather than failing the list.
          ['a-4', 'report%zz.txt'],
          ['a-6', 'last.txt'],
        ],
      );
      assert.equal(skippedRows.length, 1);
      assert.equal(skippedRows[0]?.skipped, 3);
      assert.equal(skippedRows[0]?.total, 6);
      assert.equal(skippedRows[0]?.endpoint, `GET /v3/organizations/org-1/sessions/devin-${HEX}/attachments`);
    } finally {
      await devin.dispose();
    }
  });
});
