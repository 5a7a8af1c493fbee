// Mapper documents (properties, q operators and assignments) as columns and driver values, and rows
// back as entities, through the entities' own converters.
import { mapping } from 'cassandra-driver';
import type { ColumnMetadata, EntityMetadata } from '../entities';
import type { LiveRow } from './in-memory-table';
import { type Doc, invalid } from './in-memory-results';

type Operator = { readonly key: string; readonly value: unknown };
type Assignment = { readonly sign: string; readonly value: unknown; readonly inverted: boolean };

// The driver's q helpers build instances of classes its typings do not export: recognised by constructor.
const OPERATOR = mapping.q.lt(0).constructor;
const ASSIGNMENT = mapping.q.append([]).constructor;
const RANGE_OPS = new Set(['=', '<', '<=', '>', '>=']);

/** Which columns a document sets or restricts, as driver values (converted by the entity's converters). */
export interface DocColumn {
  readonly column: ColumnMetadata;
  readonly op: string;
  readonly value: unknown;
  /** `q.append`: elements added to a set. */
  readonly append?: readonly unknown[];
}

export function docColumns(meta: EntityMetadata, doc: Doc, fields?: readonly string[]): DocColumn[] {
  const out: DocColumn[] = [];
  for (const property of fields && fields.length > 0 ? fields : Object.keys(doc)) {
    const column = meta.byProperty.get(property);
    const value = doc[property];
    // Properties that are no column are ignored, undefined ones left unset: as the Mapper does.
    if (!column || value === undefined) continue;
    if (value instanceof OPERATOR) {
      const op = value as unknown as Operator;
      if (!RANGE_OPS.has(op.key)) throw invalid(`operator ${op.key} is not supported in memory`);
      out.push({ column, op: op.key, value: column.fromModel(op.value) });
    } else if (value instanceof ASSIGNMENT) {
      const a = value as unknown as Assignment;
      if (a.sign !== '+' || a.inverted) throw invalid('only q.append is supported in memory');
      out.push({ column, op: '=', value: undefined, append: column.fromModel(a.value) as unknown[] });
    } else {
      out.push({ column, op: '=', value: column.fromModel(value) });
    }
  }
  return out;
}

export function keyOf(
  meta: EntityMetadata,
  columns: readonly DocColumn[],
  kind: 'partitionKey' | 'clusteringKey',
): Array<unknown> | undefined {
  const keys = kind === 'partitionKey' ? meta.partitionKeys : meta.clusteringKeys;
  const values = keys.map((k) => columns.find((c) => c.column === k && c.op === '='));
  if (values.every((v) => v === undefined)) return undefined;
  if (values.some((v) => v === undefined)) {
    throw invalid(
      `some ${kind === 'partitionKey' ? 'partition' : 'clustering'} key parts of ${meta.table} are missing`,
    );
  }
  return values.map((v) => v?.value);
}

export function partitionOf(meta: EntityMetadata, columns: readonly DocColumn[]): unknown[] {
  const key = keyOf(meta, columns, 'partitionKey');
  if (!key) throw invalid(`the partition key of ${meta.table} is missing`);
  return key;
}

export function toEntity(meta: EntityMetadata, row: LiveRow, fields?: readonly string[]): object {
  const instance = new meta.target() as Doc;
  const selected = fields && fields.length > 0 ? fields.map((f) => meta.byProperty.get(f)) : meta.columns;
  for (const column of selected)
    if (column) instance[column.propertyName] = column.toModel(row.get(column.columnName) ?? null);
  return instance;
}
