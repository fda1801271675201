import * as l10n from '@vscode/l10n';
import type { Session } from './models';
import { safeExternalUrl } from './externalUrl';
import { redactSecrets } from './redaction';

/**
 * How a session reads in a list: label, one-line description, icon and colour per status. Pure
 * functions of the session and a clock, so the tree and the quick picks agree and tests need no UI.
 */

export type StatusTone = 'working' | 'attention' | 'done' | 'paused' | 'failed' | 'idle' | 'unknown';

export interface StatusLook {
  /** Short human text, e.g. "Waiting for you". */
  readonly label: string;
  /** A codicon id. */
  readonly icon: string;
  /** A theme colour id, or undefined for the default foreground. */
  readonly color: string | undefined;
  readonly tone: StatusTone;
  /** Devin is blocked until someone replies. */
  readonly needsUser: boolean;
  /** `exit` and `error` cannot be resumed; polling such a session is pointless. */
  readonly isTerminal: boolean;
}

/** What "suspended" means for each documented reason; other reasons read as their API value. */
function suspendedLabel(detail: string | undefined): string {
  switch (detail) {
    case undefined:
    case '':
      return l10n.t('Suspended');
    case 'inactivity':
      return l10n.t('Suspended, inactive');
    case 'user_request':
      return l10n.t('Suspended, by request');
    case 'usage_limit_exceeded':
      return l10n.t('Suspended, usage limit reached');
    case 'out_of_credits':
      return l10n.t('Suspended, out of credits');
    case 'out_of_quota':
      return l10n.t('Suspended, out of quota');
    case 'no_quota_allocation':
      return l10n.t('Suspended, no quota allocated');
    case 'payment_declined':
      return l10n.t('Suspended, payment declined');
    case 'org_usage_limit_exceeded':
      return l10n.t('Suspended, organization limit reached');
    case 'total_session_limit_exceeded':
      return l10n.t('Suspended, session limit reached');
    case 'error':
      return l10n.t('Suspended, after an error');
    default:
      return l10n.t('Suspended, {0}', humanize(detail));
  }
}

export function statusLook(status: string, detail: string | undefined): StatusLook {
  switch (status) {
    case 'new':
    case 'claimed':
    case 'creating':
      return look(l10n.t('Starting'), 'loading~spin', 'charts.blue', 'working');
    case 'resuming':
      return look(l10n.t('Resuming'), 'loading~spin', 'charts.blue', 'working');
    case 'running':
      switch (detail) {
        case 'waiting_for_user':
          return {
            ...look(l10n.t('Waiting for you'), 'comment-discussion', 'charts.yellow', 'attention'),
            needsUser: true,
          };
        case 'waiting_for_approval':
          return { ...look(l10n.t('Waiting for approval'), 'shield', 'charts.orange', 'attention'), needsUser: true };
        case 'finished':
          return look(l10n.t('Finished'), 'pass', 'charts.green', 'done');
        case 'working':
        case undefined:
          return look(l10n.t('Working'), 'sync~spin', 'charts.blue', 'working');
        default:
          return look(l10n.t('Running ({0})', humanize(detail)), 'sync~spin', 'charts.blue', 'working');
      }
    case 'suspended':
      return look(suspendedLabel(detail), 'debug-pause', 'charts.purple', 'paused');
    case 'exit':
      return { ...look(l10n.t('Ended'), 'circle-slash', undefined, 'idle'), isTerminal: true };
    case 'error':
      return { ...look(l10n.t('Error'), 'error', 'errorForeground', 'failed'), isTerminal: true };
    default:
      return look(
        detail ? l10n.t('Unknown status: {0} ({1})', status, detail) : l10n.t('Unknown status: {0}', status),
        'question',
        undefined,
        'unknown',
      );
  }
}

function look(label: string, icon: string, color: string | undefined, tone: StatusTone): StatusLook {
  return { label, icon, color, tone, needsUser: false, isTerminal: false };
}

function humanize(value: string): string {
  return value.replace(/_/g, ' ');
}

/**
 * The title, else the first line of the prompt when known, else the id. Both are text anyone could write a key into,
 * and the label is shown everywhere (rows, tooltips, picks, notifications), so keys are hidden here, before a
 * prompt line is cut: a cut key is no longer recognised, and its first part would show.
 */
export function sessionLabel(session: Session, promptFirstLine?: string): string {
  if (session.title !== undefined) return redactSecrets(session.title);
  const fromPrompt = promptFirstLine?.trim();
  return fromPrompt ? truncate(redactSecrets(fromPrompt), 80) : session.id;
}

