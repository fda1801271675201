import type { Page, SessionMessage } from './models';

/**
 * One session's conversation as the session panel keeps it. The messages endpoint is chronological and
 * pages forward only (`after`), and its cursor is null on the last page; so the whole conversation is read
 * forward once, and later reads start again from the cursor that led to the last page, skipping what is
 * already known. The panel then hands the page a window of the newest messages and older ones on request.
 */

export type MessagePageFetcher = (after: string | undefined, signal?: AbortSignal) => Promise<Page<SessionMessage>>;

/** Far more than a person scrolls back through; protects the host from a runaway conversation. */
const MAX_MESSAGES = 5_000;

export class Conversation {
  private readonly messages: SessionMessage[] = [];
  private readonly known = new Set<string>();
  /** The `after` that returned the last page read; undefined while that page is the first one. */
  private tailCursor: string | undefined;
  private loaded = false;

  constructor(private readonly fetchPage: MessagePageFetcher) {}

  get isLoaded(): boolean {
    return this.loaded;
  }

  get size(): number {
    return this.messages.length;
  }

  /** Reads every page from the start; the messages read so far are kept if it fails part-way. */
  async load(signal?: AbortSignal): Promise<readonly SessionMessage[]> {
    this.messages.length = 0;
    this.known.clear();
    this.tailCursor = undefined;
    this.loaded = false;
    await this.readFrom(undefined, signal);
    this.loaded = true;
    return this.messages;
  }

  /** Messages that appeared since the last read, oldest first. */
  async fetchNew(signal?: AbortSignal): Promise<readonly SessionMessage[]> {
    if (!this.loaded) return this.load(signal);
    const before = this.messages.length;
    await this.readFrom(this.tailCursor, signal);
    return this.messages.slice(before);
  }

  /** The newest `count` messages. */
  latest(count: number): { messages: readonly SessionMessage[]; hasOlder: boolean } {
    const start = Math.max(0, this.messages.length - count);
    return { messages: this.messages.slice(start), hasOlder: start > 0 };
  }

  /** Up to `count` messages just before the one with `beforeId`; nothing when that id is unknown. */
  olderThan(beforeId: string, count: number): { messages: readonly SessionMessage[]; hasOlder: boolean } {
    const end = this.messages.findIndex((message) => message.id === beforeId);
    if (end <= 0) return { messages: [], hasOlder: false };
    const start = Math.max(0, end - count);
    return { messages: this.messages.slice(start, end), hasOlder: start > 0 };
  }

  private async readFrom(after: string | undefined, signal: AbortSignal | undefined): Promise<void> {
    let cursor = after;
    for (;;) {
      const page = await this.fetchPage(cursor, signal);
      for (const message of page.items) this.add(message);
      if (!page.nextCursor || this.messages.length >= MAX_MESSAGES) {
        this.tailCursor = cursor;
        return;
      }
      cursor = page.nextCursor;
      this.tailCursor = cursor;
    }
  }

  private add(message: SessionMessage): void {
    const key = identity(message);
    if (this.known.has(key)) return;
    this.known.add(key);
    this.messages.push(message);
  }
}

/** Older response shapes have no event ids, and the mapper numbers those per page; use the content then. */
function identity(message: SessionMessage): string {
  return /^message-\d+$/.test(message.id)
    ? `${message.source}|${message.createdAt ?? ''}|${message.message}`
    : `id:${message.id}`;
}
