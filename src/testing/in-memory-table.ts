import type { ColumnMetadata, EntityMetadata } from '../entities';
import { compareCql, encodeCql, keyOf } from './cql-values';
import {
  type Cell,
  isLive,
  newer,
  NO_DELETION,
  nowSec,
  type Partition,
  put,
  type Row,
  type SetCells,
} from './in-memory-cells';

/**
 * One Cassandra table in memory, at the level Cassandra itself reasons about: cells with write
 * timestamps and expiry times, row markers, row / range / partition tombstones, static cells and
 * set elements as cells of their own. Reconciliation follows Cassandra's rules: the higher timestamp
 * wins, a delete wins a tie, a cell is shadowed by any tombstone with a timestamp >= its own, and a
 * cell with a TTL is gone once `Date.now()` (jest's fake clock, when faked) reaches its expiry
 * second.
 */

/** A condition on one clustering column (by its position in the clustering key). */
export interface ClusteringBound {
  readonly position: number;
  readonly op: '=' | '<' | '<=' | '>' | '>=';
  readonly value: unknown;
}

/** What one write sets in one row (or in the static part of a partition when `clustering` is absent). */
export interface Upsert {
  readonly partition: readonly unknown[];
  readonly clustering?: readonly unknown[];
  /** INSERT writes a row marker; UPDATE does not. */
  readonly marker: boolean;
  /** Column name → driver value; null writes a tombstone. Set columns take arrays (full overwrite). */
  readonly values: ReadonlyMap<string, unknown>;
  /** Set column name → elements added (`q.append`). */
  readonly appends: ReadonlyMap<string, readonly unknown[]>;
  readonly ts: number;
  readonly ttlSeconds?: number;
}

/** A live row as a read returns it: every column by name (null when it has no live value). */
export type LiveRow = ReadonlyMap<string, unknown>;

export class InMemoryTable {
  private readonly partitions = new Map<string, Partition>();
  private readonly clusteringKeys: readonly ColumnMetadata[];

  constructor(readonly metadata: EntityMetadata) {
    this.clusteringKeys = metadata.clusteringKeys;
  }

  get name(): string {
    return this.metadata.table;
  }

  get hasClustering(): boolean {
    return this.clusteringKeys.length > 0;
  }

  private partition(key: readonly unknown[]): Partition {
    const k = keyOf(key);
    let p = this.partitions.get(k);
    if (!p) {
      p = { deletedAt: NO_DELETION, statics: new Map(), rows: new Map(), ranges: [] };
      this.partitions.set(k, p);
    }
    return p;
  }

  private row(p: Partition, clustering: readonly unknown[]): Row {
    const k = keyOf(clustering);
    let r = p.rows.get(k);
    if (!r) {
      r = { clustering, deletedAt: NO_DELETION, cells: new Map(), sets: new Map() };
      p.rows.set(k, r);
    }
    return r;
  }

  upsert(write: Upsert): void {
    const p = this.partition(write.partition);
    const expiresAtSec = write.ttlSeconds ? nowSec() + write.ttlSeconds : undefined;
    const cell = (value: unknown): Cell => ({
      value,
      ts: write.ts,
      expiresAtSec: value === null ? undefined : expiresAtSec,
    });
    const target = write.clustering && this.hasClustering ? this.row(p, write.clustering) : undefined;
    const unkeyed = !this.hasClustering ? this.row(p, []) : undefined;
    const row = target ?? unkeyed;
    if (write.marker && row) row.marker = newer(cell(true), row.marker) ? cell(true) : row.marker;
    for (const [name, value] of write.values) {
      const column = this.metadata.byColumn.get(name);
      if (column?.kind === 'static') {
        put(p.statics, name, cell(value));
      } else if (row && column?.cqlType.startsWith('set<')) {
        // A full overwrite: the old elements die just before the new ones (Cassandra uses ts - 1).
        const set = this.setOf(row, name);
        set.deletedAt = Math.max(set.deletedAt, write.ts - 1);
        for (const element of (value as unknown[] | null) ?? [])
          put(set.elements, encodeCql(element), { ...cell(element), element });
      } else if (row) {
        put(row.cells, name, cell(value));
      }
    }
    for (const [name, elements] of write.appends) {
      if (!row) continue;
      const set = this.setOf(row, name);
      for (const element of elements) put(set.elements, encodeCql(element), { ...cell(element), element });
    }
  }

  private setOf(row: Row, name: string): SetCells {
    let set = row.sets.get(name);
    if (!set) {
      set = { deletedAt: NO_DELETION, elements: new Map() };
      row.sets.set(name, set);
    }
    return set;
  }

  deletePartition(partition: readonly unknown[], ts: number): void {
    const p = this.partition(partition);
    p.deletedAt = Math.max(p.deletedAt, ts);
  }

  deleteRow(partition: readonly unknown[], clustering: readonly unknown[], ts: number): void {
    if (!this.hasClustering) return this.deletePartition(partition, ts);
    const r = this.row(this.partition(partition), clustering);
    r.deletedAt = Math.max(r.deletedAt, ts);
  }

  /** A range tombstone over one clustering column (`message_id < ?`). */
  deleteRange(partition: readonly unknown[], bound: ClusteringBound, ts: number): void {
    if (bound.op === '=') throw new Error('a range delete needs a range bound');
    this.partition(partition).ranges.push({ position: bound.position, op: bound.op, value: bound.value, ts });
  }

