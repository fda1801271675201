import type { Page, SessionMessage } from './models';

/**
 * One session's conversation as the session panel keeps it. The messages endpoint is chronological and
 * pages forward only (`after`), and its cursor is null on the last page; so the whole conversation is read
 * forward once, and later reads start again from the cursor that led to the last page, skipping what is
 * already known. Only the newest messages stay in memory; where each page starts is remembered, so older
 * ones are read again, a page at a time, when the reader scrolls back to them.
 */

export type MessagePageFetcher = (after: string | undefined, signal?: AbortSignal) => Promise<Page<SessionMessage>>;

/** Far more than a person scrolls back through at once; older messages are read again when asked for. */
const DEFAULT_CAPACITY = 5_000;
/**
 * The API's largest page. Fewer held messages than one page would let a re-read of the last page bring back
 * messages already let go, and show them twice.
 */
const MIN_CAPACITY = 200;
/**
 * A server that keeps offering new cursors must not keep one read going forever; the next read goes on from
 * where this one stopped, so a long conversation is still read to its end.
 */
const MAX_PAGES_PER_READ = 1_000;
/** Starts of the older batches handed out; only the one the reader asks before next is really needed. */
const MAX_BOUNDARIES = 64;

interface PageMark {
  /** The `after` that returns this page; undefined for the first. */
  readonly after: string | undefined;
  /** Position of its first message in the whole conversation. */
  readonly start: number;
}

export class Conversation {
  /** The newest messages, oldest first; the `dropped` messages before them are no longer held. */
  private readonly messages: SessionMessage[] = [];
  private readonly known = new Set<string>();
  private dropped = 0;
  /** Every page read so far, in order: the way back to messages no longer held, and the last one to re-read. */
  private readonly pages: PageMark[] = [];
  /** Position of the first message of each older batch handed out, which is not held. */
  private readonly boundaries = new Map<string, number>();
  /** Scrolling back asks for less than a page at a time: the page just read again usually serves the next ask too. */
  private lastOlderPage: { readonly mark: PageMark; readonly items: readonly SessionMessage[] } | undefined;
  private loaded = false;
  private readonly capacity: number;

