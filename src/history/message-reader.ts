import { type ChatMessage, timeOfTimeUuid } from '../entities';
import type { MessagePartition } from '../mapping';
import { inGroups, walkBuckets } from './bucket-walk';
import { decodeCursor, encodeCursor } from './cursor';
import { BUCKET_FAN_OUT, mapLimited } from './fan-out';
import { estimateTokens, modelReadyWindow } from './message-window';
import type { StoreDependencies } from './store-dependencies';

export interface MessagePage {
  readonly messages: ChatMessage[];
  /** Absent when there is nothing more to read. */
  readonly nextCursor?: string;
}

/** What a windowed read asks for (validated by the facade). */
export interface WindowReadRequest {
  readonly limit?: number;
  readonly maxTokens?: number;
  readonly countTokens?: (message: ChatMessage) => number;
  readonly before?: string;
  readonly startWithUser?: boolean;
  readonly keepSystem?: boolean;
}

/** Messages per round trip when a token budget decides where the window starts. */
const WINDOW_PAGE = 64;
/** Buckets read at once when the newest one does not hold enough messages. */
const BUCKET_READ_PARALLELISM = 4;
/** Index rows per round trip for "last N": most reads need one bucket; a few more cost nothing. */
const LAST_N_INDEX_PAGE = 8;
/** Index rows per round trip for reads of the whole session. */
const FULL_INDEX_PAGE = 1000;

/**
 * The read paths of one session. Every path finds partitions through the bucket index, which the
 * writer and the remover keep complete for every live message (src/history/README.md). No path
 * needs the session's bucket span: a bucket is just the start of a partition's time range.
 */
export class MessageReader {
  constructor(
    private readonly sessionId: string,
    private readonly deps: StoreDependencies,
  ) {}

  private partition(bucket: number): MessagePartition {
    return { sessionId: this.sessionId, bucket };
  }

  /**
   * The newest `limit` messages (all without a limit) strictly older than `before` when given, in
   * chronological order. Reads newest bucket first and stops once it has enough.
   */
  async newest(limit: number | undefined, before: string | undefined): Promise<ChatMessage[]> {
    if (limit === undefined) {
      // Everything older than the cut: iterate's newest-first walk, collected.
      const all: ChatMessage[] = [];
      for await (const m of this.iterate('desc', 1000, before)) all.push(m);
      return all.reverse();
    }
    const schema = this.deps.ready();
    if (schema !== undefined) await schema;
    // Only buckets that start at or before the cut can hold older messages.
    const start = before !== undefined ? timeOfTimeUuid(before).getTime() : undefined;
    const wanted = limit;
    // The index is paged by hand rather than through walkBuckets: this runs on every "last N" (each
    // chat turn), and an async generator costs promise hops per bucket taken.
    let index = await this.deps.buckets.page(this.sessionId, 'desc', LAST_N_INDEX_PAGE, undefined, start);
    let taken = 0;
    const newestFirst: ChatMessage[] = [];
    // The newest bucket alone usually suffices; otherwise older buckets are read a few at a time.
    let width = 1;
    while (newestFirst.length < wanted) {
      const slice: number[] = [];
      while (slice.length < width) {
        if (taken < index.buckets.length) {
          slice.push(index.buckets[taken++]);
          continue;
        }
        if (index.pageState === undefined) break;
        index = await this.deps.buckets.page(this.sessionId, 'desc', LAST_N_INDEX_PAGE, index.pageState, start);
        taken = 0;
      }
      if (slice.length === 0) break;
      width = BUCKET_READ_PARALLELISM;
      const remaining = wanted - newestFirst.length;
      const results =
        slice.length === 1
          ? [await this.deps.messages.findNewest(this.partition(slice[0]), remaining, before)]
          : await Promise.all(
              slice.map((bucket) => this.deps.messages.findNewest(this.partition(bucket), remaining, before)),
            );
      for (const rows of results) {
        for (const row of rows) {
          if (newestFirst.length >= wanted) break;
          newestFirst.push(row);
        }
      }
    }
    return newestFirst.reverse();
  }

  /**
   * Every message (strictly older than `before`, when given), one page per round trip: any length,
   * bounded memory. A caller that stops early reads no further.
   */
  async *iterate(
    order: 'asc' | 'desc',
    pageSize: number,
    before?: string,
  ): AsyncGenerator<ChatMessage, void, undefined> {
    await this.deps.ready();
    const start = before !== undefined && order === 'desc' ? timeOfTimeUuid(before).getTime() : undefined;
    const indexPage = Math.min(FULL_INDEX_PAGE, Math.max(LAST_N_INDEX_PAGE, pageSize));
    for await (const bucket of walkBuckets(this.deps, this.sessionId, order, { start, pageSize: indexPage })) {
      let pageState: string | undefined;
      do {
        const page = await this.deps.messages.page(this.partition(bucket), order, pageSize, pageState, before);
        yield* page.items;
        pageState = page.pageState;
      } while (pageState !== undefined);
    }
  }

