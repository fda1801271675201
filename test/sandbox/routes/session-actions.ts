// What the session actions need beyond sessions.ts: the enterprise-wide look-up (§3.5) and the list
// filters by repository and service user (§4.1).

import { SANDBOX_IDENTITIES } from '../tokens';
import { requireEnterprise, requireOrg } from '../auth';
import type { SessionRecord, Store } from '../data';
import type { Ctx, Query, Reply } from '../http';
import { invalid, legacy, list, one, paginate } from '../http';
import { advance, renderSession } from '../live';
import type { Route } from '../router';

function getEnterpriseSession(ctx: Ctx): Reply {
  requireEnterprise(ctx, 'ViewAccountSessions');
  const key = (ctx.params.devin_id as string).toLowerCase().replace(/^devin-/, '');
  const s = ctx.store.sessions.get(key);
  const orgId = one(ctx.query, 'org_id');
  if (!s || (orgId !== undefined && s.org_id !== orgId)) throw legacy(404, `Session ${ctx.params.devin_id} not found`);
  advance(ctx.store, s, ctx.nowMs);
  return { body: renderSession(s, ctx.version, true) };
}

/** `repo_names` (owner/repo, any of) and `service_user_ids` on the organization's session list. */
export function matchesRepoAndServiceUserFilters(s: SessionRecord, q: Query): boolean {
  const repoNames = list(q, 'repo_names')?.map((name) => name.toLowerCase());
  const serviceUserIds = list(q, 'service_user_ids');
  return (
    (!repoNames || repoNames.length === 0 || s.repos.some((repo) => repoNames.includes(repo.toLowerCase()))) &&
    (!serviceUserIds ||
      serviceUserIds.length === 0 ||
      (s.service_user_id !== null && serviceUserIds.includes(s.service_user_id)))
  );
}

// Session attachments (§4.5) and their download (§4.8): the API answers a download with 307 to a presigned
// URL on another host; here that is /_files/<id>, which, like S3, refuses a request that also carries a token.

export interface AttachmentRecord {
  attachment_id: string;
  name: string;
  source: 'devin' | 'user';
  content_type: string | null;
  content: string;
}

/** Kept beside the store rather than in it, so a reset (a new store) starts from the seed again. */
const attachmentsByStore = new WeakMap<Store, Map<string, AttachmentRecord[]>>();

function sessionAttachments(store: Store, s: SessionRecord): AttachmentRecord[] {
  let bySession = attachmentsByStore.get(store);
  if (!bySession) attachmentsByStore.set(store, (bySession = new Map()));
  let list = bySession.get(s.key);
  if (!list) {
    // Devin attaches the diff of each pull request it opened.
    list = s.pull_requests.map((pr, index) => ({
      attachment_id: `${s.key.slice(0, 8)}-0000-4000-8000-${String(index).padStart(12, '0')}`,
      name: index === 0 ? 'changes.patch' : `changes-${index + 1}.patch`,
      source: 'devin',
      content_type: 'text/x-diff',
      content: `# ${pr.pr_url}\n--- a/src/app.ts\n+++ b/src/app.ts\n@@ -1 +1 @@\n-const retries = 1;\n+const retries = 3;\n`,
    }));
    bySession.set(s.key, list);
  }
  return list;
}

/** Adds an attachment to a session as Devin would, with whatever id and name the caller chooses (control route). */
export function addSessionAttachment(store: Store, s: SessionRecord, record: AttachmentRecord): void {
  sessionAttachments(store, s).push(record);
}

function downloadPath(orgId: string, a: AttachmentRecord): string {
  return `/organizations/${orgId}/attachments/${encodeURIComponent(a.attachment_id)}/${encodeURIComponent(a.name)}`;
}

/** The "presigned" storage address a download redirects to. */
function storagePath(a: AttachmentRecord): string {
  return `/_files/${encodeURIComponent(a.attachment_id)}?X-Amz-Signature=sandbox`;
}

function listAttachments(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, 'ViewOrgSessions');
  const s = ctx.store.findSession(orgId, ctx.params.devin_id as string);
  if (!s) throw legacy(404, `Session ${ctx.params.devin_id} not found`);
  const origin = ctx.origin ?? 'http://127.0.0.1';
  return {
    body: sessionAttachments(ctx.store, s).map((a) => ({
      attachment_id: a.attachment_id,
      name: a.name,
      source: a.source,
      content_type: a.content_type,
      url: `${origin}/${ctx.version}${downloadPath(orgId, a)}`,
    })),
  };
}

