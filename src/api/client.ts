import type * as z from 'zod/mini';
import type {
  AuditLogEntry,
  Identity,
  KnowledgeNote,
  Organization,
  Page,
  PageRequest,
  Session,
  SessionAttachment,
  SessionMessage,
  SessionRequest,
} from '../core/models';
import { toDevinId } from '../core/models';
import type { SessionListFilter } from '../core/sessionFilter';
import { DevinApiError } from './errors';
import { HttpClient, type HttpClientOptions, type HttpRequest, type MultipartFile, type QueryValue } from './http';
import {
  identifiesPrincipal,
  toAuditLogEntry,
  toIdentity,
  toKnowledgeNote,
  toOrganization,
  toPage,
  toSession,
  toSessionMessage,
} from './mappers';
import { checkRowCount, parseRows, type SkippedRows } from './rows';
import { schemas } from './schemaLoader';

/** `v3beta1` is what the project's specification uses; `v3` is the current prefix. */
export type ApiVersion = 'v3beta1' | 'v3';
export const API_VERSIONS: readonly ApiVersion[] = ['v3beta1', 'v3'];

export interface DevinClientOptions extends HttpClientOptions {
  readonly apiVersion: ApiVersion;
  /** Told about rows of a list that were skipped because they could not be read. */
  readonly onSkippedRows?: (report: SkippedRows) => void;
}

export const PAGE_SIZE_LIMITS = { min: 1, max: 200 } as const;

/** Attachments are read into memory whole before saving; larger ones are refused. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

/** Permissions named in 403 messages, as the API reference lists them per endpoint. */
export const PERMISSIONS = {
  self: 'ReadAccountMeta',
  organizations: 'ManageOrganizations',
  viewSessions: 'ViewOrgSessions',
  // The reference names ManageOrgSessions; several integrations report UseDevinSessions.
  createSession: 'ManageOrgSessions (or UseDevinSessions)',
  manageSessions: 'ManageOrgSessions',
  impersonate: 'ImpersonateOrgSessions',
  knowledge: 'ManageAccountKnowledge',
  auditLogs: 'ManageEnterpriseSettings',
  billing: 'ManageBilling (or ViewAccountConsumption)',
  orgServiceUsers: 'ManageOrgServiceUsers',
  roles: 'ManageAccountMembership',
  schedules: 'ManageOrgSchedules',
  viewAccountSessions: 'ViewAccountSessions',
  uploadAttachments: 'UseDevinSessions',
  playbooks: 'ViewOrgPlaybooks (or ManageAccountPlaybooks)',
  members: 'ViewOrgMembership',
} as const;

/** Filters of the session lists (§4.1); times are Unix seconds. */
export interface SessionListQuery extends PageRequest {
  readonly tags?: readonly string[];
  readonly updatedAfter?: number;
  readonly updatedBefore?: number;
  readonly createdAfter?: number;
  readonly createdBefore?: number;
  readonly isArchived?: boolean;
}

/** What is sent to create a session: the request, its files already uploaded and named in the prompt. */
export interface CreateSessionRequest extends Omit<SessionRequest, 'attachments'> {
  readonly signal?: AbortSignal;
}

export interface Playbook {
  readonly id: string;
  readonly title: string;
  readonly macro: string | undefined;
}

export interface Member {
  readonly id: string;
  readonly name: string | undefined;
  readonly email: string | undefined;
}

export interface CreateOrganizationRequest {
  readonly name: string;
  readonly maxCycleAcuLimit?: number;
  readonly maxSessionAcuLimit?: number;
}

export interface CreateKnowledgeNoteRequest {
  readonly name: string;
  readonly body: string;
  readonly trigger: string;
  readonly folderId?: string;
}

export interface AuditLogQuery extends PageRequest {
  /** Unix seconds. */
  readonly timeAfter?: number;
  readonly timeBefore?: number;
  readonly action?: string;
  /** The organization-scoped endpoint, for one organization's events (and organization-scoped tokens). */
  readonly orgId?: string;
}

