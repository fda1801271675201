/**
 * The extension's own picture of Devin resources, independent of which API version or response shape
 * delivered them. Enum-like fields stay plain strings: the API adds values without notice, and an
 * unknown value must show up as itself rather than break a view.
 */

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass as `after` to get the next page; undefined on the last page. */
  readonly nextCursor: string | undefined;
  readonly total: number | undefined;
  /** When the server answered, by its own clock (its `Date` header, Unix ms), if it said. */
  readonly answeredAt?: number;
}

export interface PageRequest {
  readonly first?: number;
  readonly after?: string;
  readonly signal?: AbortSignal;
}

export type PrincipalKind = 'service_user' | 'pat_user' | 'unknown';

export interface Identity {
  readonly kind: PrincipalKind;
  readonly id: string | undefined;
  readonly name: string;
  /** Set for organization-scoped tokens; null for enterprise principals. */
  readonly orgId: string | undefined;
  /** Only the specification's identity shape reports a role. */
  readonly role: string | undefined;
}

export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number | undefined;
  readonly maxCycleAcuLimit: number | undefined;
  readonly maxSessionAcuLimit: number | undefined;
}

export interface PullRequest {
  readonly url: string;
  readonly state: string | undefined;
}

export interface Session {
  /** Always in the `devin-…` form used in paths. */
  readonly id: string;
  readonly orgId: string;
  readonly url: string | undefined;
  readonly status: string;
  readonly statusDetail: string | undefined;
  readonly title: string | undefined;
  readonly tags: readonly string[];
  /** Unix seconds. */
  readonly createdAt: number | undefined;
  readonly updatedAt: number | undefined;
  readonly acusConsumed: number | undefined;
  readonly pullRequests: readonly PullRequest[];
  readonly isArchived: boolean;
  readonly origin: string | undefined;
  readonly userId: string | undefined;
  readonly serviceUserId: string | undefined;
}

export interface SessionMessage {
  readonly id: string;
  readonly source: string;
  readonly message: string;
  readonly createdAt: number | undefined;
}

/** A scheduled session (§4.10). Its timestamps arrive as ISO strings and are kept as Unix seconds. */
export interface Schedule {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly prompt: string;
  readonly enabled: boolean;
  readonly kind: 'recurring' | 'oneTime';
  /** Cron (UTC) for recurring schedules. */
  readonly frequency: string | undefined;
  /** Unix seconds, for one-time schedules. */
  readonly scheduledAt: number | undefined;
  readonly lastExecutedAt: number | undefined;
  readonly lastError: string | undefined;
  readonly lastErrorAt: number | undefined;
  /** Runs in a row that failed; 0 (or unknown) when the last run went well. */
  readonly consecutiveFailures: number;
  /** Unix seconds, when the API says. */
  readonly createdAt?: number;
}

export interface KnowledgeNote {
  readonly id: string;
  readonly name: string;
  readonly body: string;
  readonly trigger: string;
  readonly folderPath: string | undefined;
  /** What a replace (`PUT`) sends back to keep the note in its folder. */
  readonly folderId: string | undefined;
  readonly pinnedRepo: string | undefined;
  readonly isEnabled: boolean;
  readonly updatedAt: number | undefined;
}

export interface AuditLogEntry {
  readonly id: string;
  readonly action: string;
  readonly createdAt: number | undefined;
  readonly orgId: string | undefined;
  readonly userId: string | undefined;
  readonly userEmail: string | undefined;
  readonly serviceUserId: string | undefined;
  readonly serviceUserName: string | undefined;
  /** The event's own details (which session, which note…); shapes vary by action. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** A file of a session: one Devin produced, or one the user attached. */
export interface SessionAttachment {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  /** Download address; the API redirects it to short-lived storage. */
  readonly url: string;
  readonly contentType: string | undefined;
}

export interface CreatedServiceUser {
  readonly id: string;
  readonly name: string;
  /** The new `cog_` key. The API shows it once; it must go straight to the user and nowhere else. */
  readonly token: string;
}

/** Session ids appear bare or prefixed; paths need the `devin-` form. */
export function toDevinId(id: string): string {
  return id.startsWith('devin-') ? id : `devin-${id}`;
}

/** Organization-scoped tokens cannot read their organization's name; the id is what Devin shows in its settings. */
export function organizationFromId(orgId: string): Organization {
  return { id: orgId, name: orgId, createdAt: undefined, maxCycleAcuLimit: undefined, maxSessionAcuLimit: undefined };
}

/**
 * A session as it travels from a row, a link or a panel to an action: named once, never looked up again on
 * the way. `label` and `status` are what the caller already showed, for messages and the resume hint.
 */
export interface SessionRef {
  readonly orgId: string;
  readonly sessionId: string;
  readonly label?: string;
  readonly status?: string;
}

/**
 * Whether `value` names a session by ids (`{ orgId, sessionId }`), the options form that links, other commands and
 * automation pass to a session command.
 */
export function isSessionRef(value: unknown): value is SessionRef {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<SessionRef>;
  return typeof candidate.orgId === 'string' && typeof candidate.sessionId === 'string';
}

/** An organization picked once by the caller; `name` when known, for messages. */
export interface OrgRef {
  readonly orgId: string;
  readonly name?: string;
}

/**
 * Everything a new session is created with, the one shape for every way of creating one (input box, selection,
 * composer, Create with Options…, a kept draft). `attachments` are local files, uploaded and named in the prompt
 * as `ATTACHMENT:"url"` lines just before the create.
 */
export interface SessionRequest {
  readonly prompt: string;
  readonly title?: string;
  readonly tags?: readonly string[];
  readonly createAsUserId?: string;
  readonly playbookId?: string;
  /** Undefined leaves Knowledge to Devin (all of it); a list limits it to those notes. */
  readonly knowledgeIds?: readonly string[];
  readonly repos?: readonly string[];
  readonly maxAcuLimit?: number;
  readonly attachments?: readonly string[];
}
