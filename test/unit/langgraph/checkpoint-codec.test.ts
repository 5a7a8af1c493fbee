import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { emptyCheckpoint, MemorySaver, TASKS, uuid6 } from '@langchain/langgraph-checkpoint';
import { CheckpointCodec } from '../../../src/langgraph/checkpoint-codec';

// The base class's serializer (JsonPlusSerializer), as every saver gets it.
const codec = new CheckpointCodec(new MemorySaver().serde);
const p = { threadId: 't', checkpointNs: '' };

describe('CheckpointCodec', () => {
  it('round-trips a checkpoint: the row holds it without channel values, the blob rows hold the changed ones', async () => {
    const checkpoint = { ...emptyCheckpoint(), id: uuid6(0) };
    checkpoint.channel_values = { messages: [new HumanMessage('hi'), new AIMessage('hello')], count: 2 };
    checkpoint.channel_versions = { messages: 3.25, count: 1 };
    const metadata = { source: 'loop' as const, step: 4, parents: {}, user: 'ü' };
    const row = await codec.checkpointRow(p, checkpoint, metadata, 'parent-id');
    expect(row).toMatchObject({
      threadId: 't',
      checkpointNs: '',
      checkpointId: checkpoint.id,
      parentCheckpointId: 'parent-id',
    });
    expect(row.checkpoint.toString('utf8')).not.toContain('hello');
    expect(Object.keys(row.channelVersions)).toEqual(['messages', 'count']);
    // Only `messages` changed: one blob row.
    const blobs = await codec.blobRows(p, checkpoint.channel_values, { messages: 3.25 });
    expect(blobs.map((b) => b.channel)).toEqual(['messages']);
    const back = await codec.checkpoint(row, blobs);
    expect(back.channel_versions).toEqual(checkpoint.channel_versions);
    expect(back.channel_values.count).toBeUndefined();
    expect(back.channel_values.messages).toEqual(checkpoint.channel_values.messages);
    expect(await codec.metadata(row)).toEqual(metadata);
  });

  it('stores a channel with a version but no value as "empty", and leaves it out on read', async () => {
    const blobs = await codec.blobRows(p, {}, { gone: 2 });
    expect(blobs[0]).toMatchObject({ channel: 'gone', valueType: 'empty', value: undefined });
    const row = await codec.checkpointRow(
      p,
      { ...emptyCheckpoint(), id: uuid6(1) },
      { source: 'input', step: -1, parents: {} },
    );
    expect((await codec.checkpoint(row, blobs)).channel_values).toEqual({});
  });

  it("gives special channels LangGraph's negative write indexes and sorts writes in replay order", async () => {
    const rows = [
      ...(await codec.writeRows(
        p,
        'c1',
        [
          ['__error__', 'boom'],
          ['x', 1],
        ],
        'task-b',
        '~0',
      )),
      ...(await codec.writeRows(p, 'c1', [[TASKS, 'send']], 'task-a')),
    ];
    expect(rows.map((r) => r.idx)).toEqual([-1, 1, 0]);
    expect(await codec.pendingWrites(rows)).toEqual([
      ['task-a', TASKS, 'send'],
      ['task-b', '__error__', 'boom'],
      ['task-b', 'x', 1],
    ]);
  });
});