/** What one call may carry besides its method and path. */
interface RequestOptions {
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  readonly upload?: MultipartFile;
  readonly signal?: AbortSignal;
  /** The permission a 403 message names when the server does not say. */
  readonly permission?: string;
  /** The path carries its own version prefix (endpoints that exist only under `/v3beta1`). */
  readonly absolute?: boolean;
  readonly onAnswerDate?: (unixMs: number) => void;
}

/**
 * Typed access to the Devin REST API. Free of `vscode`: the base URL, token source and version come
 * from the constructor, which is what lets the unit tests run it against the sandbox in plain Node.
 */
export class DevinClient {
  readonly http: HttpClient;
  readonly apiVersion: ApiVersion;
  private readonly onSkippedRows: ((report: SkippedRows) => void) | undefined;

  constructor(options: DevinClientOptions) {
    this.http = new HttpClient(options);
    this.apiVersion = options.apiVersion;
    this.onSkippedRows = options.onSkippedRows;
  }

  dispose(): Promise<void> {
    return this.http.close();
  }

  /** The cheap identity call, also used to check a token before it is saved. */
  async getSelf(signal?: AbortSignal): Promise<Identity> {
    // The specification reads `/enterprise/self`; the current API answers `/self`. Try the one the
    // chosen version documents first and the other on 404.
    const paths = this.apiVersion === 'v3beta1' ? ['/enterprise/self', '/self'] : ['/self', '/enterprise/self'];
    for (const [index, path] of paths.entries()) {
      try {
        const wire = await this.get(path, schemas().selfSchema, { signal, permission: PERMISSIONS.self });
        // Any JSON object fits the lenient schema; one that names no principal proves nothing about the token.
        if (!identifiesPrincipal(wire))
          throw new DevinApiError({
            kind: 'malformed',
            unexpectedShape: true,
            endpoint: `GET /${this.apiVersion}${path}`,
          });
        return toIdentity(wire);
      } catch (error) {
        const isLast = index === paths.length - 1;
        if (isLast || !(error instanceof DevinApiError) || error.kind !== 'notFound') throw error;
      }
    }
    throw new DevinApiError({ kind: 'notFound', endpoint: 'GET /self' });
  }

  async listOrganizations(page: PageRequest = {}): Promise<Page<Organization>> {
    const wire = await this.get('/enterprise/organizations', schemas().organizationListSchema, {
      ...page,
      query: pageQuery(page),
      permission: PERMISSIONS.organizations,
    });
    const items = this.rows(
      schemas().organizationSchema,
      'items' in wire ? wire.items : wire.organizations,
      page,
      'GET /enterprise/organizations',
    );
    return toPage({ ...wire, items }, toOrganization);
  }

  async createOrganization(request: CreateOrganizationRequest, signal?: AbortSignal): Promise<Organization> {
    // The specification's body is `{name, acu_limit}`; the current one has two separate limits. The
    // specification has no per-session limit, so on v3beta1 it goes only when one was chosen.
    const body =
      this.apiVersion === 'v3beta1'
        ? {
            name: request.name,
            acu_limit: request.maxCycleAcuLimit ?? null,
            ...(request.maxSessionAcuLimit !== undefined ? { max_session_acu_limit: request.maxSessionAcuLimit } : {}),
          }
        : {
            name: request.name,
            max_cycle_acu_limit: request.maxCycleAcuLimit ?? null,
            max_session_acu_limit: request.maxSessionAcuLimit ?? null,
          };
    const wire = await this.send('POST', '/enterprise/organizations', schemas().organizationSchema, {
      body,
      signal,
      permission: PERMISSIONS.organizations,
    });
    const organization = toOrganization(wire);
    if (!organization) throw new DevinApiError({ kind: 'malformed', endpoint: 'POST /enterprise/organizations' });
    return organization;
  }

  async listSessions(orgId: string, page: SessionListQuery & SessionListFilter = {}): Promise<Page<Session>> {
    let answeredAt: number | undefined;
    const wire = await this.get(`${orgPath(orgId)}/sessions`, schemas().sessionListSchema, {
      ...page,
      query: { ...sessionListQuery(page), ...listFilterQuery(page) },
      permission: PERMISSIONS.viewSessions,
      onAnswerDate: (date) => (answeredAt = date),
    });
    const items = this.rows(schemas().sessionSchema, wire.items, page, `GET ${orgPath(orgId)}/sessions`);
    return { ...toPage({ ...wire, items }, (item) => toSession(item, orgId)), answeredAt };
  }

