import { randomBytes } from 'node:crypto';
import { types, type Client } from 'cassandra-driver';
import { createClient } from '../../src/config';
import { bucketedLayoutDdl, bucketOf, seedBucketedLayout } from '../support/bucketed-layout';
import { BENCH_QUERY_OPTIONS } from '../support/consistency';
import { createKeyspace } from '../support/keyspaces';
import type { Turn } from '../support/messages';
import { packageVersion } from '../support/machine';
import { forEachConcurrently } from '../support/pool';
import { RoundTripCounter } from '../support/round-trips';
import type { Contender, ContenderInstance, OpenOptions, SessionHandle } from './contender';

/**
 * Message ids come from one random node id and clock id per process instead of TimeUuid.now()'s
 * two crypto.randomBytes calls per id: still unique (the driver adds a sub-millisecond counter), and
 * about 25 times cheaper. That is what a careful hand-written service does.
 */
const NODE_ID = randomBytes(6);
const CLOCK_ID = randomBytes(2);
const newMessageId = (): types.TimeUuid => types.TimeUuid.now(NODE_ID, CLOCK_ID);

/** Columns a caller needs back: the same ones the facade maps into a ChatMessage. */
const MESSAGE_COLUMNS = 'message_id, role, content, name, tool_calls, tool_call_id, metadata';
const PAGE_SIZE = 5_000;
/** The facade's default clockSkewToleranceMs: the raw clear keeps the same delete protocol. */
const CLOCK_SKEW_TOLERANCE_MS = 100;

interface Statements {
  readonly insertMessage: string;
  readonly insertBucket: string;
  readonly selectBuckets: string;
  readonly selectNewest: string;
  readonly selectOldestFirst: string;
  readonly deleteBucket: string;
  readonly deleteIndexRow: string;
}

function statements(keyspace: string): Statements {
  return {
    insertMessage: `INSERT INTO ${keyspace}.chat_messages (session_id, bucket, message_id, role, content) VALUES (?, ?, ?, ?, ?)`,
    insertBucket: `INSERT INTO ${keyspace}.chat_message_buckets (session_id, bucket) VALUES (?, ?)`,
    selectBuckets: `SELECT bucket FROM ${keyspace}.chat_message_buckets WHERE session_id = ?`,
    selectNewest: `SELECT ${MESSAGE_COLUMNS} FROM ${keyspace}.chat_messages WHERE session_id = ? AND bucket = ? LIMIT ?`,
    selectOldestFirst: `SELECT ${MESSAGE_COLUMNS} FROM ${keyspace}.chat_messages WHERE session_id = ? AND bucket = ? ORDER BY message_id ASC`,
    deleteBucket: `DELETE FROM ${keyspace}.chat_messages WHERE session_id = ? AND bucket = ?`,
    deleteIndexRow: `DELETE FROM ${keyspace}.chat_message_buckets WHERE session_id = ? AND bucket = ?`,
  };
}

/** What a hand-written service would hand back: plain objects, no validation. */
interface RawMessage {
  readonly id: string;
  readonly role: string;
  readonly content: string;
}

function toMessage(row: types.Row): RawMessage {
  return {
    id: (row.get('message_id') as types.TimeUuid).toString(),
    role: row.get('role'),
    content: row.get('content'),
  };
}

/**
 * The physical limit for this stack: the same time-bucketed tables as the facade, hand-written
 * prepared statements, and no validation or mapping beyond plain objects. It does the same durable
 * work as the facade: every write carries its bucket-index row in the same unlogged batch (one
 * round trip, one timestamp), which is what keeps a message findable across instances.
 */
class RawInstance implements ContenderInstance {
  readonly roundTrips: RoundTripCounter;
  private readonly cql: Statements;

  constructor(
    private readonly client: Client,
    counter: RoundTripCounter,
    private readonly keyspace: string,
    private readonly bucketSpanMs: number,
  ) {
    this.roundTrips = counter;
    this.cql = statements(keyspace);
  }

  async session(sessionId: string): Promise<SessionHandle> {
    return new RawSession(this, sessionId);
  }

  async seed(sessionId: string, count: number, plan: Parameters<ContenderInstance['seed']>[2]): Promise<void> {
    await seedBucketedLayout(this.client, this.keyspace, sessionId, count, plan, this.bucketSpanMs);
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }

  private indexRow(sessionId: string, bucket: types.Long): { query: string; params: unknown[] } {
    return { query: this.cql.insertBucket, params: [sessionId, bucket] };
  }

  async add(sessionId: string, turn: Turn): Promise<void> {
    const id = newMessageId();
    const bucket = types.Long.fromNumber(bucketOf(id.getDate().getTime(), this.bucketSpanMs));
    await this.client.batch(
      [
        { query: this.cql.insertMessage, params: [sessionId, bucket, id, turn.role, turn.content] },
        this.indexRow(sessionId, bucket),
      ],
      { prepare: true, logged: false },
    );
  }

