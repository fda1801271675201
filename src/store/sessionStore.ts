import * as l10n from '@vscode/l10n';
import { DevinApiError, isDevinApiError } from '../api/errors';
import type { Organization, Page, Session } from '../core/models';
import { organizationFromId, toDevinId } from '../core/models';
import { collectPages, uniqueById, usableNextCursor } from '../core/paging';
import { matchesListFilter, type SessionListFilter } from '../core/sessionFilter';
import { Emitter } from './emitter';
import {
  dedupeNewestFirst,
  emptyChange,
  placeInPage,
  sameSession,
  stateForError,
  type ChangeCause,
  type ConnectionProblem,
  type Freshness,
  type OrganizationSessions,
  type PageRows,
  type SessionSource,
  type SessionsChange,
  type SessionUpdate,
  type ViewState,
} from './storeModel';

export type {
  ChangeCause,
  ConnectionProblem,
  Freshness,
  OrganizationSessions,
  SessionSource,
  SessionsChange,
  SessionUpdate,
  ViewState,
} from './storeModel';

/** Where the organizations list stops; the view says when the API had more. */
const MAX_ORGANIZATIONS = 5000;

/**
 * The one model of what the Devin API said: organizations, the pages of sessions loaded per organization,
 * every session seen by id, and how fresh all of it is. The tree, status bar, notifications, panels and
 * commands read it and subscribe to its events; loads and the poller write it. Events say what changed,
 * and nothing fires when a write changes nothing, so nothing redraws for an idle poll.
 */

export class SessionStore {
  private readonly organizationsChanged = new Emitter<void>();
  private readonly sessionsChanged = new Emitter<SessionsChange>();
  private readonly viewStateChanged = new Emitter<ViewState>();
  private readonly freshnessChanged = new Emitter<Freshness>();
  private readonly watchedChanged = new Emitter<void>();
  /** Organizations were listed, or everything was dropped for a reload (sign-in, sign-out, Refresh). */
  readonly onDidChangeOrganizations = this.organizationsChanged.event;
  readonly onDidChangeSessions = this.sessionsChanged.event;
  readonly onDidChangeViewState = this.viewStateChanged.event;
  readonly onDidChangeFreshness = this.freshnessChanged.event;
  readonly onDidChangeWatched = this.watchedChanged.event;

  private state: ViewState = 'loading';
  private stateMessage: string | undefined;
  private stateError: unknown;
  private orgs: Organization[] | undefined;
  private orgScope: 'enterprise' | 'organization' | undefined;
  private orgsTruncated = false;
  /** Organizations whose rows the tree shows; the poller may have to choose among organizations by them. */
  private readonly expanded = new Set<string>();
  private rootLoad: Promise<readonly Organization[]> | undefined;
  private readonly pages = new Map<string, PageRows>();
  /** What the lists ask the API for (archived hidden by default), and a check for what the API cannot filter. */
  private listFilter: SessionListFilter = { isArchived: false };
  private keepSession: (session: Session) => boolean = () => true;
  /**
   * Under a schedule filter, the sessions the filtered list returned. Sessions carry no `schedule_id`, so a
   * session a poll brings in cannot be told to be a run; only these are listed until the next load.
   */
  private readonly scheduleRuns = new Set<string>();
  private readonly pageLoads = new Map<string, Promise<void>>();
  private readonly byId = new Map<string, Session>();
  private readonly promptHints = new Map<string, string>();
  private readonly watched = new Set<string>();
  private fresh: Freshness = { updatedAt: undefined, problem: undefined };
  private reloads = 0;

  constructor(
    private readonly source: SessionSource,
    private readonly now: () => number = Date.now,
  ) {}

  get viewState(): ViewState {
    return this.state;
  }

  /** The message that goes with a failed state. */
  get viewStateMessage(): string | undefined {
    return this.stateMessage;
  }

  /** How the organizations were found: listed (enterprise) or named by the token or `devin.orgId`. */
  get scope(): 'enterprise' | 'organization' | undefined {
    return this.orgScope;
  }

  /** Counts full reloads (sign-in, sign-out, Refresh), so a long-running reader can tell its data was dropped. */
  get generation(): number {
    return this.reloads;
  }

  get freshness(): Freshness {
    return this.fresh;
  }

  /** The organizations list stopped at its limit while the API had more: the view says so. */
  get organizationsTruncated(): boolean {
    return this.orgsTruncated;
  }

  knownOrganizations(): readonly Organization[] {
    return this.orgs ?? [];
  }