  /** Sessions of every organization in one list (§3.5); needs ViewAccountSessions. */
  async listEnterpriseSessions(
    page: SessionListQuery & { readonly orgIds?: readonly string[] } = {},
  ): Promise<Page<Session>> {
    let answeredAt: number | undefined;
    const wire = await this.get('/enterprise/sessions', schemas().sessionListSchema, {
      ...page,
      query: { ...sessionListQuery(page), org_ids: page.orgIds },
      permission: PERMISSIONS.viewAccountSessions,
      onAnswerDate: (date) => (answeredAt = date),
    });
    const items = this.rows(schemas().sessionSchema, wire.items, page, 'GET /enterprise/sessions');
    // Each item names its organization; one without `org_id` cannot be placed and is dropped.
    const sessions = toPage({ ...wire, items }, (item) => (item.org_id ? toSession(item, item.org_id) : undefined));
    return { ...sessions, answeredAt };
  }

  /** Puts a running session to sleep and archives it; archived sessions cannot be resumed. */
  async archiveSession(orgId: string, sessionId: string, signal?: AbortSignal): Promise<Session> {
    const wire = await this.send('POST', `${sessionPath(orgId, sessionId)}/archive`, schemas().sessionSchema, {
      signal,
      permission: PERMISSIONS.manageSessions,
    });
    return toSession(wire, orgId);
  }

  /** Stops a session for good (`DELETE …/sessions/{id}`), optionally archiving it in the same call. */
  async terminateSession(
    orgId: string,
    sessionId: string,
    options: { readonly archive?: boolean; readonly signal?: AbortSignal } = {},
  ): Promise<Session | undefined> {
    const wire = await this.send('DELETE', sessionPath(orgId, sessionId), undefined, {
      query: { archive: options.archive ? true : undefined },
      signal: options.signal,
      permission: PERMISSIONS.manageSessions,
    });
    // The older shape answers `{detail}`; the session was stopped all the same.
    const parsed = schemas().sessionSchema.safeParse(wire);
    return parsed.success ? toSession(parsed.data, orgId) : undefined;
  }

  /** Replaces every tag of a session; answers the tags the API kept (deduplicated, perhaps reordered). */
  async replaceSessionTags(
    orgId: string,
    sessionId: string,
    tags: readonly string[],
    signal?: AbortSignal,
  ): Promise<readonly string[] | undefined> {
    const wire = await this.send('PUT', `${sessionPath(orgId, sessionId)}/tags`, undefined, {
      body: { tags },
      signal,
      permission: PERMISSIONS.manageSessions,
    });
    const parsed = schemas().sessionTagsSchema.safeParse(wire);
    return parsed.success ? (parsed.data.tags ?? undefined) : undefined;
  }

  async listSessionAttachments(orgId: string, sessionId: string, signal?: AbortSignal): Promise<SessionAttachment[]> {
    const wire = await this.get(`${sessionPath(orgId, sessionId)}/attachments`, schemas().sessionAttachmentListSchema, {
      signal,
      permission: PERMISSIONS.viewSessions,
    });
    const items = this.rows(
      schemas().sessionAttachmentSchema,
      Array.isArray(wire) ? wire : wire.items,
      {},
      `GET ${sessionPath(orgId, sessionId)}/attachments`,
    );
    return items.map((item, index) => {
      const name = item.name?.trim() || nameFromUrl(item.url) || 'attachment';
      return {
        id:
          item.attachment_id !== undefined && item.attachment_id !== null
            ? String(item.attachment_id)
            : `attachment-${index}`,
        name,
        source: item.source ?? 'unknown',
        url: item.url,
        contentType: item.content_type ?? undefined,
      };
    });
  }

