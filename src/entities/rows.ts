import { EntityDefinitionError } from '../errors';
import { compileEntity } from './compile';
import type { EntityClass } from './entity-class';

/**
 * Conversions for statements the Mapper cannot express (`client.execute` with a prepared
 * statement). They apply the same per-column conversions as the Mapper models.
 */

/** The driver value of one property (e.g. a bucket number → Long, an id string → TimeUuid). */
export function toDbValue<T extends object>(target: EntityClass<T>, property: keyof T & string, value: unknown): unknown {
  return columnOf(target, property).fromModel(value);
}

/** Driver values of `properties`, in that order: the parameters of a prepared statement. */
export function toParams<T extends object>(
  target: EntityClass<T>,
  entity: Partial<T>,
  properties: readonly (keyof T & string)[],
): unknown[] {
  return properties.map((property) => columnOf(target, property).fromModel(entity[property]));
}

/** Column name → driver value for every mapped property of `entity` that is not undefined. */
export function toRow<T extends object>(target: EntityClass<T>, entity: Partial<T>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of compileEntity(target).columns) {
    const value = entity[column.propertyName as keyof T];
    if (value !== undefined) row[column.columnName] = column.fromModel(value);
  }
  return row;
}

/**
 * A real entity instance from a result row (a driver `Row` or a plain object keyed by column
 * name). Columns missing from the row keep the class's initial values.
 */
export function fromRow<T extends object>(target: EntityClass<T>, row: object): T {
  const entity = new target() as Record<string, unknown>;
  for (const column of compileEntity(target).columns) {
    if (Object.prototype.hasOwnProperty.call(row, column.columnName)) {
      entity[column.propertyName] = column.toModel((row as Record<string, unknown>)[column.columnName]);
    }
  }
  return entity as T;
}

/** The column name of a property, e.g. for a hand-written `SELECT`. */
export function columnNameOf<T extends object>(target: EntityClass<T>, property: keyof T & string): string {
  return columnOf(target, property).columnName;
}

function columnOf<T extends object>(target: EntityClass<T>, property: string) {
  const column = compileEntity(target).byProperty.get(property);
  if (column === undefined) {
    throw new EntityDefinitionError(`${target.name}.${property} is not mapped to a column`);
  }
  return column;
}