function downloadAttachment(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, 'ViewOrgSessions');
  for (const s of ctx.store.sessions.values()) {
    if (s.org_id !== orgId) continue;
    const found = sessionAttachments(ctx.store, s).find(
      (a) => a.attachment_id === ctx.params.uuid && a.name === ctx.params.name,
    );
    if (found)
      return {
        status: 307,
        body: { detail: 'Temporary Redirect' },
        headers: { location: storagePath(found) },
      };
  }
  const uploaded = uploadsByStore
    .get(ctx.store)
    ?.find((a) => a.attachment_id === ctx.params.uuid && a.name === ctx.params.name);
  if (uploaded)
    return {
      status: 307,
      body: { detail: 'Temporary Redirect' },
      headers: { location: storagePath(uploaded) },
    };
  throw legacy(404, 'Attachment not found');
}

/** Uploads kept per store, under the organization they were uploaded to. */
const uploadsByStore = new WeakMap<Store, AttachmentRecord[]>();

/** `POST /organizations/{org}/attachments`, multipart with one `file` part (§4.8); text content only here. */
function uploadAttachment(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, 'UseDevinSessions');
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(ctx.contentType ?? '');
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker || !ctx.rawBody) throw invalid(['body', 'file'], 'Field required', 'missing');
  const part = ctx.rawBody
    .split(`--${marker}`)
    .find((candidate) => /content-disposition:[^\r\n]*name="file"/i.test(candidate));
  const headerEnd = part?.indexOf('\r\n\r\n') ?? -1;
  if (!part || headerEnd < 0) throw invalid(['body', 'file'], 'Field required', 'missing');
  const headers = part.slice(0, headerEnd);
  const name = /filename="([^"]*)"/i.exec(headers)?.[1] || 'upload';
  const record: AttachmentRecord = {
    attachment_id: ctx.store.newId('', 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
    name,
    source: 'user',
    content_type: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? null,
    content: part.slice(headerEnd + 4).replace(/\r\n$/, ''),
  };
  let uploads = uploadsByStore.get(ctx.store);
  if (!uploads) uploadsByStore.set(ctx.store, (uploads = []));
  uploads.push(record);
  return {
    body: {
      attachment_id: record.attachment_id,
      name: record.name,
      url: `${ctx.origin ?? 'http://127.0.0.1'}/${ctx.version}${downloadPath(orgId, record)}`,
    },
  };
}

/** What /_files/<id> serves: the attachment's bytes, found in any session of the store. */
export function attachmentFile(store: Store, attachmentId: string): AttachmentRecord | undefined {
  for (const s of store.sessions.values())
    for (const a of attachmentsByStore.get(store)?.get(s.key) ?? []) if (a.attachment_id === attachmentId) return a;
  return uploadsByStore.get(store)?.find((a) => a.attachment_id === attachmentId);
}

// The choices of "create with options": playbooks (§4.7) and organization members (§4.11, beta).

const PLAYBOOK_TITLES = ['Fix a failing CI job', 'Upgrade a dependency', 'Write unit tests'];

function listPlaybooks(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, 'ViewOrgSessions');
  const rows = PLAYBOOK_TITLES.map((title, index) => ({
    playbook_id: `playbook-${orgId.slice(4, 12)}${String(index).padStart(4, '0')}`,
    title,
    body: `Steps for: ${title}`,
    macro: index === 0 ? '!ci' : null,
    access_type: 'org',
    org_id: orgId,
    created_by: 'user-alice-0001',
    updated_by: null,
    created_at: 1_760_000_000,
    updated_at: 1_760_000_000,
  }));
  return { body: paginate(ctx.query, rows) };
}

function listMembers(ctx: Ctx): Reply {
  const orgId = ctx.params.org_id as string;
  requireOrg(ctx, orgId, 'ViewOrgMembership');
  const member = SANDBOX_IDENTITIES.member;
  const rows = [
    { user_id: 'user-alice-0001', name: 'Alice Admin', email: 'alice@example.com' },
    { user_id: 'user-bob-0002', name: 'Bob Builder', email: 'bob@example.com' },
    { user_id: member.userId, name: member.userName, email: member.email },
  ];
  const email = one(ctx.query, 'email');
  return { body: paginate(ctx.query, email ? rows.filter((row) => row.email === email) : rows) };
}

export const sessionLookupRoutes: Route[] = [
  { method: 'GET', pattern: '/organizations/:org_id/playbooks', handler: listPlaybooks },
  { method: 'GET', pattern: '/organizations/:org_id/members/users', handler: listMembers },
  { method: 'GET', pattern: '/enterprise/sessions/:devin_id', handler: getEnterpriseSession },
  { method: 'GET', pattern: '/organizations/:org_id/sessions/:devin_id/attachments', handler: listAttachments },
  { method: 'GET', pattern: '/organizations/:org_id/attachments/:uuid/:name', handler: downloadAttachment },
  { method: 'POST', pattern: '/organizations/:org_id/attachments', handler: uploadAttachment },
];
