import { mapping } from 'cassandra-driver';
import { EntityDefinitionError } from '../../errors';
import { assertIdentifier } from '../../identifiers';
import { converterFor } from './conversions';
import type { AnyClass, EntityClass } from './entity-class';
import type { ColumnKind, ColumnMetadata, EntityMetadata } from './entity-metadata';
import { snakeCase } from './naming';
import { entityRegistry, lineage, type PropertyArgs } from './registry';

const compiled = new WeakMap<AnyClass, EntityMetadata>();

/**
 * Checks the decorator facts of an entity class as a whole and compiles them, once per class.
 * Throws EntityDefinitionError (saying how to fix it) for a class without @Table or partition key,
 * two properties on one column, gaps in key positions, or static columns without clustering keys.
 */
export function compileEntity<C extends EntityClass>(target: C): EntityMetadata<InstanceType<C>> {
  const cached = compiled.get(target);
  if (cached !== undefined) return cached as EntityMetadata<InstanceType<C>>;
  const metadata = build(target as unknown as EntityClass<InstanceType<C>>);
  compiled.set(target, metadata);
  return metadata;
}

function build<T extends object>(target: EntityClass<T>): EntityMetadata<T> {
  if (typeof target !== 'function') {
    throw new EntityDefinitionError(`Expected an entity class, got ${typeof target}`);
  }
  const chain = lineage(target);
  const tableArgs = chain.map((cls) => entityRegistry.ownTable(cls)).find((t) => t !== undefined);
  if (tableArgs === undefined) {
    throw new EntityDefinitionError(
      `${target.name} is not an entity: decorate the class with @Table('table_name')` +
        (entityRegistry.knows(target) ? '' : ' and its properties with @PartitionKey / @ClusteringKey / @Column'),
    );
  }
  const table = tableArgs.name;
  const entity = target.name;

  // Ancestors first so that a subclass redeclaring a property replaces the inherited mapping.
  const byName = new Map<string, PropertyArgs>();
  for (const cls of [...chain].reverse()) {
    for (const args of entityRegistry.ownProperties(cls)) byName.set(args.propertyName, args);
  }
  const all = [...byName.values()];

  const toColumn = (args: PropertyArgs, kind: ColumnKind, position?: number): ColumnMetadata => {
    const columnName = args.columnName ?? snakeCase(args.propertyName);
    const converter = converterFor(args.cqlType, {
      entity,
      table,
      propertyName: args.propertyName,
      columnName,
      whenNull: args.whenNull,
    });
    return {
      propertyName: args.propertyName,
      columnName,
      cqlType: args.cqlType,
      kind,
      ...(position === undefined ? {} : { position }),
      ...(args.order === undefined ? {} : { order: args.order }),
      fromModel: converter.fromModel,
      toModel: converter.toModel,
    };
  };

  const partitionArgs = ordered(
    entity,
    '@PartitionKey',
    all.filter((a) => a.decorator === '@PartitionKey'),
  );
  if (partitionArgs.length === 0) {
    throw new EntityDefinitionError(
      `${entity} (table ${table}) has no partition key: decorate at least one property with @PartitionKey('text')`,
    );
  }
  const clusteringArgs = ordered(
    entity,
    '@ClusteringKey',
    all.filter((a) => a.decorator === '@ClusteringKey'),
  );
  const partitionKeys = partitionArgs.map((a, i) => toColumn(a, 'partitionKey', i));
  const clusteringKeys = clusteringArgs.map((a, i) => toColumn(a, 'clusteringKey', i));
  const others = all
    .filter((a) => a.decorator === '@Column')
    .map((a) => toColumn(a, a.isStatic ? 'static' : 'regular'));

  if (clusteringKeys.length === 0) {
    const staticColumn = others.find((c) => c.kind === 'static');
    if (staticColumn !== undefined) {
      throw new EntityDefinitionError(
        `${entity}.${staticColumn.propertyName} is static but table ${table} has no clustering key: ` +
          'a static column is shared by the rows of a partition, so add a @ClusteringKey or drop { static: true }',
      );
    }
  }

  const primaryKey = [...partitionKeys, ...clusteringKeys];
  const columns = [...primaryKey, ...others];
  const byColumn = new Map<string, ColumnMetadata>();
  for (const column of columns) {
    const clash = byColumn.get(column.columnName);
    if (clash !== undefined) {
      throw new EntityDefinitionError(
        `${entity}.${clash.propertyName} and ${entity}.${column.propertyName} both map to column ` +
          `${column.columnName} of ${table}: give one of them another { name: '...' }`,
      );
    }
    byColumn.set(column.columnName, column);
  }

  return Object.freeze({
    target,
    modelName: entity,
    table,
    partitionKeys: Object.freeze(partitionKeys),
    clusteringKeys: Object.freeze(clusteringKeys),
    primaryKey: Object.freeze(primaryKey),
    columns: Object.freeze(columns),
    byProperty: new Map(columns.map((c) => [c.propertyName, c])),
    byColumn,
  });
}