  /** The organization as listed, or one named by its id when the list does not have it. */
  organizationOrId(orgId: string): Organization {
    return this.orgs?.find((organization) => organization.id === orgId) ?? organizationFromId(orgId);
  }

  sessionsOf(orgId: string): OrganizationSessions | undefined {
    return this.pages.get(orgId);
  }

  session(sessionId: string): Session | undefined {
    return this.byId.get(toDevinId(sessionId));
  }

  /** Every session seen since the last reload, across organizations, loaded pages or not. */
  knownSessions(): readonly Session[] {
    return [...this.byId.values()];
  }

  /** The first line of the prompt of a session created here, for a row whose title Devin has not set yet. */
  promptHint(sessionId: string): string | undefined {
    return this.promptHints.get(sessionId);
  }

  /** Organizations, loading them first if needed; throws the API's own error when they cannot be loaded. */
  async loadOrganizations(): Promise<readonly Organization[]> {
    const organizations = await this.ensureOrganizations();
    if (this.state === 'signedOut') throw new DevinApiError({ kind: 'signedOut' });
    if (this.state !== 'ready' && this.state !== 'noOrganizations')
      throw this.stateError ?? new Error(this.stateMessage ?? l10n.t('No organizations are available.'));
    return organizations;
  }

  /** Organizations, loading them first if needed; empty on failure, with the reason in `viewState`. */
  ensureOrganizations(): Promise<readonly Organization[]> {
    if (this.orgs) return Promise.resolve(this.orgs);
    this.rootLoad ??= this.loadRoots(this.reloads);
    return this.rootLoad;
  }

  /** The first page of an organization's sessions, unless loaded (or loading) already. */
  loadFirstPage(orgId: string): Promise<void> {
    // The tree asks for an organization's rows when it is expanded.
    this.expanded.add(orgId);
    if (this.pages.has(orgId)) return Promise.resolve();
    let load = this.pageLoads.get(orgId);
    if (!load) {
      const generation = this.reloads;
      const filter = this.listFilter;
      // A schedule belongs to one organization: the others have no runs of it, and are not asked.
      const noRunsHere = filter.schedule !== undefined && filter.schedule.orgId !== orgId;
      const request = noRunsHere
        ? Promise.resolve<Page<Session>>({ items: [], nextCursor: undefined, total: 0 })
        : this.source.getClient().listSessions(orgId, { ...filter, first: this.source.pageSize() });
      const started: Promise<void> = request
        .then(
          (page) => {
            // A load the filter changed under belongs to the old list: the new one loads on its own.
            if (generation !== this.reloads || filter !== this.listFilter) return;
            if (!noRunsHere) this.markUpdated();
            this.noteScheduleRuns(page.items);
            this.pages.set(orgId, {
              sessions: [],
              nextCursor: usableNextCursor(page, undefined),
              total: page.total,
              loadingMore: false,
              error: undefined,
            });
            this.write(page.items, 'load', { replacePageOf: orgId });
          },
          (error: unknown) => {
            if (generation !== this.reloads || filter !== this.listFilter) return;
            const message = error instanceof Error ? error.message : String(error);
            this.pages.set(orgId, {
              sessions: [],
              nextCursor: undefined,
              total: undefined,
              loadingMore: false,
              error: message,
            });
            if (isDevinApiError(error) && error.kind === 'unauthorized') this.setState('tokenRejected', message, error);
            this.sessionsChanged.fire(emptyChange(orgId, 'load'));
          },
        )
        .finally(() => {
          if (this.pageLoads.get(orgId) === started) this.pageLoads.delete(orgId);
        });
      load = started;
      this.pageLoads.set(orgId, load);
    }
    return load;
  }

  async loadMore(orgId: string): Promise<void> {
    const page = this.pages.get(orgId);
    if (!page?.nextCursor || page.loadingMore) return;
    page.loadingMore = true;
    this.sessionsChanged.fire(emptyChange(orgId, 'load'));
    try {
      const next = await this.source
        .getClient()
        .listSessions(orgId, { ...this.listFilter, first: this.source.pageSize(), after: page.nextCursor });
      this.markUpdated();
      this.noteScheduleRuns(next.items);
      page.nextCursor = usableNextCursor(next, page.nextCursor);
      page.total = next.total ?? page.total;
      page.loadingMore = false;
      this.write(next.items, 'load', { appendTo: orgId });
    } finally {
      if (page.loadingMore) {
        page.loadingMore = false;
        this.sessionsChanged.fire(emptyChange(orgId, 'load'));
      }
    }
  }