  /**
   * A window a chat model accepts (see message-window.ts): reads newest first and stops as soon as
   * the window is decided, so its cost is the window plus at most one page (for `limit`: at most
   * 2 × limit + 1 messages), however long the session.
   */
  async window(request: WindowReadRequest): Promise<ChatMessage[]> {
    const { limit, maxTokens, before, keepSystem } = request;
    const countTokens = request.countTokens ?? estimateTokens;
    const system = keepSystem ? await this.leadingSystemMessages() : [];
    const reservedTokens = maxTokens === undefined ? 0 : system.reduce((sum, m) => sum + countTokens(m), 0);
    if (maxTokens !== undefined && reservedTokens > maxTokens) return [];
    let chronological: ChatMessage[];
    let complete: boolean;
    if (maxTokens === undefined) {
      const wanted = 2 * (limit as number) + 1;
      chronological = await this.newest(wanted, before);
      complete = chronological.length < wanted;
    } else {
      // Newest first, one page at a time, until the budget (or the limit, a hard cap here) is passed.
      const newestFirst: ChatMessage[] = [];
      let spent = reservedTokens;
      complete = true;
      for await (const m of this.iterate('desc', WINDOW_PAGE, before)) {
        newestFirst.push(m);
        spent += countTokens(m);
        if (spent > maxTokens || (limit !== undefined && newestFirst.length > limit)) {
          complete = false;
          break;
        }
      }
      chronological = newestFirst.reverse();
    }
    const window = modelReadyWindow(chronological, complete, {
      limit,
      maxTokens,
      countTokens,
      reservedTokens,
      startWithUser: request.startWithUser === true,
    });
    const inWindow = new Set(window.map((m) => m.id));
    const missing = system.filter((m) => !inWindow.has(m.id));
    return [...missing, ...window];
  }

  /** The session's first messages while they are system messages (its instructions). */
  private async leadingSystemMessages(): Promise<ChatMessage[]> {
    const system: ChatMessage[] = [];
    for await (const m of this.iterate('asc', LAST_N_INDEX_PAGE)) {
      if (m.role !== 'system') break;
      system.push(m);
    }
    return system;
  }

  /** One page of at most `pageSize` messages and the cursor of the next; cursors are opaque strings. */
  async page(
    pageSize: number,
    cursor: string | undefined,
    requestedOrder: 'asc' | 'desc' | undefined,
  ): Promise<MessagePage> {
    const position = cursor !== undefined ? decodeCursor(cursor) : undefined;
    const order = position?.order ?? requestedOrder ?? 'asc';
    await this.deps.ready();
    const buckets = walkBuckets(this.deps, this.sessionId, order, {
      start: position?.bucket,
      pageSize: Math.min(FULL_INDEX_PAGE, pageSize + 1),
    })[Symbol.asyncIterator]();
    const messages: ChatMessage[] = [];
    try {
      for (let next = await buckets.next(); !next.done;) {
        const bucket = next.value;
        // The cursor's page state belongs to its own bucket only.
        let pageState = position && bucket === position.bucket ? position.pageState : undefined;
        // A short page with a page state is not the bucket's end: read on in this bucket first.
        do {
          const page = await this.deps.messages.page(
            this.partition(bucket),
            order,
            pageSize - messages.length,
            pageState,
          );
          messages.push(...page.items);
          pageState = page.pageState;
        } while (pageState !== undefined && messages.length < pageSize);
        next = await buckets.next();
        if (messages.length >= pageSize) {
          if (pageState !== undefined) return { messages, nextCursor: encodeCursor({ order, bucket, pageState }) };
          return next.done ? { messages } : { messages, nextCursor: encodeCursor({ order, bucket: next.value }) };
        }
      }
      return { messages };
    } finally {
      await buckets.return?.();
    }
  }

  /** The exact number of messages: a COUNT per bucket partition, a few buckets at a time. */
  async count(): Promise<number> {
    await this.deps.ready();
    let total = 0;
    const walk = walkBuckets(this.deps, this.sessionId, 'desc', { pageSize: FULL_INDEX_PAGE });
    for await (const group of inGroups(walk, FULL_INDEX_PAGE)) {
      const counts = await mapLimited(group, BUCKET_FAN_OUT, (bucket) =>
        this.deps.messages.count(this.partition(bucket)),
      );
      for (const c of counts) total += c;
    }
    return total;
  }
}
