import { emptyCheckpoint, uuid6, type Checkpoint } from '@langchain/langgraph-checkpoint';
import type { CassandraSaver } from '../../../src/langgraph';
import { SaverKeyspace } from '../../support/langgraph';

const keyspace = new SaverKeyspace('lg_retention');
beforeAll(() => keyspace.open());
afterAll(() => keyspace.close());

const meta = { source: 'loop' as const, step: 0, parents: {} };

/**
 * Saves `count` checkpoints as a graph would: `steady` written once at the first step and never
 * changed afterwards, `counter` changed at every step. Returns the checkpoint ids, oldest first.
 */
async function grow(saver: CassandraSaver, threadId: string, count: number, ns = ''): Promise<string[]> {
  const ids: string[] = [];
  let parent: string | undefined;
  let steadyVersion = 0;
  for (let i = 0; i < count; i += 1) {
    const checkpoint: Checkpoint = { ...emptyCheckpoint(), id: uuid6(i) };
    const counterVersion = saver.getNextVersion(i === 0 ? undefined : i);
    if (i === 0) steadyVersion = saver.getNextVersion(undefined);
    checkpoint.channel_values = { steady: 'written once', counter: i };
    checkpoint.channel_versions = { steady: steadyVersion, counter: counterVersion };
    const newVersions: Record<string, number> =
      i === 0 ? { steady: steadyVersion, counter: counterVersion } : { counter: counterVersion };
    const config = await saver.put(
      { configurable: { thread_id: threadId, checkpoint_ns: ns, checkpoint_id: parent } },
      checkpoint,
      { ...meta, step: i },
      newVersions,
    );
    await saver.putWrites(config, [['counter', i]], `task-${i}`);
    parent = String(config.configurable?.checkpoint_id);
    ids.push(parent);
  }
  return ids;
}

async function listIds(saver: CassandraSaver, threadId: string, ns = ''): Promise<string[]> {
  const ids: string[] = [];
  for await (const t of saver.list({ configurable: { thread_id: threadId, checkpoint_ns: ns } }))
    ids.push(t.checkpoint.id);
  return ids;
}

/**
 * Live rows and tombstone cells the node reports reading for one partition read, from its query
 * trace. Trace events are written asynchronously: the trace is read again until the read's event is in.
 */