  /**
   * Uploads a file for a new session (`POST …/attachments`, multipart field `file`); the answer's `url` goes
   * into the prompt as an `ATTACHMENT:"url"` line.
   */
  async uploadAttachment(
    orgId: string,
    file: { readonly name: string; readonly bytes: Uint8Array; readonly contentType?: string },
    signal?: AbortSignal,
  ): Promise<{ readonly id: string; readonly name: string; readonly url: string }> {
    const wire = await this.send('POST', `${orgPath(orgId)}/attachments`, schemas().uploadedAttachmentSchema, {
      upload: { field: 'file', fileName: file.name, bytes: file.bytes, contentType: file.contentType },
      signal,
      permission: PERMISSIONS.uploadAttachments,
    });
    return { id: String(wire.attachment_id ?? wire.url), name: wire.name ?? file.name, url: wire.url };
  }

  /** The bytes of an attachment, following the API's redirect to storage (which never sees the token). */
  downloadAttachment(
    attachment: Pick<SessionAttachment, 'url'>,
    signal?: AbortSignal,
  ): Promise<{ readonly bytes: Uint8Array; readonly contentType: string | undefined }> {
    return this.http.requestBytes(attachment.url, {
      signal,
      permission: PERMISSIONS.viewSessions,
      maxBytes: MAX_ATTACHMENT_BYTES,
    });
  }

  /**
   * Finds a session in any organization of the enterprise (§3.5, `ViewAccountSessions`): the one call
   * that answers "which organization is this session in" without asking each organization.
   */
  async getEnterpriseSession(sessionId: string, signal?: AbortSignal): Promise<Session> {
    const wire = await this.get(
      `/enterprise/sessions/${encodeURIComponent(toDevinId(sessionId))}`,
      schemas().sessionSchema,
      {
        signal,
        permission: PERMISSIONS.viewAccountSessions,
      },
    );
    if (!wire.org_id) throw new DevinApiError({ kind: 'malformed', endpoint: 'GET /enterprise/sessions/{id}' });
    return toSession(wire, wire.org_id);
  }

  async getSession(orgId: string, sessionId: string, signal?: AbortSignal): Promise<Session> {
    const wire = await this.get(sessionPath(orgId, sessionId), schemas().sessionSchema, {
      signal,
      permission: PERMISSIONS.viewSessions,
    });
    return toSession(wire, orgId);
  }

  async createSession(orgId: string, request: CreateSessionRequest): Promise<Session> {
    const body = {
      prompt: request.prompt,
      ...(request.title ? { title: request.title } : {}),
      ...(request.tags && request.tags.length > 0 ? { tags: request.tags } : {}),
      ...(request.createAsUserId ? { create_as_user_id: request.createAsUserId } : {}),
      ...(request.playbookId ? { playbook_id: request.playbookId } : {}),
      ...(request.knowledgeIds ? { knowledge_ids: request.knowledgeIds } : {}),
      ...(request.repos && request.repos.length > 0 ? { repos: request.repos } : {}),
      ...(request.maxAcuLimit !== undefined ? { max_acu_limit: request.maxAcuLimit } : {}),
    };
    const permission = request.createAsUserId
      ? `${PERMISSIONS.createSession} and ${PERMISSIONS.impersonate}`
      : PERMISSIONS.createSession;
    const wire = await this.send('POST', `${orgPath(orgId)}/sessions`, schemas().sessionSchema, {
      body,
      signal: request.signal,
      permission,
    });
    return toSession(wire, orgId);
  }

  async listPlaybooks(orgId: string, page: PageRequest = {}): Promise<Page<Playbook>> {
    const wire = await this.get(`${orgPath(orgId)}/playbooks`, schemas().playbookListSchema, {
      ...page,
      query: pageQuery(page),
      permission: PERMISSIONS.playbooks,
    });
    const items = this.rows(schemas().playbookSchema, wire.items, page, `GET ${orgPath(orgId)}/playbooks`);
    return toPage({ ...wire, items }, (item) => ({
      id: String(item.playbook_id),
      title: item.title?.trim() || String(item.playbook_id),
      macro: item.macro ?? undefined,
    }));
  }

