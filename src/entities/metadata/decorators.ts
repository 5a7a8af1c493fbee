import { EntityDefinitionError, InvalidIdentifierError } from '../../errors';
import { CQL_IDENTIFIER } from '../../identifiers';
import { CQL_TYPES, type CqlType, isCqlType } from './cql-types';
import type { AnyClass, EntityClass } from './entity-class';
import { snakeCase } from './naming';
import { type ClusteringOrder, entityRegistry, type PropertyArgs, type PropertyDecoratorName } from './registry';

export interface PartitionKeyOptions {
  /** Column name; defaults to the snake_case property name. */
  readonly name?: string;
  /** 0-based place in a composite partition key; defaults to declaration order. */
  readonly position?: number;
}

export interface ClusteringKeyOptions {
  readonly name?: string;
  readonly position?: number;
  /** The table's `CLUSTERING ORDER BY` for this column; defaults to ASC. */
  readonly order?: ClusteringOrder;
}

export interface ColumnOptions {
  readonly name?: string;
  /** A `STATIC` column (one value per partition). The table needs a clustering key. */
  readonly static?: boolean;
  /** Value a read gives the property when the cell is null (a factory, so each read gets its own). */
  readonly whenNull?: () => unknown;
}

/** A property decorator of this package (legacy `experimentalDecorators` signature). */
export type EntityPropertyDecorator = (target: object, propertyKey: string | symbol) => void;

/** Maps the decorated class to a CQL table. The class must be constructible without arguments. */
export function Table(name: string): (target: EntityClass) => void {
  return (target) => {
    if (typeof name !== 'string' || !CQL_IDENTIFIER.test(name)) {
      throw new EntityDefinitionError(
        `@Table on ${target.name}: ${new InvalidIdentifierError('table', String(name)).message}`,
      );
    }
    entityRegistry.recordTable({ target, name });
  };
}

/** Marks a property as (part of) the partition key. */
export function PartitionKey(cqlType: CqlType, options: PartitionKeyOptions = {}): EntityPropertyDecorator {
  return (target, propertyKey) => {
    const where = locate('@PartitionKey', target, propertyKey);
    checkOptions(where, options, ['name', 'position']);
    record(where, cqlType, { columnName: options.name, position: options.position, isStatic: false });
  };
}

/** Marks a property as a clustering column, with its clustering order. */
export function ClusteringKey(cqlType: CqlType, options: ClusteringKeyOptions = {}): EntityPropertyDecorator {
  return (target, propertyKey) => {
    const where = locate('@ClusteringKey', target, propertyKey);
    checkOptions(where, options, ['name', 'position', 'order']);
    if (options.order !== undefined && options.order !== 'ASC' && options.order !== 'DESC') {
      throw new EntityDefinitionError(
        `${where.label}: order must be 'ASC' or 'DESC', got ${JSON.stringify(options.order)}`,
      );
    }
    record(where, cqlType, {
      columnName: options.name,
      position: options.position,
      order: options.order ?? 'ASC',
      isStatic: false,
    });
  };
}

/** Maps a property to a regular (or static) column. */
export function Column(cqlType: CqlType, options: ColumnOptions = {}): EntityPropertyDecorator {
  return (target, propertyKey) => {
    const where = locate('@Column', target, propertyKey);
    checkOptions(where, options, ['name', 'static', 'whenNull']);
    if (options.static !== undefined && typeof options.static !== 'boolean') {
      throw new EntityDefinitionError(`${where.label}: static must be true or false`);
    }
    if (options.whenNull !== undefined && typeof options.whenNull !== 'function') {
      throw new EntityDefinitionError(
        `${where.label}: whenNull must be a function returning the value, e.g. () => ({})`,
      );
    }
    record(where, cqlType, { columnName: options.name, isStatic: options.static === true, whenNull: options.whenNull });
  };
}

interface DecoratedProperty {
  readonly decorator: PropertyDecoratorName;
  readonly target: AnyClass;
  readonly propertyName: string;
  /** e.g. `@Column on ChatMessage.content`, the start of every error message. */
  readonly label: string;
}

function locate(decorator: PropertyDecoratorName, prototype: object, propertyKey: string | symbol): DecoratedProperty {
  if (typeof prototype === 'function') {
    throw new EntityDefinitionError(
      `${decorator} on static member ${prototype.name}.${String(propertyKey)}: decorate an instance property instead`,
    );
  }
  const target = (prototype as { constructor: AnyClass }).constructor;
  if (typeof propertyKey !== 'string') {
    throw new EntityDefinitionError(
      `${decorator} on ${target.name}[${String(propertyKey)}]: symbol-keyed properties cannot map to columns; use a string name`,
    );
  }
  return { decorator, target, propertyName: propertyKey, label: `${decorator} on ${target.name}.${propertyKey}` };
}

function checkOptions(where: DecoratedProperty, options: object, allowed: readonly string[]): void {
  if (typeof options !== 'object' || options === null) {
    throw new EntityDefinitionError(`${where.label}: options must be an object, e.g. { name: 'column_name' }`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new EntityDefinitionError(
        `${where.label}: unknown option "${key}"; ${where.decorator} accepts ${allowed.join(', ')}`,
      );
    }
  }
}

function record(
  where: DecoratedProperty,
  cqlType: CqlType,
  facts: Pick<PropertyArgs, 'columnName' | 'position' | 'order' | 'isStatic' | 'whenNull'>,
): void {
  if (!isCqlType(cqlType)) {
    throw new EntityDefinitionError(
      `${where.label}: unknown CQL type ${JSON.stringify(cqlType)}; use one of ${CQL_TYPES.join(', ')}`,
    );
  }
  if (cqlType === 'json' && where.decorator !== '@Column') {
    throw new EntityDefinitionError(
      `${where.label}: a 'json' column cannot be part of the primary key; key on a 'text' column instead`,
    );
  }
  if (
    facts.columnName !== undefined &&
    (typeof facts.columnName !== 'string' || !CQL_IDENTIFIER.test(facts.columnName))
  ) {
    throw new EntityDefinitionError(
      `${where.label}: ${new InvalidIdentifierError('column', String(facts.columnName)).message}`,
    );
  }
  if (facts.columnName === undefined && !CQL_IDENTIFIER.test(snakeCase(where.propertyName))) {
    throw new EntityDefinitionError(
      `${where.label}: the default column name ${JSON.stringify(snakeCase(where.propertyName))} is not a valid CQL ` +
        "identifier; give one explicitly, e.g. { name: 'my_column' }",
    );
  }
  if (facts.position !== undefined && (!Number.isInteger(facts.position) || facts.position < 0)) {
    throw new EntityDefinitionError(
      `${where.label}: position must be an integer ≥ 0 (0 is the first key column), got ${String(facts.position)}`,
    );
  }
  entityRegistry.recordProperty({
    target: where.target,
    propertyName: where.propertyName,
    decorator: where.decorator,
    cqlType,
    ...facts,
  });
}