/** Key columns sorted by `position`; either every key of a kind gives one, or none does. */
function ordered(entity: string, decorator: string, keys: PropertyArgs[]): PropertyArgs[] {
  const withPosition = keys.filter((k) => k.position !== undefined);
  if (withPosition.length === 0) return keys;
  if (withPosition.length !== keys.length) {
    const missing = keys.filter((k) => k.position === undefined).map((k) => k.propertyName);
    throw new EntityDefinitionError(
      `${entity}: some ${decorator} properties have a position and ${missing.join(', ')} not: ` +
        'give every one of them a position, or none (declaration order)',
    );
  }
  const sorted = [...keys].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  sorted.forEach((key, index) => {
    if (key.position !== index) {
      throw new EntityDefinitionError(
        `${entity}: ${decorator} positions must be 0, 1, 2, ... without gaps or repeats; ` +
          `got ${sorted.map((k) => `${k.propertyName}=${String(k.position)}`).join(', ')}`,
      );
    }
  });
  return sorted;
}

/**
 * Makes the Mapper build real entity instances (the row adapter calls `newObjectInstance()` and
 * then assigns the converted cells), and map unknown names one to one as the driver's default does.
 */
export class EntityTableMappings<T extends object> extends mapping.DefaultTableMappings {
  constructor(private readonly metadata: EntityMetadata<T>) {
    super();
  }

  override newObjectInstance(): T {
    return new this.metadata.target();
  }

  override getColumnName(propName: string): string {
    return this.metadata.byProperty.get(propName)?.columnName ?? super.getColumnName(propName);
  }

  override getPropertyName(columnName: string): string {
    return this.metadata.byColumn.get(columnName)?.propertyName ?? super.getPropertyName(columnName);
  }
}

/** The driver model name of an entity class, for `mapper.forModel(modelNameOf(ChatMessage))`. */
export function modelNameOf(target: EntityClass): string {
  return compileEntity(target).modelName;
}

/** The `ModelOptions` of one entity: its table, its column ↔ property map with conversions, real instances. */
export function buildModelOptions<T extends object>(keyspace: string, target: EntityClass<T>): mapping.ModelOptions {
  assertIdentifier('keyspace', keyspace);
  const metadata = compileEntity(target);
  const columns: Record<string, mapping.ModelColumnOptions> = {};
  for (const column of metadata.columns) {
    columns[column.columnName] = { name: column.propertyName, toModel: column.toModel, fromModel: column.fromModel };
  }
  return {
    keyspace,
    tables: [metadata.table],
    columns,
    mappings: new EntityTableMappings(metadata),
  };
}

/**
 * The Mapper options for a set of entities: one model per class, named by the class name, in the
 * given (validated) keyspace. `new mapping.Mapper(client, buildMappingOptions(ks, [ChatMessage]))`.
 */
export function buildMappingOptions(keyspace: string, entities: readonly EntityClass[]): mapping.MappingOptions {
  assertIdentifier('keyspace', keyspace);
  const models: Record<string, mapping.ModelOptions> = {};
  const owners = new Map<string, EntityClass>();
  for (const target of entities) {
    const name = compileEntity(target).modelName;
    const owner = owners.get(name);
    if (owner === target) continue;
    if (owner !== undefined) {
      throw new EntityDefinitionError(
        `Two different entity classes are named ${name}; model names come from class names, so rename one`,
      );
    }
    owners.set(name, target);
    models[name] = buildModelOptions(keyspace, target);
  }
  return { models };
}