export function sessionDescription(session: Session, nowSeconds: number): string {
  const parts = [statusLook(session.status, session.statusDetail).label];
  if (session.createdAt !== undefined) parts.push(formatAge(session.createdAt, nowSeconds));
  if (session.acusConsumed !== undefined) parts.push(formatAcus(session.acusConsumed));
  const pullRequests = session.pullRequests.length;
  if (pullRequests > 0) parts.push(pullRequests === 1 ? l10n.t('1 PR') : l10n.t('{0} PRs', pullRequests));
  if (session.isArchived) parts.push(l10n.t('archived'));
  return parts.join(' · ');
}

/** Markdown for a hover: every field worth knowing, pull requests as links. */
export function sessionTooltipMarkdown(session: Session, nowSeconds: number): string {
  const look = statusLook(session.status, session.statusDetail);
  const lines = [`**${escapeMarkdown(sessionLabel(session))}**`, '', l10n.t('Status: {0}', look.label)];
  if (session.createdAt !== undefined)
    lines.push(l10n.t('Created: {0} ({1} UTC)', formatAge(session.createdAt, nowSeconds), utcStamp(session.createdAt)));
  if (session.updatedAt !== undefined) lines.push(l10n.t('Updated: {0}', formatAge(session.updatedAt, nowSeconds)));
  if (session.acusConsumed !== undefined) lines.push(l10n.t('Used: {0}', formatAcus(session.acusConsumed)));
  // Hidden before escaping: escaped, a key no longer has the shape that gives it away.
  const shown = (text: string) => escapeMarkdown(redactSecrets(text));
  if (session.tags.length > 0) lines.push(l10n.t('Tags: {0}', session.tags.map(shown).join(', ')));
  if (session.origin) lines.push(l10n.t('Origin: {0}', shown(session.origin)));
  lines.push(l10n.t('Id: {0}', `\`${session.id}\``));
  if (session.pullRequests.length > 0) {
    lines.push('', l10n.t('Pull requests:'));
    for (const pr of session.pullRequests)
      lines.push(
        `- ${markdownLink(shortPullRequestName(pr.url), pr.url)}${pr.state ? ` (${escapeMarkdown(pr.state)})` : ''}`,
      );
  }
  if (session.url && safeExternalUrl(session.url)) lines.push('', markdownLink(l10n.t('Open in Devin'), session.url));
  // Markdown line breaks need two trailing spaces outside list items.
  return lines.map((line) => (line.startsWith('- ') || line === '' ? line : `${line}  `)).join('\n');
}

/** A link only to an `https:` address; anything else from the server is shown as plain text, not clickable. */
function markdownLink(text: string, url: string): string {
  const safe = safeExternalUrl(url);
  return safe ? `[${escapeMarkdown(text)}](${safe.replace(/[()\s]/g, encodeURIComponent)})` : escapeMarkdown(text);
}

/** `https://github.com/acme/api/pull/42` → `acme/api#42`. */
export function shortPullRequestName(url: string): string {
  const match =
    /github\.com\/([^/]+\/[^/]+)\/pull\/(\d+)/.exec(url) ?? /gitlab\.[^/]+\/(.+)\/-\/merge_requests\/(\d+)/.exec(url);
  return match ? `${match[1]}#${match[2]}` : url;
}

/** `2025-03-01 14:05`: a session's time in UTC, to the minute. */
export function utcStamp(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16);
}

export function formatAge(thenSeconds: number, nowSeconds: number): string {
  const delta = Math.max(0, nowSeconds - thenSeconds);
  if (delta < 60) return l10n.t('just now');
  if (delta < 3600) {
    const minutes = Math.floor(delta / 60);
    return minutes === 1 ? l10n.t('1m ago') : l10n.t('{0}m ago', minutes);
  }
  if (delta < 86_400) {
    const hours = Math.floor(delta / 3600);
    return hours === 1 ? l10n.t('1h ago') : l10n.t('{0}h ago', hours);
  }
  if (delta < 86_400 * 60) {
    const days = Math.floor(delta / 86_400);
    return days === 1 ? l10n.t('1d ago') : l10n.t('{0}d ago', days);
  }
  // Sixty days and more: always two months or more.
  return l10n.t('{0}mo ago', Math.floor(delta / (86_400 * 30)));
}

export function formatAcus(acus: number): string {
  const rounded = acus >= 100 ? Math.round(acus).toString() : acus >= 10 ? acus.toFixed(1) : acus.toFixed(2);
  return acus === 1 ? l10n.t('{0} ACU', rounded) : l10n.t('{0} ACUs', rounded);
}

/** Sessions that need a reply first, then the newest. */
export function sortForMessaging(sessions: readonly Session[]): Session[] {
  return [...sessions].sort((a, b) => {
    const needsA = statusLook(a.status, a.statusDetail).needsUser ? 0 : 1;
    const needsB = statusLook(b.status, b.statusDetail).needsUser ? 0 : 1;
    return needsA - needsB || (b.updatedAt ?? b.createdAt ?? 0) - (a.updatedAt ?? a.createdAt ?? 0);
  });
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]()#+\-.!<>|])/g, '\\$1');
}
