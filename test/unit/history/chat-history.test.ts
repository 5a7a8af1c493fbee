import { ChatHistory } from '../../../src/history/chat-history';
import type { HistoryContext } from '../../../src/history/history-context';
import { SessionStateCache } from '../../../src/history/session-state-cache';
import type { ChatMessage } from '../../../src/entities';
import type { BucketRepository } from '../../../src/mapping/bucket-repository';
import type { MessagePartition, MessageRepository } from '../../../src/mapping/message-repository';
import type { SessionRepository } from '../../../src/mapping/session-repository';
import { MessageValidationError } from '../../../src/errors';
import { types } from 'cassandra-driver';

/**
 * The facade over in-memory repositories: what it asks the storage layer to do, and how it turns
 * pages of partitions into the public reads. The real storage is covered by the integration tests.
 */
class FakeStorage {
  readonly calls: string[] = [];
  readonly partitions = new Map<string, ChatMessage[]>();
  readonly buckets = new Map<string, Set<number>>();
  readonly spans = new Map<string, number>();

  private key(p: MessagePartition): string {
    return `${p.sessionId}|${p.bucket}`;
  }
  private sorted(p: MessagePartition, order: 'asc' | 'desc'): ChatMessage[] {
    const rows = [...(this.partitions.get(this.key(p)) ?? [])];
    rows.sort((a, b) => time(a.id) - time(b.id));
    return order === 'asc' ? rows : rows.reverse();
  }
  private put(m: ChatMessage): void {
    const rows = this.partitions.get(this.key(m)) ?? [];
    const i = rows.findIndex((r) => r.id === m.id);
    if (i >= 0) rows[i] = m;
    else rows.push(m);
    this.partitions.set(this.key(m), rows);
  }

  messages = {
    insert: async (m: ChatMessage) => {
      this.calls.push('insert');
      this.put(m);
    },
    insertBatch: async (ms: ChatMessage[]) => {
      this.calls.push(`batch:${ms.length}`);
      ms.forEach((m) => this.put(m));
    },
    findNewest: async (p: MessagePartition, limit: number, before?: string) => {
      this.calls.push(`findNewest:${limit}`);
      return this.sorted(p, 'desc')
        .filter((m) => before === undefined || time(m.id) < time(before))
        .slice(0, limit);
    },
    page: async (p: MessagePartition, order: 'asc' | 'desc', size: number, state?: string, before?: string) => {
      const rows = this.sorted(p, order).filter((m) => before === undefined || time(m.id) < time(before));
      const start = state ? Number.parseInt(state, 16) : 0;
      const end = start + size;
      return { items: rows.slice(start, end), pageState: end < rows.length ? end.toString(16) : undefined };
    },
    count: async (p: MessagePartition) => this.sorted(p, 'asc').length,
    remove: async (p: MessagePartition & { id: string }) => {
      this.partitions.set(this.key(p), this.sorted(p, 'asc').filter((m) => m.id !== p.id));
    },
    removeOlderThan: async (p: MessagePartition, id: string) => {
      this.calls.push('removeOlderThan');
      this.partitions.set(this.key(p), this.sorted(p, 'asc').filter((m) => time(m.id) >= time(id)));
    },
    removePartition: async (p: MessagePartition) => {
      this.calls.push('removePartition');
      this.partitions.delete(this.key(p));
    },
  };

  bucketRepo = {
    getSpan: async (s: string) => this.spans.get(s),
    claimSpan: async (s: string, span: number) => {
      this.calls.push('claimSpan');
      if (!this.spans.has(s)) this.spans.set(s, span);
      return this.spans.get(s) as number;
    },
    mark: async (s: string, b: number) => {
      this.calls.push('mark');
      const set = this.buckets.get(s) ?? new Set<number>();
      set.add(b);
      this.buckets.set(s, set);
    },
    layout: async (s: string, order: 'asc' | 'desc' = 'desc') => {
      const list = [...(this.buckets.get(s) ?? [])].sort((a, b) => a - b);
      return { spanMs: this.spans.get(s), buckets: order === 'asc' ? list : list.reverse() };
    },
    removeOlderThan: async (s: string, b: number) => {
      this.calls.push('forgetBuckets');
      const set = this.buckets.get(s);
      if (set) for (const x of [...set]) if (x < b) set.delete(x);
    },
    removeAll: async (s: string) => {
      this.buckets.delete(s);
    },
  };

  context(): HistoryContext {
    return {
      keyspace: 'ks',
      messages: this.messages as unknown as MessageRepository,
      buckets: this.bucketRepo as unknown as BucketRepository,
      sessions: { get: async () => null, save: async () => undefined } as unknown as SessionRepository,
      cache: new SessionStateCache(100),
      defaultSpanMs: 60_000,
      slidingTtl: false,
      activityRefreshMs: 60_000,
      validationLimits: {},
      ready: async () => undefined,
    };
  }
}

