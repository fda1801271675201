import * as l10n from '@vscode/l10n';
import type { Identity, Session } from './models';
import { statusLook } from './sessionPresentation';

/**
 * The filter "Devin: Filter Sessions…" sets on the view. Everything except status goes to the API's
 * list parameters (§4.1), so paging counts only matching sessions; the list has no status parameter,
 * so status is applied to the rows that arrive.
 */

/** The list filters of §4.1 the extension sends. `isArchived` undefined means archived or not. */
export interface SessionListFilter {
  readonly tags?: readonly string[];
  readonly origins?: readonly string[];
  readonly userIds?: readonly string[];
  readonly serviceUserIds?: readonly string[];
  readonly repoNames?: readonly string[];
  readonly isArchived?: boolean;
  /**
   * Only the sessions a schedule started (`schedule_id`). A schedule belongs to one organization, so the
   * others have none to list.
   */
  readonly schedule?: ScheduleRef;
}

export interface ScheduleRef {
  readonly orgId: string;
  readonly id: string;
}

export interface SessionFilter {
  readonly statuses?: readonly string[];
  readonly tags?: readonly string[];
  readonly origins?: readonly string[];
  readonly createdByMe?: boolean;
  readonly repoNames?: readonly string[];
  /** "Show Runs" on a schedule's row: the sessions it started. */
  readonly schedule?: ScheduleRef & { readonly name: string };
}

/**
 * Status choices, as the list shows them: the API's status values, with `running` split by what Devin is doing.
 * A function, not a table: the labels are looked up in the display language, which is set at activation.
 */
export function statusChoices(): readonly { readonly value: string; readonly label: string }[] {
  return [
    { value: 'waiting', label: l10n.t('Waiting for you') },
    { value: 'working', label: l10n.t('Working') },
    { value: 'finished', label: l10n.t('Finished') },
    { value: 'suspended', label: l10n.t('Suspended') },
    { value: 'ended', label: l10n.t('Ended (exit or error)') },
  ];
}

export const ORIGIN_CHOICES: readonly string[] = [
  'webapp',
  'slack',
  'teams',
  'api',
  'linear',
  'jira',
  'automation',
  'cli',
  'desktop',
  'other',
];

export function isEmptyFilter(filter: SessionFilter): boolean {
  return (
    !filter.createdByMe &&
    !filter.schedule &&
    !filter.statuses?.length &&
    !filter.tags?.length &&
    !filter.origins?.length &&
    !filter.repoNames?.length
  );
}

/** The list parameters for a filter; "created by me" needs the signed-in principal's id. */
export function listFilterFor(
  filter: SessionFilter,
  identity: Pick<Identity, 'kind' | 'id'> | undefined,
  showArchived: boolean,
): SessionListFilter {
  const me = filter.createdByMe && identity?.id ? identity : undefined;
  return {
    tags: filter.tags,
    origins: filter.origins,
    repoNames: filter.repoNames,
    userIds: me?.kind === 'pat_user' ? [me.id as string] : undefined,
    serviceUserIds: me?.kind === 'service_user' ? [me.id as string] : undefined,
    // Absent means both; false hides archived sessions, which is the default view.
    isArchived: showArchived ? undefined : false,
    schedule: filter.schedule ? { orgId: filter.schedule.orgId, id: filter.schedule.id } : undefined,
  };
}

/** The status part of the filter, which the API cannot apply. */
export function matchesStatusFilter(session: Session, filter: SessionFilter): boolean {
  if (!filter.statuses?.length) return true;
  return filter.statuses.includes(statusGroup(session));
}

export function statusGroup(session: Pick<Session, 'status' | 'statusDetail'>): string {
  const look = statusLook(session.status, session.statusDetail);
  if (look.isTerminal) return 'ended';
  if (look.needsUser) return 'waiting';
  if (session.status === 'suspended') return 'suspended';
  if (session.statusDetail === 'finished') return 'finished';
  return 'working';
}

/** One line for the view's description, e.g. "Filtered: waiting · tag bug · mine". */
export function describeFilter(filter: SessionFilter): string | undefined {
  if (isEmptyFilter(filter)) return undefined;
  const parts: string[] = [];
  if (filter.schedule) parts.push(l10n.t('runs of "{0}"', filter.schedule.name));
  if (filter.statuses?.length)
    parts.push(
      filter.statuses.map((value) => statusChoices().find((c) => c.value === value)?.label ?? value).join(', '),
    );
  if (filter.tags?.length) parts.push(l10n.t('tags {0}', filter.tags.join(', ')));
  if (filter.origins?.length)
    parts.push(
      l10n.t({
        message: 'from {0}',
        args: [filter.origins.join(', ')],
        comment: ['{0}: where sessions started, e.g. slack'],
      }),
    );
  if (filter.repoNames?.length)
    parts.push(l10n.t({ message: 'in {0}', args: [filter.repoNames.join(', ')], comment: ['{0}: repositories'] }));
  if (filter.createdByMe) parts.push(l10n.t('created by me'));
  return l10n.t('Filtered: {0}', parts.join(' · '));
}

/**
 * Whether a session the view already holds still belongs under the list filter, for sessions that change
 * after they were listed (archived, re-tagged): the API applied the filter to the list, not to the change.
 */
export function matchesListFilter(session: Session, filter: SessionListFilter): boolean {
  if (filter.schedule && session.orgId !== filter.schedule.orgId) return false;
  if (filter.isArchived !== undefined && session.isArchived !== filter.isArchived) return false;
  if (filter.tags?.length && !filter.tags.some((tag) => session.tags.includes(tag))) return false;
  if (filter.origins?.length && (!session.origin || !filter.origins.includes(session.origin))) return false;
  return true;
}
