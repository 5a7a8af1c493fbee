import { type Client, type Host, tracker, types } from 'cassandra-driver';
import { ChatHistoryStore, MigrationRunner } from '../../../src';
import { uniqueKeyspaceName } from '../../support/cassandra';
import { clusterClient, dropClusterKeyspace } from '../support/cluster';

/** The driver checks `instanceof RequestTracker` at runtime; its typings declare only an interface. */
const RequestTrackerBase = (tracker as unknown as { RequestTracker: new () => object }).RequestTracker;

/** Which node coordinated each message write, and how it was sent. */
class WriteLog extends RequestTrackerBase implements tracker.RequestTracker {
  /** The partition of each write, read off its bucket-index row's (session_id, bucket) values. */
  readonly writes: { coordinator: string; asStatement: boolean; partition: unknown[] }[] = [];

  onSuccess(host: Host, query: string | { query: string; params?: unknown[] }[], parameters: unknown): void {
    if (typeof query === 'string') {
      if (query.startsWith('BEGIN UNLOGGED BATCH') && query.includes('chat_messages')) {
        const params = parameters as unknown[];
        this.writes.push({ coordinator: host.address, asStatement: true, partition: params.slice(-2) });
      }
      return;
    }
    if (!Array.isArray(query) || !query.some((q) => q.query.includes('chat_messages'))) return;
    const index = query.find((q) => q.query.includes('chat_message_buckets'));
    this.writes.push({ coordinator: host.address, asStatement: false, partition: index?.params ?? [] });
  }

  onError(): void {}

  shutdown(): void {}
}

/** The driver's routing key of a (session_id text, bucket bigint) partition: each part length-prefixed, then 0. */
function routingKey(sessionId: string, bucket: number | types.Long): Buffer {
  const part = (bytes: Buffer) => {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(bytes.length);
    return Buffer.concat([length, bytes, Buffer.alloc(1)]);
  };
  const bucketBytes = Buffer.alloc(8);
  bucketBytes.writeBigInt64BE(BigInt(bucket.toString()));
  return Buffer.concat([part(Buffer.from(sessionId, 'utf8')), part(bucketBytes)]);
}

async function writeThrough(replicationFactor: number): Promise<{ log: WriteLog; client: Client; keyspace: string }> {
  const keyspace = uniqueKeyspaceName(`cl_route${replicationFactor}`);
  const log = new WriteLog();
  const client = clusterClient({ requestTracker: log });
  await new MigrationRunner({
    client,
    keyspace,
    replication: { class: 'SimpleStrategy', replicationFactor },
  }).up();
  const store = new ChatHistoryStore({ client, keyspace });
  for (let s = 0; s < 12; s++) {
    const history = store.history(`route-${s}`);
    await history.addMessage({ role: 'user', content: `hello ${s}` });
    await history.addMessages([
      { role: 'assistant', content: `hi ${s}` },
      { role: 'user', content: `bye ${s}` },
    ]);
    expect((await history.getMessages()).map((m) => m.content)).toEqual([`hello ${s}`, `hi ${s}`, `bye ${s}`]);
  }
  return { log, client, keyspace };
}

/**
 * A write is one prepared BATCH statement only where every node replicates every partition (the
 * driver cannot route a statement over two tables by token); elsewhere it is a Mapper batch, which
 * the driver sends to a replica of the partition.
 */
describe('message writes are coordinated by a replica, on the 3-node cluster', () => {
  const opened: { client: Client; keyspace: string }[] = [];
  afterAll(async () => {
    for (const { client, keyspace } of opened) {
      await client.shutdown();
      await dropClusterKeyspace(keyspace);
    }
  });

  it('RF=1: every write is a Mapper batch, coordinated by the one replica of its partition', async () => {
    const run = await writeThrough(1);
    opened.push(run);
    expect(run.log.writes).toHaveLength(24);
    for (const write of run.log.writes) {
      expect(write.asStatement).toBe(false);
      const [sessionId, bucket] = write.partition as [string, number | types.Long];
      const replicas = run.client.getReplicas(run.keyspace, routingKey(sessionId, bucket));
      expect(replicas.map((h) => h.address)).toEqual([write.coordinator]);
    }
    // Not every write on one node: the check above means something.
    expect(new Set(run.log.writes.map((w) => w.coordinator)).size).toBeGreaterThan(1);
  });

  it('RF=3 on 3 nodes: every write is one prepared statement (every node is a replica)', async () => {
    const run = await writeThrough(3);
    opened.push(run);
    expect(run.log.writes).toHaveLength(24);
    expect(run.log.writes.every((w) => w.asStatement)).toBe(true);
  });
});