  /**
   * Sets the list parameters (and a check for what the API cannot filter, such as status) and reloads every
   * organization's sessions, so paging counts only matching sessions.
   */
  setListFilter(filter: SessionListFilter, keep: (session: Session) => boolean = () => true): void {
    this.listFilter = filter;
    this.keepSession = keep;
    this.scheduleRuns.clear();
    for (const orgId of [...this.pages.keys()]) this.refresh(orgId);
  }

  /** Whether a session belongs in the lists under the current filter (a poll can bring in one that does not). */
  isListed(session: Session): boolean {
    if (this.listFilter.schedule && !this.scheduleRuns.has(session.id)) return false;
    return matchesListFilter(session, this.listFilter) && this.keepSession(session);
  }

  /** A session the user just created or changed here: shown at once, before any poll. */
  addOrUpdateSession(session: Session, promptFirstLine?: string): void {
    if (promptFirstLine) this.promptHints.set(session.id, promptFirstLine);
    this.write([session], 'local', { countNew: true });
  }

  /** Sessions the poller read: changes (`poll`), or the baseline it compares later reads with (`load`). */
  merge(sessions: readonly Session[], cause: 'poll' | 'load' = 'poll'): void {
    this.write(sessions, cause, {});
  }

  /** Reloads everything (sign-in, sign-out, Refresh), or just one organization's sessions. */
  refresh(orgId?: string): void {
    if (orgId !== undefined) {
      this.pages.delete(orgId);
      this.pageLoads.delete(orgId);
      this.sessionsChanged.fire(emptyChange(orgId, 'load'));
      return;
    }
    this.reloads++;
    this.orgs = undefined;
    this.orgScope = undefined;
    this.orgsTruncated = false;
    this.rootLoad = undefined;
    this.expanded.clear();
    this.pages.clear();
    this.pageLoads.clear();
    this.byId.clear();
    this.setFreshness({ updatedAt: undefined, problem: undefined });
    this.setState('loading');
    this.organizationsChanged.fire();
  }

  /** The tree's rows of the organization were expanded or collapsed. */
  setOrganizationExpanded(orgId: string, expanded: boolean): void {
    if (expanded) this.expanded.add(orgId);
    else this.expanded.delete(orgId);
  }

  /** Organizations someone here looks at: expanded in the tree, or holding a watched session. */
  organizationsInView(): ReadonlySet<string> {
    const inView = new Set(this.expanded);
    for (const sessionId of this.watched) {
      const orgId = this.byId.get(sessionId)?.orgId;
      if (orgId) inView.add(orgId);
    }
    return inView;
  }

  /** Sessions someone here is waiting on (created here, open in a panel): polled even while the view is hidden. */
  watch(sessionId: string): void {
    const id = toDevinId(sessionId);
    if (this.watched.has(id)) return;
    this.watched.add(id);
    this.watchedChanged.fire();
  }

  unwatch(sessionId: string): void {
    if (this.watched.delete(toDevinId(sessionId))) this.watchedChanged.fire();
  }

  watchedSessionIds(): readonly string[] {
    return [...this.watched];
  }

  isWatched(sessionId: string): boolean {
    return this.watched.has(toDevinId(sessionId));
  }

  /** A successful read from the API: clears any connection problem. */
  markUpdated(): void {
    this.setFreshness({ updatedAt: this.now(), problem: undefined });
  }

  setProblem(problem: ConnectionProblem | undefined): void {
    this.setFreshness({ ...this.fresh, problem });
  }

  /** Reflects a failure of the organizations list (kept for a poll that retries it). */
  setState(state: ViewState, message?: string, error?: unknown): void {
    this.stateMessage = message;
    this.stateError = error;
    if (state === this.state && state !== 'error' && state !== 'invalidSettings') return;
    this.state = state;
    this.viewStateChanged.fire(state);
  }

  dispose(): void {
    for (const emitter of [
      this.organizationsChanged,
      this.sessionsChanged,
      this.viewStateChanged,
      this.freshnessChanged,
      this.watchedChanged,
    ])
      emitter.dispose();
  }

  private removeFromPage(orgId: string, sessionId: string): boolean {
    const page = this.pages.get(orgId);
    const index = page?.sessions.findIndex((session) => session.id === sessionId) ?? -1;
    if (!page || index < 0) return false;
    page.sessions.splice(index, 1);
    if (page.total !== undefined) page.total = Math.max(0, page.total - 1);
    return true;
  }

  private noteScheduleRuns(sessions: readonly Session[]): void {
    if (this.listFilter.schedule) for (const session of sessions) this.scheduleRuns.add(session.id);
  }

