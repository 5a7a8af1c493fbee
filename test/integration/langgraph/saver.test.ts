import { emptyCheckpoint, uuid6, type Checkpoint } from '@langchain/langgraph-checkpoint';
import { SaverKeyspace } from '../../support/langgraph';

const keyspace = new SaverKeyspace('lg_saver');
beforeAll(() => keyspace.open());
afterAll(() => keyspace.close());

const meta = { source: 'loop' as const, step: 0, parents: {} };

function checkpointWith(values: Record<string, unknown>, step: number): Checkpoint {
  const checkpoint: Checkpoint = { ...emptyCheckpoint(), id: uuid6(step) };
  checkpoint.channel_values = values;
  checkpoint.channel_versions = Object.fromEntries(Object.keys(values).map((k) => [k, step + 1]));
  return checkpoint;
}

describe('CassandraSaver on the real node', () => {
  it('saves a checkpoint whose values exceed the batch size limit (one single-partition batch is exempt)', async () => {
    const saver = keyspace.saver();
    // 400 KB across two channels: far past Cassandra's 50 KiB batch_size_fail_threshold.
    const values = { messages: 'm'.repeat(300_000), documents: ['d'.repeat(100_000)] };
    const checkpoint = checkpointWith(values, 0);
    const config = await saver.put(
      { configurable: { thread_id: 'big' } },
      checkpoint,
      meta,
      checkpoint.channel_versions,
    );
    expect((await saver.getTuple(config))?.checkpoint.channel_values).toEqual(values);
  });

  it('lists a thread across namespaces newest first, and deleteThread removes every namespace', async () => {
    const saver = keyspace.saver();
    const ids: string[] = [];
    for (const [i, ns] of ['', 'sub:1', '', 'sub:2'].entries()) {
      const config = await saver.put(
        { configurable: { thread_id: 'multi', checkpoint_ns: ns } },
        checkpointWith({ n: i }, i),
        { ...meta, step: i },
        {},
      );
      ids.push(String(config.configurable?.checkpoint_id));
    }
    const listed: string[] = [];
    for await (const t of saver.list({ configurable: { thread_id: 'multi' } })) listed.push(t.checkpoint.id);
    expect(listed).toEqual([...ids].reverse());
    const limited: string[] = [];
    for await (const t of saver.list({ configurable: { thread_id: 'multi' } }, { limit: 2, filter: { step: 1 } }))
      limited.push(t.checkpoint.id);
    expect(limited).toEqual([ids[1]]);
    await saver.deleteThread('multi');
    for (const ns of ['', 'sub:1', 'sub:2'])
      expect(await saver.getTuple({ configurable: { thread_id: 'multi', checkpoint_ns: ns } })).toBeUndefined();
    const left: unknown[] = [];
    for await (const t of saver.list({ configurable: { thread_id: 'multi' } })) left.push(t);
    expect(left).toEqual([]);
  });

  it('returns pending writes in LangGraph replay order: task path, then task id, then index', async () => {
    const saver = keyspace.saver();
    const config = await saver.put({ configurable: { thread_id: 'order' } }, checkpointWith({}, 0), meta, {});
    await saver.putWrites(
      config,
      [
        ['c', 'b-0'],
        ['c', 'b-1'],
      ],
      'task-b',
      '~1',
    );
    await saver.putWrites(config, [['c', 'a-0']], 'task-a', '~2');
    await saver.putWrites(config, [['c', 'z-0']], 'task-z');
    expect((await saver.getTuple(config))?.pendingWrites).toEqual([
      ['task-z', 'c', 'z-0'],
      ['task-b', 'c', 'b-0'],
      ['task-b', 'c', 'b-1'],
      ['task-a', 'c', 'a-0'],
    ]);
  });

  it('copyThread copies every namespace, its writes and values; the copy is independent of the source', async () => {
    const saver = keyspace.saver();
    for (const [i, ns] of ['', 'child'].entries()) {
      const checkpoint = checkpointWith({ value: `${ns}-${i}` }, i);
      const config = await saver.put(
        { configurable: { thread_id: 'src', checkpoint_ns: ns } },
        checkpoint,
        meta,
        checkpoint.channel_versions,
      );
      await saver.putWrites(config, [['value', 'pending']], 'task');
    }
    expect(await saver.copyThread('src', 'dst')).toBe(2);
    await saver.deleteThread('src');
    for (const [i, ns] of ['', 'child'].entries()) {
      const tuple = await saver.getTuple({ configurable: { thread_id: 'dst', checkpoint_ns: ns } });
      expect(tuple?.checkpoint.channel_values).toEqual({ value: `${ns}-${i}` });
      expect(tuple?.pendingWrites).toEqual([['task', 'value', 'pending']]);
      expect(tuple?.config.configurable?.thread_id).toBe('dst');
    }
  });
});