function time(id: string): number {
  const t = types.TimeUuid.fromString(id);
  return t.getDate().getTime() * 10_000 + t.getDatePrecision().ticks;
}

const idAt = (ms: number) => types.TimeUuid.fromDate(new Date(ms), 0).toString();
const BASE = Date.UTC(2026, 5, 1);

describe('ChatHistory (facade over fake repositories)', () => {
  it('claims the span once, records each bucket once and writes a batch per bucket', async () => {
    const storage = new FakeStorage();
    const history = new ChatHistory('s1', storage.context());
    await history.addMessages([
      { id: idAt(BASE), role: 'user', content: 'a' },
      { id: idAt(BASE + 1000), role: 'assistant', content: 'b' },
      { id: idAt(BASE + 61_000), role: 'user', content: 'c' },
    ]);
    await history.addMessage({ id: idAt(BASE + 62_000), role: 'user', content: 'd' });
    expect(storage.calls.filter((c) => c === 'claimSpan')).toHaveLength(1);
    expect(storage.calls.filter((c) => c === 'mark')).toHaveLength(2);
    expect(storage.calls).toContain('batch:2');
    expect(storage.calls.filter((c) => c === 'insert')).toHaveLength(2);
    expect((await history.getMessages()).map((m) => m.content)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads the newest bucket first and stops as soon as it has enough', async () => {
    const storage = new FakeStorage();
    const history = new ChatHistory('s1', storage.context());
    const messages = Array.from({ length: 20 }, (_, i) => ({ id: idAt(BASE + i * 10_000), role: 'user' as const, content: `m${i}` }));
    await history.addMessages(messages);
    storage.calls.length = 0;
    // One-minute buckets, a message every 10 s: the newest bucket holds m18 and m19.
    const last2 = await history.getMessages({ limit: 2 });
    expect(last2.map((m) => m.content)).toEqual(['m18', 'm19']);
    expect(storage.calls).toEqual(['findNewest:2']);
    storage.calls.length = 0;
    const last8 = await history.getMessages({ limit: 8 });
    expect(last8.map((m) => m.content)).toEqual(['m12', 'm13', 'm14', 'm15', 'm16', 'm17', 'm18', 'm19']);
    // The newest bucket gives 2, then the three older buckets are asked for the remaining 6 at once.
    expect(storage.calls).toEqual(['findNewest:8', 'findNewest:6', 'findNewest:6', 'findNewest:6']);
  });

  it('validates every message before writing any', async () => {
    const storage = new FakeStorage();
    const history = new ChatHistory('s1', storage.context());
    await expect(
      history.addMessages([
        { role: 'user', content: 'fine' },
        { role: 'nobody' as never, content: 'bad' },
      ]),
    ).rejects.toBeInstanceOf(MessageValidationError);
    expect(storage.calls.filter((c) => c.startsWith('batch') || c === 'insert')).toEqual([]);
  });

  it('trims with one range delete and partition deletes for older buckets', async () => {
    const storage = new FakeStorage();
    const history = new ChatHistory('s1', storage.context());
    await history.addMessages(Array.from({ length: 12 }, (_, i) => ({ id: idAt(BASE + i * 20_000), role: 'user' as const, content: `m${i}` })));
    storage.calls.length = 0;
    await history.trim({ keepLast: 5 });
    expect(storage.calls.filter((c) => c === 'removeOlderThan')).toHaveLength(1);
    expect(storage.calls.filter((c) => c === 'removePartition').length).toBeGreaterThanOrEqual(1);
    expect((await history.getMessages()).map((m) => m.content)).toEqual(['m7', 'm8', 'm9', 'm10', 'm11']);
  });

  it('pages with opaque cursors across buckets', async () => {
    const storage = new FakeStorage();
    const history = new ChatHistory('s1', storage.context());
    await history.addMessages(Array.from({ length: 10 }, (_, i) => ({ id: idAt(BASE + i * 25_000), role: 'user' as const, content: `m${i}` })));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await history.getPage({ pageSize: 3, cursor });
      seen.push(...page.messages.map((m) => m.content));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 2.5 }, 'limit'],
    [{ before: 'nope' }, 'before'],
  ])('refuses getMessages(%j) naming %s', async (options, property) => {
    const history = new ChatHistory('s1', new FakeStorage().context());
    const error = await history.getMessages(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageValidationError);
    expect((error as MessageValidationError).issues[0].property).toBe(property);
  });
});
