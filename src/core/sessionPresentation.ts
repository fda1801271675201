import type { Session } from './models';
import { safeExternalUrl } from './externalUrl';

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

const SUSPEND_REASONS: Record<string, string> = {
  inactivity: 'inactive',
  user_request: 'by request',
  usage_limit_exceeded: 'usage limit reached',
  out_of_credits: 'out of credits',
  out_of_quota: 'out of quota',
  no_quota_allocation: 'no quota allocated',
  payment_declined: 'payment declined',
  org_usage_limit_exceeded: 'organization limit reached',
  total_session_limit_exceeded: 'session limit reached',
  error: 'after an error',
};

export function statusLook(status: string, detail: string | undefined): StatusLook {
  switch (status) {
    case 'new':
    case 'claimed':
    case 'creating':
      return look('Starting', 'loading~spin', 'charts.blue', 'working');
    case 'resuming':
      return look('Resuming', 'loading~spin', 'charts.blue', 'working');
    case 'running':
      switch (detail) {
        case 'waiting_for_user':
          return { ...look('Waiting for you', 'comment-discussion', 'charts.yellow', 'attention'), needsUser: true };
        case 'waiting_for_approval':
          return { ...look('Waiting for approval', 'shield', 'charts.orange', 'attention'), needsUser: true };
        case 'finished':
          return look('Finished', 'pass', 'charts.green', 'done');
        case 'working':
        case undefined:
          return look('Working', 'sync~spin', 'charts.blue', 'working');
        default:
          return look(`Running (${humanize(detail)})`, 'sync~spin', 'charts.blue', 'working');
      }
    case 'suspended': {
      const reason = detail ? (SUSPEND_REASONS[detail] ?? humanize(detail)) : undefined;
      return look(reason ? `Suspended, ${reason}` : 'Suspended', 'debug-pause', 'charts.purple', 'paused');
    }
    case 'exit':
      return { ...look('Ended', 'circle-slash', undefined, 'idle'), isTerminal: true };
    case 'error':
      return { ...look('Error', 'error', 'errorForeground', 'failed'), isTerminal: true };
    default:
      return look(`Unknown status: ${status}${detail ? ` (${detail})` : ''}`, 'question', undefined, 'unknown');
  }
}

function look(label: string, icon: string, color: string | undefined, tone: StatusTone): StatusLook {
  return { label, icon, color, tone, needsUser: false, isTerminal: false };
}

function humanize(value: string): string {
  return value.replace(/_/g, ' ');
}

/** The title, else the first line of the prompt when known, else the id. */
export function sessionLabel(session: Session, promptFirstLine?: string): string {
  const fromPrompt = promptFirstLine?.trim();
  return session.title ?? (fromPrompt ? truncate(fromPrompt, 80) : session.id);
}

export function sessionDescription(session: Session, nowSeconds: number): string {
  const parts = [statusLook(session.status, session.statusDetail).label];
  if (session.createdAt !== undefined) parts.push(formatAge(session.createdAt, nowSeconds));
  if (session.acusConsumed !== undefined) parts.push(formatAcus(session.acusConsumed));
  if (session.pullRequests.length > 0)
    parts.push(`${session.pullRequests.length} PR${session.pullRequests.length > 1 ? 's' : ''}`);
  if (session.isArchived) parts.push('archived');
  return parts.join(' · ');
}

/** Markdown for a hover: every field worth knowing, pull requests as links. */
export function sessionTooltipMarkdown(session: Session, nowSeconds: number): string {
  const look = statusLook(session.status, session.statusDetail);
  const lines = [`**${escapeMarkdown(sessionLabel(session))}**`, '', `Status: ${look.label}`];
  if (session.createdAt !== undefined)
    lines.push(
      `Created: ${formatAge(session.createdAt, nowSeconds)} (${new Date(session.createdAt * 1000).toISOString().replace('T', ' ').slice(0, 16)} UTC)`,
    );
  if (session.updatedAt !== undefined) lines.push(`Updated: ${formatAge(session.updatedAt, nowSeconds)}`);
  if (session.acusConsumed !== undefined) lines.push(`Used: ${formatAcus(session.acusConsumed)}`);
  if (session.tags.length > 0) lines.push(`Tags: ${session.tags.map(escapeMarkdown).join(', ')}`);
  if (session.origin) lines.push(`Origin: ${escapeMarkdown(session.origin)}`);
  lines.push(`Id: \`${session.id}\``);
  if (session.pullRequests.length > 0) {
    lines.push('', 'Pull requests:');
    for (const pr of session.pullRequests)
      lines.push(
        `- ${markdownLink(shortPullRequestName(pr.url), pr.url)}${pr.state ? ` (${escapeMarkdown(pr.state)})` : ''}`,
      );
  }
  if (session.url && safeExternalUrl(session.url)) lines.push('', markdownLink('Open in Devin', session.url));
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

export function formatAge(thenSeconds: number, nowSeconds: number): string {
  const delta = Math.max(0, nowSeconds - thenSeconds);
  if (delta < 60) return 'just now';
  if (delta < 3600) return `${Math.floor(delta / 60)}m ago`;
  if (delta < 86_400) return `${Math.floor(delta / 3600)}h ago`;
  if (delta < 86_400 * 60) return `${Math.floor(delta / 86_400)}d ago`;
  return `${Math.floor(delta / (86_400 * 30))}mo ago`;
}

export function formatAcus(acus: number): string {
  const rounded = acus >= 100 ? Math.round(acus).toString() : acus >= 10 ? acus.toFixed(1) : acus.toFixed(2);
  return `${rounded} ACU${acus === 1 ? '' : 's'}`;
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
