import type * as z from 'zod/mini';
import type {
  AuditLogEntry,
  CreatedServiceUser,
  Identity,
  KnowledgeNote,
  Organization,
  Page,
  PageRequest,
  Session,
  SessionMessage,
} from '../core/models';
import { toDevinId } from '../core/models';
import { DevinApiError } from './errors';
import { HttpClient, type HttpClientOptions, type HttpRequest, type QueryValue } from './http';
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
import {
  auditLogListSchema,
  auditLogSchema,
  createdServiceUserSchema,
  knowledgeNoteListSchema,
  knowledgeNoteSchema,
  organizationListSchema,
  organizationSchema,
  selfSchema,
  sessionListSchema,
  sessionMessageListSchema,
  sessionMessageSchema,
  sessionSchema,
} from './schemas';

/** `v3beta1` is what the project's specification uses; `v3` is the current prefix. */
export type ApiVersion = 'v3beta1' | 'v3';
export const API_VERSIONS: readonly ApiVersion[] = ['v3beta1', 'v3'];

export interface DevinClientOptions extends HttpClientOptions {
  readonly apiVersion: ApiVersion;
  /** Told about rows of a list that were skipped because they could not be read. */
  readonly onSkippedRows?: (report: SkippedRows) => void;
}

export const PAGE_SIZE_LIMITS = { min: 1, max: 200 } as const;

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
} as const;

export interface CreateSessionRequest {
  readonly prompt: string;
  readonly title?: string;
  readonly tags?: readonly string[];
  readonly createAsUserId?: string;
  readonly signal?: AbortSignal;
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
}