  /** Organization members (still beta, so always under `/v3beta1`). */
  async listMembers(orgId: string, page: PageRequest = {}): Promise<Page<Member>> {
    const wire = await this.get(`/v3beta1${orgPath(orgId)}/members/users`, schemas().memberListSchema, {
      ...page,
      query: pageQuery(page),
      permission: PERMISSIONS.members,
      absolute: true,
    });
    const items = this.rows(schemas().memberSchema, wire.items, page, `GET ${orgPath(orgId)}/members/users`);
    return toPage({ ...wire, items }, (item) => ({
      id: String(item.user_id),
      name: item.name ?? item.display_name ?? undefined,
      email: item.email ?? undefined,
    }));
  }

  /** Sending to a suspended session resumes it (documented behaviour). */
  async sendMessage(
    orgId: string,
    sessionId: string,
    message: string,
    signal?: AbortSignal,
  ): Promise<Session | undefined> {
    const wire = await this.send('POST', `${sessionPath(orgId, sessionId)}/messages`, undefined, {
      body: { message },
      signal,
      permission: PERMISSIONS.manageSessions,
    });
    const parsed = schemas().sessionSchema.safeParse(wire);
    // Older shapes answer `null` or `{detail}`; the message was accepted all the same.
    return parsed.success ? toSession(parsed.data, orgId) : undefined;
  }

  async listMessages(orgId: string, sessionId: string, page: PageRequest = {}): Promise<Page<SessionMessage>> {
    const wire = await this.get(`${sessionPath(orgId, sessionId)}/messages`, schemas().sessionMessageListSchema, {
      ...page,
      query: pageQuery(page),
      permission: PERMISSIONS.viewSessions,
    });
    const items = this.rows(
      schemas().sessionMessageSchema,
      wire.items,
      page,
      `GET ${sessionPath(orgId, sessionId)}/messages`,
    );
    return toPage({ ...wire, items: items.map((item, index) => toSessionMessage(item, index)) }, (message) => message);
  }

  async listKnowledgeNotes(
    orgId: string,
    page: PageRequest & { readonly search?: string } = {},
  ): Promise<Page<KnowledgeNote>> {
    const wire = await this.get(`${orgPath(orgId)}/knowledge/notes`, schemas().knowledgeNoteListSchema, {
      ...page,
      query: { ...pageQuery(page), search: page.search },
      permission: PERMISSIONS.knowledge,
    });
    const items = this.rows(schemas().knowledgeNoteSchema, wire.items, page, `GET ${orgPath(orgId)}/knowledge/notes`);
    return toPage({ ...wire, items }, toKnowledgeNote);
  }

  async createKnowledgeNote(
    orgId: string,
    request: CreateKnowledgeNoteRequest,
    signal?: AbortSignal,
  ): Promise<KnowledgeNote> {
    const wire = await this.send('POST', `${orgPath(orgId)}/knowledge/notes`, schemas().knowledgeNoteSchema, {
      body: { name: request.name, body: request.body, trigger: request.trigger, folder_id: request.folderId },
      signal,
      permission: PERMISSIONS.knowledge,
    });
    const note = toKnowledgeNote(wire);
    if (!note) throw new DevinApiError({ kind: 'malformed', endpoint: 'POST knowledge/notes' });
    return note;
  }

  async listAuditLogs(query: AuditLogQuery = {}): Promise<Page<AuditLogEntry>> {
    const path = query.orgId ? `/enterprise${orgPath(query.orgId)}/audit-logs` : '/enterprise/audit-logs';
    const wire = await this.get(path, schemas().auditLogListSchema, {
      ...query,
      query: { ...pageQuery(query), time_after: query.timeAfter, time_before: query.timeBefore, action: query.action },
      permission: PERMISSIONS.auditLogs,
    });
    const items = this.rows(schemas().auditLogSchema, wire.items, query, 'GET /enterprise/audit-logs');
    return toPage({ ...wire, items: items.map((item, index) => toAuditLogEntry(item, index)) }, (entry) => entry);
  }

