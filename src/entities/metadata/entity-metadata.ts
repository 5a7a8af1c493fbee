import type { ColumnConverter } from './conversions';
import type { CqlType } from './cql-types';
import type { EntityClass } from './entity-class';
import type { ClusteringOrder } from './registry';

export type ColumnKind = 'partitionKey' | 'clusteringKey' | 'regular' | 'static';

/** One mapped column of a compiled entity. */
export interface ColumnMetadata extends ColumnConverter {
  readonly propertyName: string;
  readonly columnName: string;
  /** The declared type (`json` included); Cassandra stores `json` as `text`. */
  readonly cqlType: CqlType;
  readonly kind: ColumnKind;
  /** Place within the partition key or the clustering key (0-based); undefined for other columns. */
  readonly position?: number;
  /** Clustering order; only for clustering keys. */
  readonly order?: ClusteringOrder;
}

/** Everything the repositories need to know about an entity, compiled once per class. */
export interface EntityMetadata<T extends object = object> {
  readonly target: EntityClass<T>;
  /** The driver model name: the class name (`forModel('ChatMessage')`). */
  readonly modelName: string;
  readonly table: string;
  readonly partitionKeys: readonly ColumnMetadata[];
  readonly clusteringKeys: readonly ColumnMetadata[];
  /** Partition keys, then clustering keys: what `remove` and `get` need. */
  readonly primaryKey: readonly ColumnMetadata[];
  /** Every column: primary key first, then the others in declaration order. */
  readonly columns: readonly ColumnMetadata[];
  readonly byProperty: ReadonlyMap<string, ColumnMetadata>;
  readonly byColumn: ReadonlyMap<string, ColumnMetadata>;
}
