import type { Session } from '../core/models';

/**
 * Where the next `updated_after` starts. It never passes the moment the server answered: a session stamped
 * in the future (a writer with a wrong clock) must not hide every change made before that moment comes. The
 * server's own clock (its `Date` header) says when that was; without it, the newest `updated_at` that is not
 * later than when the request left here is the best sign. A few seconds are read again each time, for changes
 * stamped just before the answer but not yet in it.
 */

export const WATERMARK_OVERLAP_SECONDS = 5;
/** Slack on the first watermark when the server does not date its answers, for a server clock behind ours. */
const CLOCK_SLACK_SECONDS = 60;
/** A `Date` this far from our clock is not believed (a proxy's cached answer, a server whose clock broke). */
const MAX_DATE_SKEW_MS = 24 * 3600_000;

export interface ListRead {
  /** Our clock when the first request left, Unix ms. */
  readonly startedAt: number;
  /** The server's `Date` on the first answer, Unix ms, when it sent one. */
  readonly answeredAt: number | undefined;
  readonly sessions: readonly Session[];
  /** Pages were left unread: the answer's date does not cover them. */
  readonly truncated: boolean;
}

/** Unix seconds for the next read's `updated_after`; never earlier than `previous`. */
export function nextWatermark(previous: number | undefined, read: ListRead): number {
  const started = Math.floor(read.startedAt / 1000);
  const answered =
    read.answeredAt !== undefined && Math.abs(read.answeredAt - read.startedAt) <= MAX_DATE_SKEW_MS
      ? Math.floor(read.answeredAt / 1000)
      : undefined;
  let next: number | undefined;
  if (answered !== undefined && !read.truncated) next = answered - WATERMARK_OVERLAP_SECONDS;
  else {
    const ceiling = answered ?? started;
    const newest = read.sessions.reduce<number | undefined>((newest, session) => {
      const at = session.updatedAt;
      return at !== undefined && Number.isFinite(at) && at <= ceiling && at > (newest ?? -Infinity) ? at : newest;
    }, undefined);
    if (newest !== undefined) next = newest - WATERMARK_OVERLAP_SECONDS;
  }
  if (previous === undefined) {
    // The first read is a baseline: what is true now is not news, so changes count from about now.
    const floor = answered !== undefined ? answered - WATERMARK_OVERLAP_SECONDS : started - CLOCK_SLACK_SECONDS;
    return Math.max(floor, next ?? floor);
  }
  return Math.max(previous, next ?? previous);
}

/** Read again in the overlap, and just as it was: not a change, so not news a second time. */
export function seenAlready(known: Session | undefined, read: Session): boolean {
  return (
    known !== undefined &&
    known.orgId === read.orgId &&
    known.updatedAt === read.updatedAt &&
    known.status === read.status &&
    known.statusDetail === read.statusDetail
  );
}