  /** Escape hatch for endpoint groups that live beside the client (consumption, for one). */
  async getJson<S extends z.core.$ZodType>(
    path: string,
    schema: S,
    options: Omit<RequestOptions, 'body' | 'upload' | 'absolute'> = {},
  ): Promise<z.infer<S>> {
    return this.get(path, schema, options);
  }

  /**
   * Any method, for endpoint groups that live beside the client. `absolute` paths carry their own version
   * prefix, for the endpoints that exist only under `/v3beta1`.
   */
  async requestJson<S extends z.core.$ZodType>(
    method: HttpRequest['method'],
    path: string,
    schema: S | undefined,
    options: Omit<RequestOptions, 'upload'> = {},
  ): Promise<z.infer<S>> {
    return this.send(method, path, schema, options);
  }

  /** A list's rows, each checked on its own (also for endpoint groups beside the client); the endpoint is named without the version prefix. */
  rows<S extends z.core.$ZodType>(
    schema: S,
    rows: readonly unknown[],
    page: PageRequest,
    endpoint: string,
  ): z.infer<S>[] {
    const [method, path] = endpoint.split(' ');
    const named = `${method} /${this.apiVersion}${path}`;
    checkRowCount(rows, page.first, named);
    return parseRows(schema, rows, named, this.onSkippedRows);
  }

  private get<S extends z.core.$ZodType>(
    path: string,
    schema: S,
    options: Omit<RequestOptions, 'body' | 'upload'>,
  ): Promise<z.infer<S>> {
    return this.send('GET', path, schema, options);
  }

  private async send<S extends z.core.$ZodType>(
    method: HttpRequest['method'],
    path: string,
    schema: S | undefined,
    options: RequestOptions,
  ): Promise<z.infer<S>> {
    const fullPath = options.absolute ? path : `/${this.apiVersion}${path}`;
    const raw = await this.http.requestJson({
      method,
      path: fullPath,
      query: options.query,
      body: options.body,
      upload: options.upload,
      signal: options.signal,
      permission: options.permission,
      onAnswerDate: options.onAnswerDate,
    });
    if (!schema) return raw as z.infer<S>;
    const parsed = (schema as unknown as z.ZodMiniType).safeParse(raw);
    if (!parsed.success)
      throw new DevinApiError({ kind: 'malformed', unexpectedShape: true, endpoint: `${method} ${fullPath}` });
    return parsed.data as z.infer<S>;
  }
}

function pageQuery(page: PageRequest): Record<string, QueryValue> {
  return { first: page.first, after: page.after };
}

function sessionListQuery(page: SessionListQuery): Record<string, QueryValue> {
  return {
    ...pageQuery(page),
    tags: page.tags,
    updated_after: page.updatedAfter,
    updated_before: page.updatedBefore,
    created_after: page.createdAfter,
    created_before: page.createdBefore,
    is_archived: page.isArchived,
  };
}

function listFilterQuery(filter: SessionListFilter): Record<string, QueryValue> {
  const list = (values: readonly string[] | undefined) => (values && values.length > 0 ? values : undefined);
  return {
    tags: list(filter.tags),
    origins: list(filter.origins),
    user_ids: list(filter.userIds),
    service_user_ids: list(filter.serviceUserIds),
    repo_names: list(filter.repoNames),
    is_archived: filter.isArchived,
    schedule_id: filter.schedule?.id,
  };
}

export function orgPath(orgId: string): string {
  return `/organizations/${encodeURIComponent(orgId)}`;
}

function sessionPath(orgId: string, sessionId: string): string {
  return `${orgPath(orgId)}/sessions/${encodeURIComponent(toDevinId(sessionId))}`;
}

/** The last path segment of a download address, decoded; a stray `%` keeps it as it is rather than failing. */
function nameFromUrl(url: string): string {
  const last = url.split(/[?#]/)[0]?.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** Clamps a user-chosen page size into what the API accepts (1–200). */
export function clampPageSize(size: number): number {
  if (!Number.isFinite(size)) return 50;
  return Math.min(PAGE_SIZE_LIMITS.max, Math.max(PAGE_SIZE_LIMITS.min, Math.round(size)));
}