  private setFreshness(next: Freshness): void {
    if (next.updatedAt === this.fresh.updatedAt && next.problem === this.fresh.problem) return;
    this.fresh = next;
    this.freshnessChanged.fire(next);
  }

  private async loadRoots(generation: number): Promise<readonly Organization[]> {
    if (!(await this.source.isSignedIn())) {
      this.rootLoad = undefined;
      this.setState('signedOut');
      return [];
    }
    this.setState('loading');
    try {
      const [organizations, scope, truncated] = await this.resolveOrganizations();
      if (generation !== this.reloads) return this.ensureOrganizations();
      this.orgs = organizations;
      this.orgScope = scope;
      this.orgsTruncated = truncated;
      this.markUpdated();
      this.setState(organizations.length > 0 ? 'ready' : 'noOrganizations');
      this.organizationsChanged.fire();
      return organizations;
    } catch (error) {
      if (generation !== this.reloads) return this.ensureOrganizations();
      this.rootLoad = undefined;
      this.setState(stateForError(error), error instanceof Error ? error.message : String(error), error);
      return [];
    }
  }

  /**
   * Enterprise tokens list organizations. An organization-scoped token names its one organization in the
   * identity call; `devin.orgId` covers tokens that can do neither.
   */
  private async resolveOrganizations(): Promise<[Organization[], 'enterprise' | 'organization', boolean]> {
    const configuredOrgId = this.source.configuredOrgId();
    // With a configured organization, an identity failure other than a rejected token must not hide the sessions.
    const identity = await this.source.getIdentity().catch((error: unknown) => {
      if (configuredOrgId && !(isDevinApiError(error) && error.kind === 'unauthorized')) return undefined;
      throw error;
    });
    if (configuredOrgId) return [[organizationFromId(configuredOrgId)], 'organization', false];
    if (identity?.orgId) return [[organizationFromId(identity.orgId)], 'organization', false];
    const client = this.source.getClient();
    const { items, truncated } = await collectPages(
      (after) => client.listOrganizations({ first: 200, after }),
      MAX_ORGANIZATIONS,
    );
    return [uniqueById(items).sort((a, b) => a.name.localeCompare(b.name)), 'enterprise', truncated];
  }

  /**
   * Records sessions and fires one event per organization that changed. A session goes into its
   * organization's loaded page when it belongs within what was loaded (newer than the oldest row, or the
   * page is complete); older ones wait for Load more.
   */
  private write(
    sessions: readonly Session[],
    cause: ChangeCause,
    options: { replacePageOf?: string; appendTo?: string; countNew?: boolean },
  ): void {
    const byOrg = new Map<string, { added: Session[]; updated: SessionUpdate[]; statusChanged: SessionUpdate[] }>();
    const touched = new Set<string>();
    if (options.replacePageOf) touched.add(options.replacePageOf);
    if (options.appendTo) touched.add(options.appendTo);
    for (const session of sessions) {
      const previous = this.byId.get(session.id);
      // Moved to another organization: it is listed under the new one only.
      const moved = previous !== undefined && previous.orgId !== session.orgId;
      if (moved && this.removeFromPage(previous.orgId, session.id)) touched.add(previous.orgId);
      const page = this.pages.get(session.orgId);
      if (page && (options.replacePageOf === session.orgId || options.appendTo === session.orgId))
        page.sessions.push(session);
      else if (page && !sameSession(previous, session))
        placeInPage(page, session, moved || (options.countNew && !previous));
      if (sameSession(previous, session)) continue;
      this.byId.set(session.id, session);
      const entry = byOrg.get(session.orgId) ?? { added: [], updated: [], statusChanged: [] };
      byOrg.set(session.orgId, entry);
      if (!previous) entry.added.push(session);
      else {
        entry.updated.push({ session, previous });
        if (previous.status !== session.status || previous.statusDetail !== session.statusDetail)
          entry.statusChanged.push({ session, previous });
      }
    }
    for (const orgId of touched) {
      const page = this.pages.get(orgId);
      if (page) page.sessions = dedupeNewestFirst(page.sessions);
    }
    for (const orgId of new Set([...touched, ...byOrg.keys()])) {
      const entry = byOrg.get(orgId) ?? { added: [], updated: [], statusChanged: [] };
      this.sessionsChanged.fire({
        orgId,
        cause,
        changed: [...entry.added, ...entry.updated.map((update) => update.session)],
        ...entry,
      });
    }
  }
}