  async addMany(sessionId: string, turns: readonly Turn[]): Promise<void> {
    const byBucket = new Map<number, { query: string; params: unknown[] }[]>();
    for (const turn of turns) {
      const id = newMessageId();
      const bucket = bucketOf(id.getDate().getTime(), this.bucketSpanMs);
      let queries = byBucket.get(bucket);
      if (!queries) byBucket.set(bucket, (queries = []));
      queries.push({
        query: this.cql.insertMessage,
        params: [sessionId, types.Long.fromNumber(bucket), id, turn.role, turn.content],
      });
    }
    for (const [bucket, queries] of byBucket) {
      queries.push(this.indexRow(sessionId, types.Long.fromNumber(bucket)));
      await this.client.batch(queries, { prepare: true, logged: false });
    }
  }

  /** The session's buckets, newest first. */
  async buckets(sessionId: string): Promise<types.Long[]> {
    const result = await this.client.execute(this.cql.selectBuckets, [sessionId], { prepare: true });
    // A partition holding only the static span answers one row with a null bucket.
    return result.rows.map((row) => row.get('bucket') as types.Long | null).filter((b): b is types.Long => b !== null);
  }

  async last(sessionId: string, count: number): Promise<RawMessage[]> {
    const newestFirst: RawMessage[] = [];
    for (const bucket of await this.buckets(sessionId)) {
      const result = await this.client.execute(this.cql.selectNewest, [sessionId, bucket, count - newestFirst.length], {
        prepare: true,
      });
      for (const row of result.rows) newestFirst.push(toMessage(row));
      if (newestFirst.length >= count) break;
    }
    return newestFirst.reverse();
  }

  async *iterate(sessionId: string): AsyncGenerator<RawMessage> {
    const oldestFirst = (await this.buckets(sessionId)).reverse();
    for (const bucket of oldestFirst) {
      const result = await this.client.execute(this.cql.selectOldestFirst, [sessionId, bucket], {
        prepare: true,
        fetchSize: PAGE_SIZE,
      });
      // The result set's async iterator fetches the following pages as it goes.
      for await (const row of result) yield toMessage(row);
    }
  }

  /**
   * The facade's delete protocol by hand: every partition and then its index row deleted at one
   * timestamp stamped ahead by the clock-skew tolerance, resolved after twice the tolerance.
   */
  async clear(sessionId: string): Promise<void> {
    const stampMs = Date.now() + CLOCK_SKEW_TOLERANCE_MS;
    const timestamp = types.Long.fromNumber(stampMs * 1000 + 999);
    const buckets = await this.buckets(sessionId);
    await forEachConcurrently(buckets, 8, async (bucket) => {
      await this.client.execute(this.cql.deleteBucket, [sessionId, bucket], { prepare: true, timestamp });
    });
    for (let i = 0; i < buckets.length; i += 100) {
      const rows = buckets
        .slice(i, i + 100)
        .map((bucket) => ({ query: this.cql.deleteIndexRow, params: [sessionId, bucket] }));
      await this.client.batch(rows, { prepare: true, logged: false, timestamp });
    }
    const wait = stampMs + CLOCK_SKEW_TOLERANCE_MS + 1 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

class RawSession implements SessionHandle {
  constructor(
    private readonly instance: RawInstance,
    private readonly sessionId: string,
  ) {}

  add(turn: Turn): Promise<void> {
    return this.instance.add(this.sessionId, turn);
  }

  addMany(turns: readonly Turn[]): Promise<void> {
    return this.instance.addMany(this.sessionId, turns);
  }

  async last(count: number): Promise<readonly string[]> {
    return (await this.instance.last(this.sessionId, count)).map((m) => m.content);
  }

  async all(): Promise<readonly string[]> {
    const contents: string[] = [];
    for await (const message of this.instance.iterate(this.sessionId)) contents.push(message.content);
    return contents;
  }

  async *iterate(): AsyncGenerator<string> {
    for await (const message of this.instance.iterate(this.sessionId)) yield message.content;
  }

  clear(): Promise<void> {
    return this.instance.clear(this.sessionId);
  }

  async release(): Promise<void> {
    // Nothing per session: the client is shared.
  }
}

export const rawContender: Contender = {
  name: 'raw',
  label: 'raw driver',
  version: `cassandra-driver ${packageVersion('cassandra-driver')}`,
  async open(keyspace: string, options: OpenOptions): Promise<ContenderInstance> {
    const setup = createClient();
    try {
      await createKeyspace(setup, keyspace);
      for (const ddl of bucketedLayoutDdl(keyspace)) await setup.execute(ddl);
    } finally {
      await setup.shutdown();
    }
    return this.attach(keyspace, options);
  },
  async attach(keyspace: string, options: OpenOptions): Promise<ContenderInstance> {
    const counter = new RoundTripCounter();
    const client = createClient({ requestTracker: counter, queryOptions: BENCH_QUERY_OPTIONS });
    await client.connect();
    return new RawInstance(client, counter, keyspace, options.bucketSpanMs);
  },
  async transformProbe(options: OpenOptions) {
    // The values a hand-written insert binds: an id, its bucket, role and content. No validation.
    return {
      run(turns: readonly Turn[]): unknown {
        let last: unknown[] = [];
        for (const turn of turns) {
          const id = newMessageId();
          last = [
            'session',
            types.Long.fromNumber(bucketOf(id.getDate().getTime(), options.bucketSpanMs)),
            id,
            turn.role,
            turn.content,
          ];
        }
        return last;
      },
    };
  },
};