  /** Tombstones for single columns (`DELETE bucket_span_ms FROM ...`). */
  deleteColumns(
    partition: readonly unknown[],
    clustering: readonly unknown[] | undefined,
    columns: readonly string[],
    ts: number,
  ): void {
    this.upsert({
      partition,
      clustering,
      marker: false,
      values: new Map(columns.map((c) => [c, null])),
      appends: new Map(),
      ts,
    });
  }

  /**
   * Live rows of one partition in clustering order (reversed on request), restricted by `bounds` on
   * the first clustering column. A partition with live static cells and no live rows reads as one
   * row of statics with null clustering columns when the query does not restrict the clustering.
   */
  select(partition: readonly unknown[], bounds: readonly ClusteringBound[], reversed: boolean): LiveRow[] {
    const p = this.partitions.get(keyOf(partition));
    if (!p) return [];
    const now = nowSec();
    const statics = new Map<string, unknown>();
    let liveStatics = false;
    for (const column of this.metadata.columns) {
      if (column.kind !== 'static') continue;
      const c = p.statics.get(column.columnName);
      const live = isLive(c, p.deletedAt, now);
      statics.set(column.columnName, live ? c.value : null);
      liveStatics ||= live;
    }
    const rows: LiveRow[] = [];
    for (const row of this.sortedRows(p, reversed)) {
      if (!bounds.every((b) => satisfies(row.clustering[b.position], b))) continue;
      const values = this.liveValues(p, row, now);
      if (values) rows.push(new Map([...this.keyValues(partition, row.clustering), ...statics, ...values]));
    }
    if (rows.length === 0 && liveStatics && bounds.length === 0 && this.hasClustering) {
      const nulls = this.metadata.columns
        .filter((c) => c.kind === 'regular' || c.kind === 'clusteringKey')
        .map((c) => [c.columnName, null] as const);
      rows.push(new Map([...this.keyValues(partition, []), ...nulls, ...statics]));
    }
    return rows;
  }

  /** The remaining TTL (s) of a live cell of the row, or null when it has none; undefined when not live. */
  ttlOf(partition: readonly unknown[], clustering: readonly unknown[], column: string): number | null | undefined {
    const p = this.partitions.get(keyOf(partition));
    const row = p?.rows.get(keyOf(this.hasClustering ? clustering : []));
    if (!p || !row) return undefined;
    const cell = row.cells.get(column);
    if (!isLive(cell, this.floor(p, row), nowSec())) return undefined;
    return cell.expiresAtSec === undefined ? null : cell.expiresAtSec - nowSec();
  }

  private keyValues(partition: readonly unknown[], clustering: readonly unknown[]): Array<readonly [string, unknown]> {
    return [
      ...this.metadata.partitionKeys.map((c, i) => [c.columnName, partition[i]] as const),
      ...this.clusteringKeys.map((c, i) => [c.columnName, clustering[i] ?? null] as const),
    ];
  }

  private floor(p: Partition, row: Row): number {
    let floor = Math.max(p.deletedAt, row.deletedAt);
    for (const range of p.ranges)
      if (satisfies(row.clustering[range.position], range)) floor = Math.max(floor, range.ts);
    return floor;
  }

  /** The row's live regular columns, or undefined when nothing of the row is live. */
  private liveValues(p: Partition, row: Row, now: number): Map<string, unknown> | undefined {
    const floor = this.floor(p, row);
    let live = isLive(row.marker, floor, now);
    const values = new Map<string, unknown>();
    for (const column of this.metadata.columns) {
      if (column.kind !== 'regular') continue;
      if (column.cqlType.startsWith('set<')) {
        const set = row.sets.get(column.columnName);
        const setFloor = Math.max(floor, set?.deletedAt ?? NO_DELETION);
        const elements = [...(set?.elements.values() ?? [])]
          .filter((e) => isLive(e, setFloor, now))
          .map((e) => e.element);
        elements.sort(compareCql);
        values.set(column.columnName, elements.length > 0 ? elements : null);
        live ||= elements.length > 0;
      } else {
        const cell = row.cells.get(column.columnName);
        const cellLive = isLive(cell, floor, now);
        values.set(column.columnName, cellLive ? cell.value : null);
        live ||= cellLive;
      }
    }
    return live ? values : undefined;
  }

  private sortedRows(p: Partition, reversed: boolean): Row[] {
    const rows = [...p.rows.values()];
    rows.sort((a, b) => {
      for (let i = 0; i < this.clusteringKeys.length; i++) {
        const d = compareCql(a.clustering[i], b.clustering[i]);
        if (d !== 0) return this.clusteringKeys[i].order === 'DESC' ? -d : d;
      }
      return 0;
    });
    return reversed ? rows.reverse() : rows;
  }

  /** Whether `row` comes strictly after `position` in the iteration order of a read. */
  isAfter(clustering: readonly unknown[], position: readonly unknown[], reversed: boolean): boolean {
    for (let i = 0; i < this.clusteringKeys.length; i++) {
      let d = compareCql(clustering[i], position[i]);
      if (this.clusteringKeys[i].order === 'DESC') d = -d;
      if (reversed) d = -d;
      if (d !== 0) return d > 0;
    }
    return false;
  }
}

function satisfies(value: unknown, bound: { readonly op: string; readonly value: unknown }): boolean {
  const d = compareCql(value, bound.value);
  switch (bound.op) {
    case '=':
      return d === 0;
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    default:
      return d >= 0;
  }
}
