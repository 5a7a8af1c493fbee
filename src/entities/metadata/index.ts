// The decorator and metadata machinery: @Table/@PartitionKey/@ClusteringKey/@Column, the registry
// they fill, and the compiled per-class metadata and driver Mapper options (with the per-column
// conversions). Knows nothing of chat messages.
export { CQL_TYPES, type CqlType, isCqlType, storedCqlType } from './cql-types';
export {
  Column,
  type ColumnOptions,
  ClusteringKey,
  type ClusteringKeyOptions,
  type EntityPropertyDecorator,
  PartitionKey,
  type PartitionKeyOptions,
  Table,
} from './decorators';
export {
  type ClusteringOrder,
  entityRegistry,
  EntityMetadataRegistry,
  type PropertyArgs,
  type TableArgs,
} from './registry';
export type { EntityClass } from './entity-class';
export type { ColumnKind, ColumnMetadata, EntityMetadata } from './entity-metadata';
export { buildMappingOptions, buildModelOptions, compileEntity, EntityTableMappings, modelNameOf } from './compile';
export { snakeCase } from './naming';
