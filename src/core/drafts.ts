import type { SessionRequest } from './models';

/**
 * Text the user wrote that did not reach Devin: a session prompt or a follow-up message. Kept until
 * it is sent or discarded, so a failure (rate limit, network, expired token) never loses work.
 */

/** A prompt kept with every option it was to be created with, so a retry creates the same session. */
export interface SessionDraft extends SessionRequest {
  readonly kind: 'session';
  readonly id: string;
  readonly orgId: string | undefined;
  readonly savedAt: number;
  readonly lastError: string;
  /**
   * Set when an attempt was sent and its answer lost (milliseconds since the epoch, the earliest such attempt):
   * Devin may have created the session, so a retry first looks for one created since then.
   */
  readonly uncertainSince?: number;
}

export interface MessageDraft {
  readonly kind: 'message';
  readonly id: string;
  readonly orgId: string;
  readonly sessionId: string;
  readonly sessionLabel: string;
  readonly message: string;
  readonly savedAt: number;
  readonly lastError: string;
  /** As for session drafts: the message may have been delivered at or after this time. */
  readonly uncertainSince?: number;
}

export type Draft = SessionDraft | MessageDraft;

/** Where drafts live between windows (VS Code's workspace state in the extension). */
export interface DraftStorage {
  read(): readonly Draft[];
  write(drafts: readonly Draft[]): PromiseLike<void> | void;
}

const MAX_DRAFTS = 20;

export class DraftStore {
  private counter = 0;

  constructor(
    private readonly storage: DraftStorage,
    private readonly now: () => number = Date.now,
  ) {}

  list(): readonly Draft[] {
    return this.storage.read();
  }

  get(id: string): Draft | undefined {
    return this.list().find((draft) => draft.id === id);
  }

  /** Saves (or replaces, when `id` matches) a draft; the oldest go once there are too many. */
  async save<D extends Draft>(draft: Omit<D, 'id' | 'savedAt'> & { id?: string }): Promise<D> {
    const id = draft.id ?? `draft-${this.now().toString(36)}-${(this.counter++).toString(36)}`;
    const saved = { ...draft, id, savedAt: this.now() } as unknown as D;
    const others = this.list().filter((existing) => existing.id !== id);
    await this.storage.write([saved, ...others].slice(0, MAX_DRAFTS));
    return saved;
  }

  async remove(id: string): Promise<void> {
    await this.storage.write(this.list().filter((draft) => draft.id !== id));
  }
}