  constructor(
    private readonly fetchPage: MessagePageFetcher,
    capacity = DEFAULT_CAPACITY,
  ) {
    this.capacity = Math.max(capacity, MIN_CAPACITY);
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Messages held in memory, at most the capacity. */
  get size(): number {
    return this.messages.length;
  }

  /** Reads every page from the start; the messages read so far are kept if it fails part-way. */
  async load(signal?: AbortSignal): Promise<readonly SessionMessage[]> {
    this.messages.length = 0;
    this.known.clear();
    this.dropped = 0;
    this.pages.length = 0;
    this.boundaries.clear();
    this.lastOlderPage = undefined;
    this.loaded = false;
    await this.readFrom(undefined, signal);
    this.loaded = true;
    return this.messages;
  }

  /** Messages that appeared since the last read (those still held), oldest first. */
  async fetchNew(signal?: AbortSignal): Promise<readonly SessionMessage[]> {
    if (!this.loaded) return this.load(signal);
    const before = this.total;
    await this.readFrom(this.pages.at(-1)?.after, signal);
    const added = this.total - before;
    return added > 0 ? this.messages.slice(Math.max(0, this.messages.length - added)) : [];
  }

  /** The newest `count` messages. */
  latest(count: number): { messages: readonly SessionMessage[]; hasOlder: boolean } {
    const start = Math.max(0, this.messages.length - count);
    return { messages: this.messages.slice(start), hasOlder: start > 0 || this.dropped > 0 };
  }

  /**
   * Up to `count` messages just before the one with `beforeId`, read again from the API where they are no
   * longer held; nothing when that id is unknown.
   */
  async olderThan(
    beforeId: string,
    count: number,
    signal?: AbortSignal,
  ): Promise<{ messages: readonly SessionMessage[]; hasOlder: boolean }> {
    const end = this.positionOf(beforeId);
    if (end === undefined || end <= 0) return { messages: [], hasOlder: false };
    const start = Math.max(0, end - count);
    const heldFrom = Math.max(start, this.dropped);
    const held = end > heldFrom ? this.messages.slice(heldFrom - this.dropped, end - this.dropped) : [];
    if (start >= this.dropped) return { messages: held, hasOlder: start > 0 };
    const reread = await this.readRange(start, Math.min(end, this.dropped), signal);
    const first = reread.items[0];
    if (first) this.remember(first.id, reread.first);
    return { messages: [...reread.items, ...held], hasOlder: (first ? reread.first : heldFrom) > 0 };
  }

  private get total(): number {
    return this.dropped + this.messages.length;
  }

  private async readFrom(after: string | undefined, signal: AbortSignal | undefined): Promise<void> {
    let cursor = after;
    const followed = new Set<string>();
    for (let read = 1; ; read++) {
      const page = await this.fetchPage(cursor, signal);
      const last = this.pages.at(-1);
      // Re-reading the last page adds its newcomers to it; any other page starts where the conversation ends.
      if (!last || last.after !== cursor) this.pages.push({ after: cursor, start: this.total });
      for (const message of page.items) this.add(message);
      this.trim();
      if (cursor !== undefined) followed.add(cursor);
      const next = page.nextCursor;
      // An empty page that offers more, or a cursor already followed, would only repeat the same answer.
      if (!next || page.items.length === 0 || followed.has(next) || read >= MAX_PAGES_PER_READ) return;
      cursor = next;
    }
  }

  /**
   * Messages at positions [start, end) of the whole conversation, from the pages that hold them. Newest page
   * first: the reader moves backwards, so the page read last is the one the next ask begins in.
   */
  private async readRange(
    start: number,
    end: number,
    signal: AbortSignal | undefined,
  ): Promise<{ items: SessionMessage[]; first: number }> {
    const parts: SessionMessage[][] = [];
    let first = end;
    for (let index = this.pageIndexAt(end - 1); index >= 0; index--) {
      const mark = this.pages[index] as PageMark;
      const cached = this.lastOlderPage?.mark === mark ? this.lastOlderPage.items : undefined;
      const pageItems = cached ?? (await this.fetchPage(mark.after, signal)).items;
      this.lastOlderPage = { mark, items: pageItems };
      const from = Math.max(start, mark.start);
      const part = pageItems.slice(from - mark.start, Math.max(0, end - mark.start));
      if (part.length > 0) first = from;
      parts.unshift(part);
      if (mark.start <= start) break;
    }
    return { items: parts.flat(), first };
  }

  /** The last page starting at or before `position`. */
  private pageIndexAt(position: number): number {
    let low = 0;
    let high = this.pages.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((this.pages[middle] as PageMark).start <= position) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private positionOf(id: string): number | undefined {
    const index = this.messages.findIndex((message) => message.id === id);
    return index >= 0 ? this.dropped + index : this.boundaries.get(id);
  }

  private remember(id: string, position: number): void {
    this.boundaries.delete(id);
    this.boundaries.set(id, position);
    if (this.boundaries.size > MAX_BOUNDARIES) this.boundaries.delete(this.boundaries.keys().next().value as string);
  }

  private add(message: SessionMessage): void {
    const key = identity(message);
    if (this.known.has(key)) return;
    this.known.add(key);
    this.messages.push(message);
  }

  private trim(): void {
    const excess = this.messages.length - this.capacity;
    if (excess <= 0) return;
    for (const message of this.messages.splice(0, excess)) this.known.delete(identity(message));
    this.dropped += excess;
  }
}

/** Older response shapes have no event ids, and the mapper numbers those per page; use the content then. */
function identity(message: SessionMessage): string {
  return /^message-\d+$/.test(message.id)
    ? `${message.source}|${message.createdAt ?? ''}|${message.message}`
    : `id:${message.id}`;
}
