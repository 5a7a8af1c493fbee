import type { EntityMetadata } from '../entities';
import { docColumns, partitionOf, toEntity } from './in-memory-documents';
import { decodePageState, type Doc, encodePageState, invalid, MemoryResult } from './in-memory-results';
import type { ClusteringBound, InMemoryTable } from './in-memory-table';

const DEFAULT_FETCH_SIZE = 5000;

/**
 * One page of a Mapper `find`/`get` on `table`, as Cassandra would return it: the partition's rows
 * within the clustering bounds, in the asked order, from the page state on, at most `fetchSize`
 * (or `shortPageRows`, a server capping a page) and never past LIMIT.
 */
export function selectPage(
  table: InMemoryTable,
  meta: EntityMetadata,
  method: 'find' | 'get',
  doc: Doc,
  docInfo: Doc | undefined,
  options: Doc | undefined,
  shortPageRows: number | undefined,
): MemoryResult<unknown> {
  const columns = docColumns(meta, doc);
  const partition = partitionOf(meta, columns);
  const bounds: ClusteringBound[] = [];
  for (const c of columns) {
    if (c.column.kind === 'partitionKey') continue;
    if (c.column.kind !== 'clusteringKey') throw invalid(`filtering on ${c.column.columnName} needs ALLOW FILTERING`);
    bounds.push({ position: c.column.position ?? 0, op: c.op as ClusteringBound['op'], value: c.value });
  }
  const orderBy = Object.entries((docInfo?.orderBy as Record<string, string> | undefined) ?? {});
  const first = orderBy[0];
  const firstColumn = first ? meta.byProperty.get(first[0]) : undefined;
  if (first && firstColumn?.kind !== 'clusteringKey') throw invalid(`ORDER BY is only supported on clustering columns`);
  const reversed = first !== undefined && first[1].toUpperCase() !== (firstColumn?.order ?? 'ASC');
  let rows = table.select(partition, bounds, reversed);
  const limit = typeof docInfo?.limit === 'number' ? docInfo.limit : method === 'get' ? 1 : undefined;
  const position = decodePageState(options?.pageState);
  if (position)
    rows = rows.filter((r) =>
      table.isAfter(
        meta.clusteringKeys.map((k) => r.get(k.columnName)),
        position.after,
        reversed,
      ),
    );
  const seen = position?.seen ?? 0;
  const fetchSize = typeof options?.fetchSize === 'number' ? options.fetchSize : DEFAULT_FETCH_SIZE;
  const cap = Math.min(fetchSize, shortPageRows ?? fetchSize);
  const page = rows.slice(0, Math.max(0, Math.min(cap, (limit ?? Number.POSITIVE_INFINITY) - seen)));
  // Cassandra returns a page state whenever a page is full, even when nothing follows; not past LIMIT.
  // A short page (shortPages) has one when rows follow, as a server capping a page by size does.
  const last = page.at(-1);
  const full = page.length === fetchSize || (page.length === cap && rows.length > cap);
  const more = last !== undefined && full && seen + page.length < (limit ?? Number.POSITIVE_INFINITY);
  const pageState = more
    ? encodePageState(
        meta.clusteringKeys.map((k) => last.get(k.columnName)),
        seen + page.length,
      )
    : undefined;
  const fields = docInfo?.fields as string[] | undefined;
  return new MemoryResult(
    page.map((row) => toEntity(meta, row, fields)),
    true,
    pageState,
  );
}
