import * as l10n from '@vscode/l10n';
import { nextCronRun } from './cron';
import type { Schedule } from './models';
import { escapeMarkdown, formatAge, truncate } from './sessionPresentation';

/**
 * How a scheduled session reads in the tree: when it runs next, whether it is on, recurring or one-time,
 * and how its last run went. The API gives the last run's time and error but not the session it started
 * (§4.10); "Show Runs" finds those by `schedule_id`.
 */

export interface ScheduleLook {
  /** A codicon id. */
  readonly icon: string;
  /** A theme colour id, or undefined for the default foreground. */
  readonly color: string | undefined;
}

/** When the schedule will start a session next (Unix seconds); undefined when it is off or has nothing left to run. */
export function scheduleNextRun(schedule: Schedule, nowSeconds: number): number | undefined {
  if (!schedule.enabled) return undefined;
  if (schedule.kind === 'oneTime')
    return schedule.scheduledAt !== undefined && schedule.scheduledAt > nowSeconds ? schedule.scheduledAt : undefined;
  return schedule.frequency ? nextCronRun(schedule.frequency, nowSeconds) : undefined;
}

/** Whether the most recent run failed: failures in a row, or an error no older than the last run. */
export function lastRunFailed(schedule: Schedule): boolean {
  if (schedule.consecutiveFailures > 0) return true;
  if (schedule.lastErrorAt === undefined) return false;
  return schedule.lastExecutedAt === undefined || schedule.lastErrorAt >= schedule.lastExecutedAt;
}

/** A one-time schedule that has run: Devin turns it off afterwards. */
function isDone(schedule: Schedule): boolean {
  return schedule.kind === 'oneTime' && !schedule.enabled && schedule.lastExecutedAt !== undefined;
}

export function scheduleLook(schedule: Schedule): ScheduleLook {
  if (lastRunFailed(schedule)) return { icon: 'warning', color: 'problemsWarningIcon.foreground' };
  if (isDone(schedule)) return { icon: 'check', color: undefined };
  if (!schedule.enabled) return { icon: 'debug-pause', color: undefined };
  return { icon: 'clock', color: undefined };
}

/** One line, e.g. "next run in 3h · recurring · last run 1d ago", or "paused · one-time". */
export function scheduleDescription(schedule: Schedule, nowSeconds: number): string {
  const parts: string[] = [];
  const next = scheduleNextRun(schedule, nowSeconds);
  if (next !== undefined) parts.push(l10n.t('next run {0}', formatIn(next, nowSeconds)));
  else if (isDone(schedule)) parts.push(l10n.t('done'));
  else if (!schedule.enabled) parts.push(l10n.t('paused'));
  else parts.push(l10n.t('no next run'));
  parts.push(schedule.kind === 'recurring' ? l10n.t('recurring') : l10n.t('one-time'));
  if (schedule.lastExecutedAt !== undefined || schedule.lastErrorAt !== undefined) {
    const at = Math.max(schedule.lastExecutedAt ?? 0, schedule.lastErrorAt ?? 0);
    parts.push(
      lastRunFailed(schedule)
        ? l10n.t('last run failed {0}', formatAge(at, nowSeconds))
        : l10n.t('last run {0}', formatAge(at, nowSeconds)),
    );
  }
  return parts.join(' · ');
}

/** Markdown for a hover: the timing in full, the state, the last run and its error, the prompt's first line. */
export function scheduleTooltipMarkdown(schedule: Schedule, nowSeconds: number): string {
  const lines = [`**${escapeMarkdown(schedule.name)}**`, ''];
  if (schedule.kind === 'recurring')
    lines.push(l10n.t('Recurring: {0} (cron, UTC)', `\`${(schedule.frequency ?? '?').replace(/`/g, "'")}\``));
  else
    lines.push(
      l10n.t('One time: {0}', schedule.scheduledAt !== undefined ? utc(schedule.scheduledAt) : l10n.t('unknown')),
    );
  const next = scheduleNextRun(schedule, nowSeconds);
  if (next !== undefined) lines.push(l10n.t('Next run: {0} ({1})', utc(next), formatIn(next, nowSeconds)));
  lines.push(
    schedule.enabled
      ? l10n.t('State: enabled')
      : isDone(schedule)
        ? l10n.t('State: done (a one-time schedule turns off after its run)')
        : l10n.t('State: paused'),
  );
  if (schedule.lastExecutedAt !== undefined)
    lines.push(
      l10n.t('Last run: {0} ({1})', utc(schedule.lastExecutedAt), formatAge(schedule.lastExecutedAt, nowSeconds)),
    );
  else lines.push(l10n.t('Last run: never'));
  if (schedule.lastError && lastRunFailed(schedule)) {
    lines.push(l10n.t('Last error: {0}', escapeMarkdown(truncate(schedule.lastError, 300))));
    if (schedule.consecutiveFailures > 1)
      lines.push(l10n.t('{0} runs in a row have failed', schedule.consecutiveFailures));
  }
  const prompt = schedule.prompt.split('\n')[0]?.trim();
  if (prompt) lines.push(l10n.t('Prompt: {0}', escapeMarkdown(truncate(prompt, 160))));
  lines.push('', l10n.t('Show Runs lists the sessions this schedule started.'));
  // Markdown line breaks need two trailing spaces.
  return lines.map((line) => (line === '' ? line : `${line}  `)).join('\n');
}

/**
 * "in 5m", "in 3h", "in 2d": how far ahead a time is, to the nearest unit (a run 2 days 23 hours away
 * is "in 3d", where an age would say "2d ago").
 */
export function formatIn(thenSeconds: number, nowSeconds: number): string {
  const delta = Math.max(0, thenSeconds - nowSeconds);
  const minutes = Math.round(delta / 60);
  if (minutes < 1) return l10n.t('in under a minute');
  if (minutes < 60) return l10n.t('in {0}m', minutes);
  const hours = Math.round(delta / 3600);
  if (hours < 24) return l10n.t('in {0}h', hours);
  const days = Math.round(delta / 86_400);
  if (days < 60) return l10n.t('in {0}d', days);
  return l10n.t('in {0}mo', Math.round(delta / (86_400 * 30)));
}

function utc(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}
