/**
 * An entity class. It must be constructible without arguments: the driver's Mapper
 * (`TableMappings.newObjectInstance()`) and class-transformer both create instances that way
 * before assigning the column values.
 */
export type EntityClass<T extends object = object> = new () => T;

/** Any class, as a registry key (abstract classes and constructors with parameters included). */
export type AnyClass = abstract new (...args: never[]) => unknown;
