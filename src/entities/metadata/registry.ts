import { EntityDefinitionError } from '../../errors';
import type { CqlType } from './cql-types';
import type { AnyClass } from './entity-class';

export type ClusteringOrder = 'ASC' | 'DESC';

/** Which decorator recorded a property; also its role in the primary key. */
export type PropertyDecoratorName = '@PartitionKey' | '@ClusteringKey' | '@Column';

/** What `@Table` recorded. */
export interface TableArgs {
  readonly target: AnyClass;
  readonly name: string;
}

/** What `@PartitionKey`, `@ClusteringKey` or `@Column` recorded about one property. */
export interface PropertyArgs {
  readonly target: AnyClass;
  readonly propertyName: string;
  readonly decorator: PropertyDecoratorName;
  readonly cqlType: CqlType;
  /** Explicit column name; the compile step defaults it to the snake_case property name. */
  readonly columnName?: string;
  readonly position?: number;
  readonly order?: ClusteringOrder;
  readonly isStatic: boolean;
  /** Value a read gives the property when the cell is null (e.g. `{}` for metadata). */
  readonly whenNull?: () => unknown;
}

/**
 * One store of decorator facts keyed by class (TypeORM's metadata-args storage). Decorators only
 * record here; `compileEntity` checks the facts as a whole and builds the metadata. Facts that are
 * wrong on their own (a second decorator on one property, a second @Table) are refused when recorded
 * so the stack trace points at the class.
 */
export class EntityMetadataRegistry {
  private readonly tables = new Map<AnyClass, TableArgs>();
  private readonly properties = new Map<AnyClass, PropertyArgs[]>();

  recordTable(args: TableArgs): void {
    const existing = this.tables.get(args.target);
    if (existing !== undefined) {
      throw new EntityDefinitionError(
        `${args.target.name} has two @Table decorators ("${existing.name}" and "${args.name}"): keep one`,
      );
    }
    this.tables.set(args.target, args);
  }

  recordProperty(args: PropertyArgs): void {
    const list = this.properties.get(args.target) ?? [];
    const existing = list.find((p) => p.propertyName === args.propertyName);
    if (existing !== undefined) {
      throw new EntityDefinitionError(
        `${args.target.name}.${args.propertyName} has both ${existing.decorator} and ${args.decorator}: ` +
          'a property maps to exactly one column, so keep one of them (a key decorator already makes it a column)',
      );
    }
    list.push(args);
    this.properties.set(args.target, list);
  }

  /** The @Table recorded on exactly this class (not its ancestors). */
  ownTable(target: AnyClass): TableArgs | undefined {
    return this.tables.get(target);
  }

  /** The properties recorded on exactly this class, in declaration order. */
  ownProperties(target: AnyClass): readonly PropertyArgs[] {
    return this.properties.get(target) ?? [];
  }

  /** True when any decorator of this package was applied to the class or one of its ancestors. */
  knows(target: AnyClass): boolean {
    for (const cls of lineage(target)) {
      if (this.tables.has(cls) || this.properties.has(cls)) return true;
    }
    return false;
  }
}

/** The class and its ancestors, most derived first (stops before Object / Function.prototype). */
export function lineage(target: AnyClass): AnyClass[] {
  const chain: AnyClass[] = [];
  let current: unknown = target;
  while (typeof current === 'function' && current !== Function.prototype) {
    chain.push(current as AnyClass);
    current = Object.getPrototypeOf(current);
  }
  return chain;
}

/** The registry every decorator of this package writes to. */
export const entityRegistry = new EntityMetadataRegistry();
