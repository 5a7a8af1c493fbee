import 'reflect-metadata';
import { types } from 'cassandra-driver';
import { compileEntity, MessageBucket } from '../../../src/entities';
import { InMemoryTable } from '../../../src/testing/in-memory-table';

/** Cassandra's reconciliation rules, on the in-memory table directly. */
describe('InMemoryTable', () => {
  const key = ['s1'];
  const bucket = [types.Long.fromNumber(60_000)];
  const insert = (table: InMemoryTable, ts: number, ttlSeconds?: number) =>
    table.upsert({
      partition: key,
      clustering: bucket,
      marker: true,
      values: new Map(),
      appends: new Map(),
      ts,
      ttlSeconds,
    });

  it('a delete wins a timestamp tie; a later write comes back', () => {
    const table = new InMemoryTable(compileEntity(MessageBucket));
    insert(table, 100);
    table.deleteRow(key, bucket, 100);
    expect(table.select(key, [], false)).toEqual([]);
    insert(table, 101);
    expect(table.select(key, [], false)).toHaveLength(1);
  });

  it('an older write never overrides a newer one (explicit timestamps)', () => {
    const table = new InMemoryTable(compileEntity(MessageBucket));
    table.deletePartition(key, 500);
    insert(table, 400);
    expect(table.select(key, [], false)).toEqual([]);
  });

  it('set elements expire on their own; the row marker of a permanent write stays', () => {
    jest.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    try {
      const table = new InMemoryTable(compileEntity(MessageBucket));
      insert(table, 1);
      table.upsert({
        partition: key,
        clustering: bucket,
        marker: false,
        values: new Map(),
        appends: new Map([['expiry_slots', [types.Long.fromNumber(7)]]]),
        ts: 2,
        ttlSeconds: 10,
      });
      expect(table.select(key, [], false)[0].get('expiry_slots')).toEqual([types.Long.fromNumber(7)]);
      jest.setSystemTime(Date.now() + 10_000);
      const [row] = table.select(key, [], false);
      expect(row.get('expiry_slots')).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });
});
