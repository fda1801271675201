import * as l10n from '@vscode/l10n';
import type { DevinClient } from '../api/client';
import { isDevinApiError } from '../api/errors';
import type { Session, SessionRef } from '../core/models';
import { statusLook } from '../core/sessionPresentation';
import type { Ui } from './ui';

/**
 * Archiving, stopping and retagging a session the caller already resolved. None of them makes anything new, so a
 * lost answer needs no lookup: doing it again is harmless. What happened comes back as data; the caller shows it
 * and puts the updated session in the store.
 */

export interface SessionLifecycleDeps {
  readonly client: DevinClient;
  readonly ui: Pick<Ui, 'progress'>;
}

export type LifecycleOutcome =
  | { readonly kind: 'done'; readonly session: Session }
  /** Devin no longer has the session (deleted, or the token cannot see it): the caller forgets it. */
  | { readonly kind: 'vanished'; readonly error: unknown }
  | { readonly kind: 'failed'; readonly error: unknown };

/** Tags a session can carry, as the API enforces it. */
export const MAX_SESSION_TAGS = 50;

/** Whether the session as last seen has ended; unknown counts as still running, so the user is asked. */
export function hasEnded(known: Session | undefined): boolean {
  return known !== undefined && statusLook(known.status, known.statusDetail).isTerminal;
}

export function archiveSession(deps: SessionLifecycleDeps, session: SessionRef): Promise<LifecycleOutcome> {
  return act(deps, session, () => deps.client.archiveSession(session.orgId, session.sessionId));
}

/** Stops the session for good; `archive` also removes it from the list. */
export function stopSession(
  deps: SessionLifecycleDeps,
  session: SessionRef,
  options: { readonly archive: boolean },
): Promise<LifecycleOutcome> {
  return act(
    deps,
    session,
    async () =>
      // Older API shapes answer `{detail}`; read the session back so the row still shows the truth.
      (await deps.client.terminateSession(session.orgId, session.sessionId, { archive: options.archive })) ??
      (await deps.client.getSession(session.orgId, session.sessionId)),
  );
}

export type TagsOutcome =
  | LifecycleOutcome
  /** More tags than a session can carry: nothing was sent. */
  | { readonly kind: 'tooMany'; readonly message: string };

/** Replaces the tags; `known` is the session as last seen, the base of the row the answer updates. */
export async function replaceSessionTags(
  deps: SessionLifecycleDeps,
  session: SessionRef,
  tags: readonly string[],
  known: Session | undefined,
): Promise<TagsOutcome> {
  const chosen = normalizeTags(tags);
  if (chosen.length > MAX_SESSION_TAGS)
    return {
      kind: 'tooMany',
      message: l10n.t(
        'A session can have at most {0} tags; you chose {1}. Nothing was changed.',
        MAX_SESSION_TAGS,
        chosen.length,
      ),
    };
  return act(deps, session, async () => {
    const saved = await deps.client.replaceSessionTags(session.orgId, session.sessionId, chosen);
    // The tags answer carries only tags; the rest of the row comes from the session as last seen, or
    // from the API when this session was named by id alone.
    const base = known ?? (await deps.client.getSession(session.orgId, session.sessionId));
    return { ...base, tags: saved ?? chosen };
  });
}

/** Trimmed, without empty or repeated tags, in the order given. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag.length > 0))];
}

async function act(
  deps: SessionLifecycleDeps,
  session: SessionRef,
  call: () => Promise<Session>,
): Promise<LifecycleOutcome> {
  try {
    const updated = await deps.ui.progress(
      { title: l10n.t('Devin: {0}…', session.label ?? session.sessionId), quiet: true },
      call,
    );
    return { kind: 'done', session: updated };
  } catch (error) {
    return isDevinApiError(error) && error.kind === 'notFound'
      ? { kind: 'vanished', error }
      : { kind: 'failed', error };
  }
}
