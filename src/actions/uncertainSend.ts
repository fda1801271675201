import type { Draft, DraftStore } from '../core/drafts';
import { isDevinApiError, isOutcomeUnknown, isUnreadableSuccess, type DevinApiError } from '../api/errors';

/**
 * The one routine that owns "send once, the answer may be lost". v3 has no idempotency key, so a send whose
 * answer was lost may still have been carried out: the text is kept with the time of that attempt, and the next
 * attempt first looks for what the lost one made. Every create and every message goes through here, so a retry
 * from a notification, a composer or a panel can never make a second object.
 */

/** Where the text waits while it has not surely reached Devin: a stored draft, or a panel's reply box. */
export interface KeptText {
  /** Set when an earlier attempt may have arrived (ms since the epoch, the earliest such attempt). */
  readonly uncertainSince?: number;
  /** Keeps the text after a failure; resolves with the draft's id when it is stored as one. */
  keep(why: { readonly uncertainSince: number | undefined; readonly lastError: string }): Promise<string | undefined>;
  /** The text reached Devin (or was found there): nothing is left to retry. */
  forget(): Promise<void>;
}

export type UncertainSendOutcome<Sent, Found> =
  | { readonly kind: 'created'; readonly value: Sent }
  /** An earlier attempt whose answer was lost had arrived; nothing was sent again. */
  | { readonly kind: 'found'; readonly value: Found }
  /** Devin answered 2xx, so it was carried out, but the answer could not be read. */
  | { readonly kind: 'createdButUnreadable'; readonly error: DevinApiError; readonly attemptStarted: number }
  | { readonly kind: 'cancelled' }
  | FailedWithDraft;

export interface FailedWithDraft {
  readonly kind: 'failed';
  readonly error: unknown;
  readonly draftId: string | undefined;
  /** The send was written and its answer lost: Devin may have it, and the kept text says so. */
  readonly outcomeUnknown: boolean;
  /** Nothing was sent: looking for what an earlier attempt made failed first. */
  readonly checkFailed: boolean;
}

export async function sendOnce<Sent, Found>(
  now: () => number,
  kept: KeptText,
  look: (since: number) => Promise<Found | undefined>,
  send: () => Promise<Sent>,
): Promise<UncertainSendOutcome<Sent, Found>> {
  let attemptStarted: number | undefined;
  try {
    if (kept.uncertainSince !== undefined) {
      const found = await look(kept.uncertainSince);
      if (found !== undefined) {
        await kept.forget();
        return { kind: 'found', value: found };
      }
    }
    attemptStarted = now();
    const value = await send();
    await kept.forget();
    return { kind: 'created', value };
  } catch (error) {
    if (attemptStarted !== undefined && isUnreadableSuccess(error)) {
      await kept.forget();
      return { kind: 'createdButUnreadable', error, attemptStarted };
    }
    return keepAfterFailure(now, kept, error, attemptStarted);
  }
}

/**
 * Keeps the text after `error`. Also for a failure before anything could be sent (the organization could not be
 * listed), so that it is kept and worded exactly as one during the send.
 */
export async function keepAfterFailure(
  now: () => number,
  kept: KeptText,
  error: unknown,
  attemptStarted: number | undefined,
): Promise<{ readonly kind: 'cancelled' } | FailedWithDraft> {
  // Cancelled before it was written: nothing can have arrived, and the user asked for nothing more.
  if (isDevinApiError(error) && error.kind === 'cancelled' && !error.outcomeUnknown) return { kind: 'cancelled' };
  const unknown = isOutcomeUnknown(error);
  const uncertainSince = unknown
    ? Math.min(kept.uncertainSince ?? Infinity, attemptStarted ?? now())
    : kept.uncertainSince;
  const draftId = await kept.keep({
    uncertainSince,
    lastError: unknown ? 'outcomeUnknown' : isDevinApiError(error) ? error.kind : 'error',
  });
  return {
    kind: 'failed',
    error,
    draftId,
    outcomeUnknown: unknown,
    checkFailed: attemptStarted === undefined && kept.uncertainSince !== undefined,
  };
}

/**
 * The kept draft of the same text whose last attempt may have arrived (`same` says which is the same text): the
 * same text sent again (from a composer that stayed open, or typed anew) continues it, so what the lost attempt
 * made is looked for first instead of made twice.
 */
export function uncertainDraft(
  drafts: Pick<DraftStore, 'list'>,
  same: (draft: Draft) => boolean,
): { readonly draftId: string; readonly uncertainSince: number } | undefined {
  const draft = drafts.list().find((candidate) => candidate.uncertainSince !== undefined && same(candidate));
  return draft?.uncertainSince !== undefined ? { draftId: draft.id, uncertainSince: draft.uncertainSince } : undefined;
}

/** How a flow whose Retry carries what was typed (nothing is stored) came out. */
export type RetryOutcome<Sent, Found = Sent> =
  | { readonly kind: 'created'; readonly value: Sent }
  /** An earlier attempt whose answer was lost had made it; nothing new was made. */
  | { readonly kind: 'found'; readonly value: Found }
  /** Devin made it but its answer was unreadable; `value` when the lookup found it. */
  | { readonly kind: 'createdButUnreadable'; readonly error: DevinApiError; readonly value?: Found }
  /** Only a request given a signal can be cancelled. */
  | { readonly kind: 'cancelled' }
  | {
      readonly kind: 'failed';
      readonly error: unknown;
      /** The send was written and its answer lost: Devin may have it. */
      readonly outcomeUnknown: boolean;
      /** Nothing was sent: looking for what an earlier attempt made failed first. */
      readonly checkFailed: boolean;
      /** What the Retry passes back: when the earliest attempt that may have arrived started. */
      readonly uncertainSince: number | undefined;
    };

/**
 * `sendOnce` for a flow whose Retry carries what was typed instead of a stored draft (organizations, service
 * users, Knowledge notes): only when the earliest attempt that may have arrived started is kept, for the Retry to
 * look first. After an unreadable 2xx, `findMade` looks for what was made, to show it.
 */
export async function sendOnceForRetry<Sent, Found>(
  now: () => number,
  retry: { readonly uncertainSince?: number },
  look: (since: number) => Promise<Found | undefined>,
  send: () => Promise<Sent>,
  findMade?: (attemptStarted: number) => Promise<Found | undefined>,
): Promise<RetryOutcome<Sent, Found>> {
  let since = retry.uncertainSince;
  const kept: KeptText = {
    uncertainSince: since,
    keep: async (why) => {
      since = why.uncertainSince;
      return undefined;
    },
    forget: async () => undefined,
  };
  const outcome = await sendOnce(now, kept, look, send);
  switch (outcome.kind) {
    case 'createdButUnreadable': {
      const value = await findMade?.(outcome.attemptStarted).catch(() => undefined);
      return { kind: 'createdButUnreadable', error: outcome.error, value };
    }
    case 'failed':
      return {
        kind: 'failed',
        error: outcome.error,
        outcomeUnknown: outcome.outcomeUnknown,
        checkFailed: outcome.checkFailed,
        uncertainSince: since,
      };
    default:
      return outcome;
  }
}
