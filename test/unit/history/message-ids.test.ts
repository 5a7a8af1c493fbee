import { types } from 'cassandra-driver';
import { bucketOfTime } from '../../../src/history/bucket-span';
import { timeOfTimeUuid } from '../../../src/entities';
import { formatTimeUuid, newMessageId, nextMessageId } from '../../../src/history/message-ids';
import { toStoredShape } from '../../../src/history/new-message';

function order(id: string): bigint {
  const p = types.TimeUuid.fromString(id).getDatePrecision();
  return BigInt(p.date.getTime()) * 10_000n + BigInt(p.ticks);
}

describe('message ids', () => {
  it('are version 1 timeuuids, unique and strictly increasing within the process', () => {
    const ids = Array.from({ length: 50_000 }, () => nextMessageId());
    expect(new Set(ids.map((g) => g.id)).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(order(ids[i].id) > order(ids[i - 1].id)).toBe(true);
    for (const g of ids.slice(0, 100)) {
      expect(g.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(timeOfTimeUuid(g.id).getTime()).toBe(g.timeMs);
    }
  });

  it('never go backwards when the clock does', () => {
    const first = nextMessageId();
    const realNow = Date.now;
    try {
      Date.now = () => first.timeMs - 60_000;
      const second = nextMessageId();
      const third = nextMessageId();
      expect(order(second.id) > order(first.id)).toBe(true);
      expect(order(third.id) > order(second.id)).toBe(true);
    } finally {
      Date.now = realNow;
    }
  });

  it('put a message in the bucket of its id, the caller id included', () => {
    const span = 3_600_000;
    const generated = toStoredShape('s', { role: 'user', content: 'x' }, span);
    expect(generated.bucket).toBe(bucketOfTime(timeOfTimeUuid(generated.id).getTime(), span));
    const callerId = types.TimeUuid.fromDate(new Date(Date.UTC(2025, 0, 1, 5, 30))).toString();
    const given = toStoredShape('s', { id: callerId, role: 'user', content: 'x' }, span);
    expect(given).toMatchObject({ id: callerId, bucket: Date.UTC(2025, 0, 1, 5), sessionId: 's' });
    expect(toStoredShape('s', { id: 'nope', role: 'user', content: 'x' }, span).bucket).toBe(0);
  });

  it('newMessageId gives the public string form, later than every id before it', () => {
    const before = nextMessageId();
    const id = newMessageId();
    expect(typeof id).toBe('string');
    expect(order(id) > order(before.id)).toBe(true);
  });
});

describe('formatTimeUuid', () => {
  it('formats exactly what the driver builds for the same time, ticks, clock and node ids', () => {
    // The process's clock and node ids, read back from an id it generated.
    const sample = newMessageId();
    const clockId = Buffer.from(sample.slice(19, 23), 'hex');
    const nodeId = Buffer.from(sample.slice(24), 'hex');
    const driverTimeUuid = (ms: number, ticks: number): string =>
      types.TimeUuid.fromDate(new Date(ms), ticks, nodeId, clockId).toString();
    const times = [0, 1, Date.UTC(1970, 0, 1), Date.UTC(2026, 11, 1, 4, 59, 59, 999), Date.UTC(2100, 5, 6), Date.now()];
    for (let i = 0; i < 2_000; i++) times.push(Math.floor(Math.random() * Date.UTC(2200, 0, 1)));
    for (const ms of times) {
      for (const ticks of [0, 1, 4_999, 9_999, Math.floor(Math.random() * 10_000)]) {
        expect(formatTimeUuid(ms, ticks)).toBe(driverTimeUuid(ms, ticks));
      }
    }
  });
});