async function traceRead(cql: string, params: unknown[]): Promise<{ live: number; tombstones: number }> {
  const result = await keyspace.driver.execute(cql, params, { prepare: true, traceQuery: true });
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const trace = await keyspace.driver.metadata.getTrace(result.info.traceId);
    const counts = (trace.events as Array<{ activity: string }>)
      .map((event) => /Read (\d+) live rows and (\d+) tombstone cells/.exec(event.activity))
      .filter((match): match is RegExpExecArray => match !== null);
    if (counts.length > 0) {
      return counts.reduce((sum, m) => ({ live: sum.live + Number(m[1]), tombstones: sum.tombstones + Number(m[2]) }), {
        live: 0,
        tombstones: 0,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the trace of ${cql} has no "Read N live rows" event`);
}

describe('CassandraSaver retention', () => {
  it('keepLast keeps only the newest N checkpoints, their writes, and every value a kept checkpoint reads', async () => {
    const saver = keyspace.saver({ keepLast: 5 });
    const ids = await grow(saver, 'keep-5', 30);
    expect(await listIds(saver, 'keep-5')).toEqual(ids.slice(-5).reverse());
    const latest = await saver.getTuple({ configurable: { thread_id: 'keep-5' } });
    // `steady` was written by the first checkpoint, long trimmed: its value is still there.
    expect(latest?.checkpoint.channel_values).toEqual({ steady: 'written once', counter: 29 });
    expect(latest?.pendingWrites).toEqual([['task-29', 'counter', 29]]);
    const oldest = await saver.getTuple({ configurable: { thread_id: 'keep-5', checkpoint_id: ids[25] } });
    expect(oldest?.checkpoint.channel_values).toEqual({ steady: 'written once', counter: 25 });
    expect(await saver.getTuple({ configurable: { thread_id: 'keep-5', checkpoint_id: ids[24] } })).toBeUndefined();
    // Old channel values are gone too: 5 counters and the steady value remain.
    const blobs = await keyspace.driver.execute(
      `SELECT channel FROM ${keyspace.keyspace}.langgraph_checkpoint_blobs WHERE thread_id = ? AND checkpoint_ns = ?`,
      ['keep-5', ''],
      { prepare: true },
    );
    expect(blobs.rows.map((r) => String(r.channel)).sort()).toEqual([
      'counter',
      'counter',
      'counter',
      'counter',
      'counter',
      'steady',
    ]);
  });

  it('trimThread drops old checkpoints with range tombstones: reading the rest scans a handful of tombstones, not one per row', async () => {
    const saver = keyspace.saver();
    await grow(saver, 'trim-me', 200);
    await grow(saver, 'trim-me', 20, 'child');
    await saver.trimThread('trim-me', 10);
    expect(await listIds(saver, 'trim-me')).toHaveLength(10);
    expect(await listIds(saver, 'trim-me', 'child')).toHaveLength(10);
    for (const table of ['langgraph_checkpoints', 'langgraph_checkpoint_writes']) {
      const read = await traceRead(
        `SELECT * FROM ${keyspace.keyspace}.${table} WHERE thread_id = ? AND checkpoint_ns = ?`,
        ['trim-me', ''],
      );
      expect(read.live).toBe(10);
      // One range tombstone (two bounds) per trim; 190 row deletes would be 190 tombstones.
      expect(read.tombstones).toBeLessThanOrEqual(4);
    }
    const blobs = await traceRead(
      `SELECT * FROM ${keyspace.keyspace}.langgraph_checkpoint_blobs WHERE thread_id = ? AND checkpoint_ns = ?`,
      ['trim-me', ''],
    );
    expect(blobs.live).toBe(11);
    expect(blobs.tombstones).toBeLessThanOrEqual(4);
  });

  it('reads the latest checkpoint of a long thread with one row: LIMIT 1 on the newest-first partition', async () => {
    const saver = keyspace.saver();
    const ids = await grow(saver, 'long', 300);
    const read = await traceRead(
      `SELECT * FROM ${keyspace.keyspace}.langgraph_checkpoints WHERE thread_id = ? AND checkpoint_ns = ? LIMIT 1`,
      ['long', ''],
    );
    expect(read.live).toBe(1);
    expect((await saver.getTuple({ configurable: { thread_id: 'long' } }))?.checkpoint.id).toBe(ids[299]);
  });

  it('a saver TTL expires checkpoints, values, writes and the thread index', async () => {
    const saver = keyspace.saver({ ttlSeconds: 2 });
    await grow(saver, 'ttl-saver', 3);
    const ttl = await keyspace.driver.execute(
      `SELECT TTL(checkpoint) AS t FROM ${keyspace.keyspace}.langgraph_checkpoints WHERE thread_id = ? AND checkpoint_ns = ?`,
      ['ttl-saver', ''],
      { prepare: true },
    );
    for (const row of ttl.rows) expect(Number(row.t)).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await saver.getTuple({ configurable: { thread_id: 'ttl-saver' } })).toBeUndefined();
    for (const table of ['langgraph_checkpoints', 'langgraph_checkpoint_blobs', 'langgraph_checkpoint_writes']) {
      const rows = await keyspace.driver.execute(
        `SELECT * FROM ${keyspace.keyspace}.${table} WHERE thread_id = ? AND checkpoint_ns = ?`,
        ['ttl-saver', ''],
        { prepare: true },
      );
      expect(rows.rowLength).toBe(0);
    }
    const index = await keyspace.driver.execute(
      `SELECT * FROM ${keyspace.keyspace}.langgraph_thread_namespaces WHERE thread_id = ?`,
      ['ttl-saver'],
      { prepare: true },
    );
    expect(index.rowLength).toBe(0);
  });

  it('a TTL per thread applies to that thread only', async () => {
    const saver = keyspace.saver({ ttlSeconds: (threadId) => (threadId.startsWith('guest-') ? 60 : undefined) });
    await grow(saver, 'guest-1', 1);
    await grow(saver, 'member-1', 1);
    const ttlOf = async (threadId: string) =>
      (
        await keyspace.driver.execute(
          `SELECT TTL(checkpoint) AS t FROM ${keyspace.keyspace}.langgraph_checkpoints WHERE thread_id = ? AND checkpoint_ns = ?`,
          [threadId, ''],
          { prepare: true },
        )
      ).first()?.t as number | null;
    expect(await ttlOf('guest-1')).toBeGreaterThan(50);
    expect(await ttlOf('member-1')).toBeNull();
  });

  it('with a TTL, an unchanged channel value is re-written once it has lived half the TTL, so it outlives the checkpoints that read it', async () => {
    const saver = keyspace.saver({ ttlSeconds: 6 });
    await grow(saver, 'ttl-refresh', 2);
    const steadyTtl = async () =>
      Number(
        (
          await keyspace.driver.execute(
            `SELECT TTL(value) AS t FROM ${keyspace.keyspace}.langgraph_checkpoint_blobs WHERE thread_id = ? AND checkpoint_ns = ? AND channel = ?`,
            ['ttl-refresh', '', 'steady'],
            { prepare: true },
          )
        ).first()?.t,
      );
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    const before = await steadyTtl();
    expect(before).toBeLessThanOrEqual(3);
    const latest = await saver.getTuple({ configurable: { thread_id: 'ttl-refresh' } });
    const next: Checkpoint = {
      ...latest!.checkpoint,
      id: uuid6(99),
      channel_values: { ...latest!.checkpoint.channel_values, counter: 2 },
    };
    next.channel_versions = {
      ...next.channel_versions,
      counter: saver.getNextVersion(Number(next.channel_versions.counter)),
    };
    // `steady` is not in newVersions: only the half-TTL rule makes this put write it again.
    await saver.put(latest!.config, next, meta, { counter: next.channel_versions.counter });
    expect(await steadyTtl()).toBeGreaterThan(before);
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    // The first two checkpoints (and the value as first written) expired; the newest still reads it.
    expect(
      await saver.getTuple({ configurable: { thread_id: 'ttl-refresh', checkpoint_id: latest!.checkpoint.id } }),
    ).toBeUndefined();
    expect((await saver.getTuple({ configurable: { thread_id: 'ttl-refresh' } }))?.checkpoint.channel_values).toEqual({
      steady: 'written once',
      counter: 2,
    });
  });
});
