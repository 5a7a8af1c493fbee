import { types, type Client } from 'cassandra-driver';
import { forEachConcurrently } from './pool';
import { turn } from './messages';
import type { SeedPlan } from '../contenders/contender';

/**
 * The two tables of migrations/V0001__chat_history_schema.cql that hold messages, written out by
 * hand as a driver user would: the raw contender creates them itself so it does not depend on the
 * package's migrations runner.
 */
export function bucketedLayoutDdl(keyspace: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${keyspace}.chat_messages (
       session_id text, bucket bigint, message_id timeuuid, role text, content text, name text,
       tool_calls text, tool_call_id text, metadata text,
       PRIMARY KEY ((session_id, bucket), message_id)
     ) WITH CLUSTERING ORDER BY (message_id DESC)`,
    `CREATE TABLE IF NOT EXISTS ${keyspace}.chat_message_buckets (
       session_id text, bucket bigint, bucket_span_ms bigint STATIC,
       PRIMARY KEY ((session_id), bucket)
     ) WITH CLUSTERING ORDER BY (bucket DESC)`,
  ];
}

/** Start of the bucket that holds `timeMs`. */
export function bucketOf(timeMs: number, spanMs: number): number {
  return Math.floor(timeMs / spanMs) * spanMs;
}

const ROWS_PER_SEED_BATCH = 100;
const SEED_CONCURRENCY = 32;

/**
 * Seeds `count` messages into the bucketed layout with single-partition unlogged batches run
 * concurrently, and registers the session's buckets and span. Not measured.
 */
export async function seedBucketedLayout(
  client: Client,
  keyspace: string,
  sessionId: string,
  count: number,
  plan: SeedPlan,
  bucketSpanMs: number,
): Promise<void> {
  const insertMessage = `INSERT INTO ${keyspace}.chat_messages (session_id, bucket, message_id, role, content) VALUES (?, ?, ?, ?, ?)`;
  const insertBucket = `INSERT INTO ${keyspace}.chat_message_buckets (session_id, bucket, bucket_span_ms) VALUES (?, ?, ?)`;
  const batches: { query: string; params: unknown[] }[][] = [];
  const buckets = new Set<number>();
  let current: { query: string; params: unknown[] }[] = [];
  let currentBucket = Number.NaN;
  for (let i = 0; i < count; i += 1) {
    const at = plan.endMs - (count - 1 - i) * plan.intervalMs;
    const bucket = bucketOf(at, bucketSpanMs);
    buckets.add(bucket);
    if (current.length >= ROWS_PER_SEED_BATCH || (current.length > 0 && bucket !== currentBucket)) {
      batches.push(current);
      current = [];
    }
    currentBucket = bucket;
    const { role, content } = turn(i, plan.contentBytes);
    // Distinct ticks keep ids unique and ordered even when messages share a millisecond.
    const id = types.TimeUuid.fromDate(new Date(at), i % 10_000);
    current.push({ query: insertMessage, params: [sessionId, types.Long.fromNumber(bucket), id, role, content] });
  }
  if (current.length > 0) batches.push(current);
  await forEachConcurrently(batches, SEED_CONCURRENCY, async (batch) => {
    await client.batch(batch, { prepare: true, logged: false });
  });
  await forEachConcurrently([...buckets], SEED_CONCURRENCY, async (bucket) => {
    await client.execute(
      insertBucket,
      [sessionId, types.Long.fromNumber(bucket), types.Long.fromNumber(bucketSpanMs)],
      {
        prepare: true,
      },
    );
  });
}
