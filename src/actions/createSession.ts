import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import type { DevinClient } from '../api/client';
import { findCreatedSession, type SentSession } from '../api/createdLookup';
import type { DevinApiError } from '../api/errors';
import type { SessionDraft } from '../core/drafts';
import type { OrgRef, Session, SessionRequest } from '../core/models';
import { keepAfterFailure, sendOnce, uncertainDraft, type FailedWithDraft, type KeptText } from './uncertainSend';
import type { Ui } from './ui';

export type { SessionRequest };

/**
 * Creating a session in an organization the caller already picked: a kept prompt whose last attempt may have
 * arrived is looked for first, files are uploaded just before the one create, and a failure keeps the prompt with
 * every option as a draft. What happened comes back as data; the caller shows it.
 */

export interface CreateSessionDeps {
  readonly client: DevinClient;
  readonly ui: Ui;
  /** Who sends, when known: a session someone else started is never taken for ours. */
  readonly creator?: SentSession['creator'];
}

/** The draft a retry continues; without one, an uncertain draft of the same prompt is continued if there is one. */
export interface DraftRetry {
  readonly draftId?: string;
  readonly uncertainSince?: number;
}

export type CreateSessionOutcome =
  | { readonly kind: 'created'; readonly session: Session }
  /** An earlier attempt whose answer was lost had created it; nothing new was created. */
  | { readonly kind: 'found'; readonly session: Session }
  /** Devin created it but its answer was unreadable; `session` when the lookup found it, else why it did not. */
  | {
      readonly kind: 'createdButUnreadable';
      readonly error: DevinApiError;
      readonly session?: Session;
      readonly lookupError?: unknown;
    }
  | { readonly kind: 'cancelled' }
  | (FailedWithDraft & { readonly draftId: string });

export async function createSession(
  deps: CreateSessionDeps,
  org: OrgRef,
  request: SessionRequest,
  retry: DraftRetry = {},
): Promise<CreateSessionOutcome> {
  const { client, ui } = deps;
  // Without an uncertain draft named, the same prompt to the same organization continues one (the title too:
  // the lookup matches on it).
  const continued =
    retry.uncertainSince !== undefined
      ? retry
      : (uncertainDraft(
          ui.drafts,
          (draft) =>
            draft.kind === 'session' &&
            draft.orgId === org.orgId &&
            draft.prompt === request.prompt &&
            (draft.title ?? '') === (request.title ?? ''),
        ) ?? retry);
  const kept = sessionDraft(ui, org.orgId, request, continued);
  const outcome = await sendOnce(
    () => ui.now(),
    kept,
    (since) =>
      ui.progress({ title: l10n.t('Looking for the session Devin may already have…') }, () =>
        findCreatedSession(client, sentSession(deps, org.orgId, request, since)),
      ),
    () =>
      ui.progress(
        { title: l10n.t('Creating a Devin session in {0}…', org.name ?? org.orgId), cancellable: true },
        async (report, signal) => {
          const prompt = await withUploadedAttachments(deps, org.orgId, request, report, signal);
          const { attachments: _uploaded, ...options } = request;
          return client.createSession(org.orgId, { ...options, prompt, signal });
        },
      ),
  );
  switch (outcome.kind) {
    case 'created':
    case 'found':
      return { kind: outcome.kind, session: outcome.value };
    case 'createdButUnreadable': {
      // A 2xx: the session exists. Find it so that it can be shown; the draft is already gone.
      try {
        const found = await findCreatedSession(client, sentSession(deps, org.orgId, request, outcome.attemptStarted));
        return { kind: 'createdButUnreadable', error: outcome.error, session: found };
      } catch (lookupError) {
        return { kind: 'createdButUnreadable', error: outcome.error, lookupError };
      }
    }
    case 'cancelled':
      return outcome;
    case 'failed':
      return { ...outcome, draftId: outcome.draftId ?? '' };
  }
}

/**
 * Nothing could be sent because the organization could not be chosen (it could not be listed): the prompt is
 * kept, as after a failed send, under `orgId` when the caller was given one.
 */
export async function keepUnsentSession(
  ui: Ui,
  orgId: string | undefined,
  request: SessionRequest,
  retry: DraftRetry,
  error: unknown,
): Promise<CreateSessionOutcome> {
  const outcome = await keepAfterFailure(() => ui.now(), sessionDraft(ui, orgId, request, retry), error, undefined);
  return outcome.kind === 'failed' ? { ...outcome, draftId: outcome.draftId ?? '' } : outcome;
}

/** Just the request out of a draft or a larger bag of arguments, so nothing else rides along into a draft. */
export function sessionRequestOf(source: SessionRequest): SessionRequest {
  return {
    prompt: source.prompt,
    title: source.title,
    tags: source.tags,
    createAsUserId: source.createAsUserId,
    playbookId: source.playbookId,
    knowledgeIds: source.knowledgeIds,
    repos: source.repos,
    maxAcuLimit: source.maxAcuLimit,
    attachments: source.attachments,
  };
}

function sessionDraft(ui: Ui, orgId: string | undefined, request: SessionRequest, retry: DraftRetry): KeptText {
  return {
    uncertainSince: retry.uncertainSince,
    keep: async ({ uncertainSince, lastError }) =>
      (
        await ui.drafts.save<SessionDraft>({
          ...sessionRequestOf(request),
          kind: 'session',
          id: retry.draftId,
          orgId,
          lastError,
          uncertainSince,
        })
      ).id,
    forget: async () => {
      if (retry.draftId) await ui.drafts.remove(retry.draftId);
    },
  };
}

function sentSession(deps: CreateSessionDeps, orgId: string, request: SessionRequest, since: number): SentSession {
  return {
    orgId,
    prompt: request.prompt,
    title: request.title,
    createAsUserId: request.createAsUserId,
    since,
    creator: deps.creator,
  };
}

/** Files are read and uploaded first; each becomes an `ATTACHMENT:"url"` line after the prompt (§4.8). */
async function withUploadedAttachments(
  deps: CreateSessionDeps,
  orgId: string,
  request: SessionRequest,
  report: (message: string) => void,
  signal: AbortSignal,
): Promise<string> {
  if (!request.attachments?.length) return request.prompt;
  const lines: string[] = [];
  for (const file of request.attachments) {
    const name = path.basename(file);
    report(l10n.t('uploading {0}', name));
    let bytes: Uint8Array;
    try {
      bytes = await deps.ui.readFile(file);
    } catch {
      throw new Error(l10n.t('Could not read {0} to attach it.', file));
    }
    const uploaded = await deps.client.uploadAttachment(orgId, { name, bytes }, signal);
    lines.push(`ATTACHMENT:"${uploaded.url}"`);
  }
  return `${request.prompt.trimEnd()}\n\n${lines.join('\n')}`;
}