export interface AuditLogQuery extends PageRequest {
  /** Unix seconds. */
  readonly timeAfter?: number;
  readonly timeBefore?: number;
  readonly action?: string;
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
        const wire = await this.get(path, selfSchema, { signal, permission: PERMISSIONS.self });
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
    const wire = await this.get('/enterprise/organizations', organizationListSchema, {
      ...page,
      query: pageQuery(page),
      permission: PERMISSIONS.organizations,
    });
    const items = this.rows(
      organizationSchema,
      'items' in wire ? wire.items : wire.organizations,
      page,
      'GET /enterprise/organizations',
    );
    return toPage({ ...wire, items }, toOrganization);
  }

  async createOrganization(request: CreateOrganizationRequest, signal?: AbortSignal): Promise<Organization> {
    // The specification's body is `{name, acu_limit}`; the current one has two separate limits.
    const body =
      this.apiVersion === 'v3beta1'
        ? { name: request.name, acu_limit: request.maxCycleAcuLimit ?? null }
        : {
            name: request.name,
            max_cycle_acu_limit: request.maxCycleAcuLimit ?? null,
            max_session_acu_limit: request.maxSessionAcuLimit ?? null,
          };
    const wire = await this.send('POST', '/enterprise/organizations', organizationSchema, {
      body,
      signal,
      permission: PERMISSIONS.organizations,
    });
    const organization = toOrganization(wire);
    if (!organization) throw new DevinApiError({ kind: 'malformed', endpoint: 'POST /enterprise/organizations' });
    return organization;
  }

  async listSessions(
    orgId: string,
    page: PageRequest & { readonly tags?: readonly string[] } = {},
  ): Promise<Page<Session>> {
    const wire = await this.get(`${orgPath(orgId)}/sessions`, sessionListSchema, {
      ...page,
      query: { ...pageQuery(page), tags: page.tags },
      permission: PERMISSIONS.viewSessions,
    });
    const items = this.rows(sessionSchema, wire.items, page, `GET ${orgPath(orgId)}/sessions`);
    return toPage({ ...wire, items }, (item) => toSession(item, orgId));
  }

  async getSession(orgId: string, sessionId: string, signal?: AbortSignal): Promise<Session> {
    const wire = await this.get(sessionPath(orgId, sessionId), sessionSchema, {
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
    };
    const permission = request.createAsUserId
      ? `${PERMISSIONS.createSession} and ${PERMISSIONS.impersonate}`
      : PERMISSIONS.createSession;
    const wire = await this.send('POST', `${orgPath(orgId)}/sessions`, sessionSchema, {
      body,
      signal: request.signal,
      permission,
    });
    return toSession(wire, orgId);
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
    const parsed = sessionSchema.safeParse(wire);
    // Older shapes answer `null` or `{detail}`; the message was accepted all the same.
    return parsed.success ? toSession(parsed.data, orgId) : undefined;
  }

  async listMessages(orgId: string, sessionId: string, page: PageRequest = {}): Promise<Page<SessionMessage>> {
    const wire = await this.get(`${sessionPath(orgId, sessionId)}/messages`, sessionMessageListSchema, {
      ...page,
      query: pageQuery(page),
      permission: PERMISSIONS.viewSessions,
    });
    const items = this.rows(sessionMessageSchema, wire.items, page, `GET ${sessionPath(orgId, sessionId)}/messages`);
    return toPage({ ...wire, items: items.map((item, index) => toSessionMessage(item, index)) }, (message) => message);
  }

  async listKnowledgeNotes(
    orgId: string,
    page: PageRequest & { readonly search?: string } = {},
  ): Promise<Page<KnowledgeNote>> {
    const wire = await this.get(`${orgPath(orgId)}/knowledge/notes`, knowledgeNoteListSchema, {
      ...page,
      query: { ...pageQuery(page), search: page.search },
      permission: PERMISSIONS.knowledge,
    });
    const items = this.rows(knowledgeNoteSchema, wire.items, page, `GET ${orgPath(orgId)}/knowledge/notes`);
    return toPage({ ...wire, items }, toKnowledgeNote);
  }

  async createKnowledgeNote(
    orgId: string,
    request: CreateKnowledgeNoteRequest,
    signal?: AbortSignal,
  ): Promise<KnowledgeNote> {
    const wire = await this.send('POST', `${orgPath(orgId)}/knowledge/notes`, knowledgeNoteSchema, {
      body: { name: request.name, body: request.body, trigger: request.trigger },
      signal,
      permission: PERMISSIONS.knowledge,
    });
    const note = toKnowledgeNote(wire);
    if (!note) throw new DevinApiError({ kind: 'malformed', endpoint: 'POST knowledge/notes' });
    return note;
  }

  async listAuditLogs(query: AuditLogQuery = {}): Promise<Page<AuditLogEntry>> {
    const wire = await this.get('/enterprise/audit-logs', auditLogListSchema, {
      ...query,
      query: { ...pageQuery(query), time_after: query.timeAfter, time_before: query.timeBefore, action: query.action },
      permission: PERMISSIONS.auditLogs,
    });
    const items = this.rows(auditLogSchema, wire.items, query, 'GET /enterprise/audit-logs');
    return toPage({ ...wire, items: items.map((item, index) => toAuditLogEntry(item, index)) }, (entry) => entry);
  }

  /**
   * Creates an organization service user. The specification's call is
   * `POST …/organizations/{org}/members/service-users {name, role}`; the current API provisions through
   * the still-beta `POST /v3beta1/organizations/{org}/service-users {name, role_id, ttl_seconds}`.
   */
  async createServiceUser(
    orgId: string,
    request: { readonly name: string; readonly role: string; readonly ttlSeconds?: number },
    signal?: AbortSignal,
  ): Promise<CreatedServiceUser> {
    const [path, body] =
      this.apiVersion === 'v3beta1'
        ? [`${orgPath(orgId)}/members/service-users`, { name: request.name, role: request.role }]
        : [
            `/v3beta1${orgPath(orgId)}/service-users`,
            { name: request.name, role_id: request.role, ttl_seconds: request.ttlSeconds ?? 31_536_000 },
          ];
    const wire = await this.send('POST', path, createdServiceUserSchema, {
      body,
      signal,
      permission: PERMISSIONS.orgServiceUsers,
      absolute: this.apiVersion === 'v3',
    });
    const id = wire.service_user?.service_user_id ?? wire.id;
    const token = wire.token ?? wire.api_key;
    if (id === undefined || id === null || !token)
      throw new DevinApiError({ kind: 'malformed', endpoint: `POST ${path}` });
    return { id: String(id), name: wire.service_user?.name ?? wire.name ?? request.name, token };
  }

  /** Escape hatch for endpoint groups that live beside the client (consumption, for one). */
  async getJson<S extends z.core.$ZodType>(
    path: string,
    schema: S,
    options: {
      readonly query?: Readonly<Record<string, QueryValue>>;
      readonly signal?: AbortSignal;
      readonly permission?: string;
    } = {},
  ): Promise<z.infer<S>> {
    return this.get(path, schema, options);
  }

  /** A list's rows, each checked on its own; the endpoint is named without the version prefix. */
  private rows<S extends z.core.$ZodType>(
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
    options: {
      readonly query?: Readonly<Record<string, QueryValue>>;
      readonly signal?: AbortSignal;
      readonly permission?: string;
    },
  ): Promise<z.infer<S>> {
    return this.send('GET', path, schema, options);
  }

  private async send<S extends z.core.$ZodType>(
    method: HttpRequest['method'],
    path: string,
    schema: S | undefined,
    options: {
      readonly query?: Readonly<Record<string, QueryValue>>;
      readonly body?: unknown;
      readonly signal?: AbortSignal;
      readonly permission?: string;
      readonly absolute?: boolean;
    },
  ): Promise<z.infer<S>> {
    const fullPath = options.absolute ? path : `/${this.apiVersion}${path}`;
    const raw = await this.http.requestJson({
      method,
      path: fullPath,
      query: options.query,
      body: options.body,
      signal: options.signal,
      permission: options.permission,
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

function orgPath(orgId: string): string {
  return `/organizations/${encodeURIComponent(orgId)}`;
}

function sessionPath(orgId: string, sessionId: string): string {
  return `${orgPath(orgId)}/sessions/${encodeURIComponent(toDevinId(sessionId))}`;
}

/** Clamps a user-chosen page size into what the API accepts (1–200). */
export function clampPageSize(size: number): number {
  if (!Number.isFinite(size)) return 50;
  return Math.min(PAGE_SIZE_LIMITS.max, Math.max(PAGE_SIZE_LIMITS.min, Math.round(size)));
}
