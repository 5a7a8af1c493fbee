import { types } from 'cassandra-driver';
import type { ColumnMetadata } from '../entities';
import { type Doc, invalid, MemoryResult, MemoryRow } from './in-memory-results';
import type { ClusteringBound, InMemoryTable } from './in-memory-table';

/** What the interpreter of raw statements needs of the in-memory keyspace. */
export interface CqlTarget {
  table(name: string): InMemoryTable;
  nextTimestamp(): number;
}

/** The package's few raw CQL statements (DELETE, UPDATE ... IF, SELECT with TTL or count), run on the in-memory tables. */
export function interpretCql(
  db: CqlTarget,
  cql: string,
  params: readonly unknown[],
  options: Doc | undefined,
): MemoryResult<never> | { rows: MemoryRow[]; rowLength: number; first(): MemoryRow | null } {
  const ts = typeof options?.timestamp === 'number' ? options.timestamp : db.nextTimestamp();
  let m = /^DELETE (?:([\w, ]+) )?FROM \w+\.(\w+) WHERE (.+)$/.exec(cql);
  if (m) {
    const table = db.table(m[2]);
    const { partition, clustering, bounds } = whereClause(table, m[3], params);
    if (m[1])
      table.deleteColumns(
        partition,
        clustering,
        m[1].split(',').map((c) => c.trim()),
        ts,
      );
    else if (clustering) table.deleteRow(partition, clustering, ts);
    else if (bounds.length > 0) for (const b of bounds) table.deleteRange(partition, b, ts);
    else table.deletePartition(partition, ts);
    return new MemoryResult<never>([]);
  }
  m = /^UPDATE \w+\.(\w+) SET (\w+) = \? WHERE (.+?)(?: IF (\w+) = null)?$/.exec(cql);
  if (m) {
    const table = db.table(m[1]);
    const column = columnOf(table, m[2]);
    const { partition, clustering } = whereClause(table, m[3], params.slice(1));
    if (m[4]) {
      const current = table.select(partition, [], false)[0]?.get(columnOf(table, m[4]).columnName) ?? null;
      if (current !== null) return new MemoryResult<never>([], false);
    }
    const write = {
      partition,
      clustering,
      marker: false,
      values: new Map([[column.columnName, column.fromModel(params[0])]]),
      appends: new Map(),
    };
    table.upsert({ ...write, ts: m[4] ? db.nextTimestamp() : ts });
    return new MemoryResult<never>([], true);
  }
  m = /^SELECT (.+) FROM \w+\.(\w+) WHERE (.+)$/.exec(cql);
  if (m) {
    const table = db.table(m[2]);
    const { partition, clustering, bounds } = whereClause(table, m[3], params);
    const allBounds = [
      ...bounds,
      ...(clustering ?? []).map((value, position) => ({ position, op: '=' as const, value })),
    ];
    const rows = table.select(partition, allBounds, false);
    let answer: MemoryRow[];
    if (m[1] === 'count(*)') {
      answer = [new MemoryRow(new Map([['count', types.Long.fromNumber(rows.length)]]))];
    } else {
      const selectors = m[1].split(',').map((s) => s.trim());
      answer = rows.map((row) => {
        const values = new Map<string, unknown>();
        for (const selector of selectors) {
          const ttl = /^TTL\((\w+)\) AS (\w+)$/.exec(selector);
          if (ttl) values.set(ttl[2], table.ttlOf(partition, clustering ?? [], ttl[1]) ?? null);
          else values.set(selector, row.get(columnOf(table, selector).columnName) ?? null);
        }
        return new MemoryRow(values);
      });
    }
    return { rows: answer, rowLength: answer.length, first: () => answer[0] ?? null };
  }
  throw invalid(`the in-memory mapper does not interpret ${JSON.stringify(cql)}`);
}

function columnOf(table: InMemoryTable, name: string): ColumnMetadata {
  const column = table.metadata.byColumn.get(name);
  if (!column) throw invalid(`undefined column name ${name} in table ${table.name}`);
  return column;
}

/** `a = ? AND b = ? AND c < ?` with its parameters: the partition, a full clustering key, or bounds. */
function whereClause(table: InMemoryTable, where: string, params: readonly unknown[]) {
  const conditions = where.split(' AND ').map((part, i) => {
    const c = /^(\w+) (=|<|<=|>|>=) \?$/.exec(part.trim());
    if (!c) throw invalid(`unsupported condition ${part}`);
    const column = columnOf(table, c[1]);
    return { column, op: c[2] as ClusteringBound['op'], value: column.fromModel(params[i]) };
  });
  const meta = table.metadata;
  const partition = meta.partitionKeys.map((k) => {
    const c = conditions.find((x) => x.column === k && x.op === '=');
    if (!c) throw invalid(`the partition key of ${meta.table} is missing`);
    return c.value;
  });
  const restrictions = conditions.filter((c) => c.column.kind === 'clusteringKey');
  const full =
    meta.clusteringKeys.length > 0 &&
    meta.clusteringKeys.every((k) => restrictions.some((c) => c.column === k && c.op === '='));
  return {
    partition,
    clustering: full ? meta.clusteringKeys.map((k) => restrictions.find((c) => c.column === k)?.value) : undefined,
    bounds: full ? [] : restrictions.map((c) => ({ position: c.column.position ?? 0, op: c.op, value: c.value })),
  };
}
