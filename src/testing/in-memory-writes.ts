import type { EntityMetadata } from '../entities';
import { encodeCql } from './cql-values';
import { docColumns, keyOf, partitionOf } from './in-memory-documents';
import { type Doc, invalid } from './in-memory-results';
import type { ClusteringBound, InMemoryTable } from './in-memory-table';

/**
 * A Mapper insert/update of `doc` on `table`, checked now and applied later at a timestamp (a batch
 * applies all its items at one). An insert writes the row marker; an update does not.
 */
export function upserter(
  table: InMemoryTable,
  meta: EntityMetadata,
  doc: Doc,
  docInfo: Doc | undefined,
  marker: boolean,
): (ts: number) => void {
  const columns = docColumns(meta, doc, docInfo?.fields as string[] | undefined);
  const partition = partitionOf(meta, columns);
  const clustering = keyOf(meta, columns, 'clusteringKey');
  const others = columns.filter((c) => c.column.kind === 'regular' || c.column.kind === 'static');
  if (meta.clusteringKeys.length > 0 && !clustering && others.some((c) => c.column.kind === 'regular')) {
    throw invalid(`the clustering key of ${meta.table} is missing`);
  }
  return (ts) =>
    table.upsert({
      partition,
      clustering,
      marker,
      values: new Map(others.filter((c) => !c.append).map((c) => [c.column.columnName, c.value])),
      appends: new Map(others.filter((c) => c.append).map((c) => [c.column.columnName, c.append ?? []])),
      ts,
      ttlSeconds: typeof docInfo?.ttl === 'number' ? docInfo.ttl : undefined,
    });
}

/** A Mapper remove of one row, checked now and applied later at a timestamp. */
export function remover(
  table: InMemoryTable,
  meta: EntityMetadata,
  doc: Doc,
  docInfo: Doc | undefined,
): (ts: number) => void {
  const columns = docColumns(meta, doc, docInfo?.fields as string[] | undefined);
  const partition = partitionOf(meta, columns);
  const clustering = keyOf(meta, columns, 'clusteringKey');
  if (meta.clusteringKeys.length > 0 && !clustering) throw invalid(`the primary key of ${meta.table} is incomplete`);
  return (ts) => table.deleteRow(partition, clustering ?? [], ts);
}

export function isConditional(docInfo: Doc | undefined): boolean {
  return Boolean(docInfo?.ifNotExists || docInfo?.ifExists || docInfo?.when);
}

/** Evaluates an LWT's condition: `ifNotExists`, `ifExists` or `when`. */
export function conditionHolds(
  table: InMemoryTable,
  meta: EntityMetadata,
  doc: Doc,
  docInfo: Doc | undefined,
): boolean {
  const columns = docColumns(meta, doc);
  const clustering = keyOf(meta, columns, 'clusteringKey');
  const bounds: ClusteringBound[] = (clustering ?? []).map((value, position) => ({ position, op: '=', value }));
  const existing = table.select(partitionOf(meta, columns), bounds, false)[0];
  if (docInfo?.ifNotExists) return !existing;
  if (docInfo?.ifExists) return existing !== undefined;
  const when = docInfo?.when as Doc | undefined;
  if (!when) return true;
  return docColumns(meta, when).every(
    (c) => encodeCql(existing?.get(c.column.columnName) ?? null) === encodeCql(c.value ?? null),
  );
}
