import { channelVersionKey, planRetention } from '../../../src/langgraph';

const row = (checkpointId: string, versions: Record<string, number>) => ({
  checkpointId,
  channelVersions: Object.fromEntries(Object.entries(versions).map(([c, v]) => [c, channelVersionKey(v)])),
});

describe('planRetention', () => {
  it('plans nothing while the partition holds no more than keepLast checkpoints', () => {
    expect(planRetention([row('c3', { a: 3 }), row('c2', { a: 2 })], 2)).toBeUndefined();
  });

  it('cuts at the newest checkpoint beyond keepLast and keeps each channel from the lowest version a kept checkpoint reads', () => {
    const newest = [
      row('c9', { messages: 9, system: 1 }),
      row('c8', { messages: 8, system: 1 }),
      row('c7', { messages: 7, system: 1 }),
    ];
    expect(planRetention(newest, 2)).toEqual({
      cutoff: 'c7',
      lowestKept: [
        { channel: 'messages', versionKey: channelVersionKey(8) },
        { channel: 'system', versionKey: channelVersionKey(1) },
      ],
    });
  });

  it('keeps the values a forked (newer but lower-versioned) checkpoint reads', () => {
    const newest = [row('c9', { messages: 3 }), row('c8', { messages: 8 }), row('c7', { messages: 7 })];
    expect(planRetention(newest, 2)?.lowestKept).toEqual([{ channel: 'messages', versionKey: channelVersionKey(3) }]);
  });
});
