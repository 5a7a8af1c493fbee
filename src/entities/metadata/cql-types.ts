/**
 * The CQL column types an entity property can be mapped to. `json` is this package's logical type:
 * a JS object or array kept in a CQL `text` column as JSON text.
 */
export const CQL_TYPES = [
  'text',
  'ascii',
  'bigint',
  'int',
  'smallint',
  'tinyint',
  'double',
  'float',
  'boolean',
  'timestamp',
  'timeuuid',
  'uuid',
  'blob',
  'json',
  'set<bigint>',
] as const;

export type CqlType = (typeof CQL_TYPES)[number];

const KNOWN_TYPES: ReadonlySet<string> = new Set(CQL_TYPES);

export function isCqlType(value: unknown): value is CqlType {
  return typeof value === 'string' && KNOWN_TYPES.has(value);
}

/** The type Cassandra itself stores for a column of this (possibly logical) type. */
export function storedCqlType(type: CqlType): Exclude<CqlType, 'json'> {
  return type === 'json' ? 'text' : type;
}
