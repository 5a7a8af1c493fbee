import { types } from 'cassandra-driver';
import { ChatHistoryError, EntityValidationError } from '../../errors';
import type { CqlType } from './cql-types';
import { uuidBytes } from './uuid-text';

/** Converts one property value to what the driver binds, and one cell value back. */
export interface ColumnConverter {
  /** JS → driver. `undefined` stays `undefined` (the driver sends "unset"), `null` stays `null`. */
  readonly fromModel: (modelValue: unknown) => unknown;
  /** Driver → JS. A null cell becomes `whenNull()` when the column has one, else `undefined`. */
  readonly toModel: (cellValue: unknown) => unknown;
}

export interface ConverterContext {
  readonly entity: string;
  readonly table: string;
  readonly propertyName: string;
  readonly columnName: string;
  readonly whenNull?: () => unknown;
}

/** Builds the converter of one column. */
export function converterFor(cqlType: CqlType, ctx: ConverterContext): ColumnConverter {
  const [write, read] = CONVERSIONS[cqlType];
  const refuse = (expected: string, value: unknown): never => {
    throw new EntityValidationError(ctx.entity, [
      {
        property: ctx.propertyName,
        constraints: {
          cqlType: `${ctx.propertyName} must be ${expected} to be stored in ${cqlType} column ${ctx.columnName}, got ${describe(value)}`,
        },
      },
    ]);
  };
  const corrupt = (detail: string, cause?: unknown): never => {
    throw new ChatHistoryError(
      `Column ${ctx.table}.${ctx.columnName} holds a value that cannot be read back: ${detail}`,
      { cause },
    );
  };
  const whenNull = ctx.whenNull;
  return {
    fromModel: (value) => (value === undefined || value === null ? value : write(value, refuse)),
    // Runs for every cell read: a column read as it comes skips the call.
    toModel:
      read === same && whenNull === undefined
        ? (value) => (value === null ? undefined : value)
        : (value) => {
            if (value === undefined || value === null) return whenNull === undefined ? undefined : whenNull();
            return read(value, corrupt);
          },
  };
}

type Refuse = (expected: string, value: unknown) => never;
type Corrupt = (detail: string, cause?: unknown) => never;
type Write = (value: unknown, refuse: Refuse) => unknown;
type Read = (value: unknown, corrupt: Corrupt) => unknown;

const same: Read = (value) => value;

const writeString: Write = (value, refuse) => (typeof value === 'string' ? value : refuse('a string', value));

const writeInteger: Write = (value, refuse) =>
  typeof value === 'number' && Number.isInteger(value) ? value : refuse('an integer', value);

const writeNumber: Write = (value, refuse) => (typeof value === 'number' ? value : refuse('a number', value));

const writeBigint: Write = (value, refuse) => {
  if (value instanceof types.Long) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return types.Long.fromNumber(value);
  return refuse('a safe integer (or a Long)', value);
};

const readBigint: Read = (value, corrupt) => {
  if (typeof value === 'number') return value;
  if (value instanceof types.Long) {
    const n = value.toNumber();
    // A silently rounded bucket or span would address the wrong partition.
    return Number.isSafeInteger(n) ? n : corrupt(`${value.toString()} is beyond Number.MAX_SAFE_INTEGER`);
  }
  return corrupt(`expected a Long, got ${describe(value)}`);
};

const writeTimestamp: Write = (value, refuse) => {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  return refuse('a valid Date', value);
};

const writeTimeUuid: Write = (value, refuse) => {
  if (value instanceof types.TimeUuid) return value;
  const bytes = typeof value === 'string' ? uuidBytes(value, true) : undefined;
  return bytes === undefined ? refuse('a version 1 (time) UUID string', value) : new types.TimeUuid(bytes);
};

const writeUuid: Write = (value, refuse) => {
  if (value instanceof types.Uuid) return value;
  const bytes = typeof value === 'string' ? uuidBytes(value, false) : undefined;
  return bytes === undefined ? refuse('a UUID string', value) : new types.Uuid(bytes);
};

const readUuid: Read = (value, corrupt) =>
  value instanceof types.Uuid ? value.toString() : corrupt(`expected a Uuid, got ${describe(value)}`);

const writeBoolean: Write = (value, refuse) => (typeof value === 'boolean' ? value : refuse('a boolean', value));

const writeBlob: Write = (value, refuse) => {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return refuse('a Buffer', value);
};

const EMPTY_OBJECT_JSON = '{}';

const writeJson: Write = (value, refuse) => {
  // Most messages carry the default metadata, {}: no serialiser for it.
  if (isEmptyPlainObject(value)) return EMPTY_OBJECT_JSON;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return refuse('JSON-serialisable (no circular references or bigints)', value);
  }
  return text === undefined ? refuse('JSON-serialisable', value) : text;
};

const readJson: Read = (value, corrupt) => {
  // Most messages carry the default metadata: a new object, as JSON.parse would give.
  if (value === EMPTY_OBJECT_JSON) return {};
  if (typeof value !== 'string') return corrupt(`expected JSON text, got ${describe(value)}`);
  try {
    return JSON.parse(value) as unknown;
  } catch (cause) {
    return corrupt('it is not valid JSON', cause);
  }
};

/** A set of bigints: a JS array of safe integers (the driver reads a CQL set back as an array). */
const writeBigintSet: Write = (value, refuse) =>
  Array.isArray(value)
    ? value.map((element) => writeBigint(element, refuse))
    : refuse('an array of safe integers', value);

const readBigintSet: Read = (value, corrupt) =>
  Array.isArray(value)
    ? value.map((element) => readBigint(element, corrupt))
    : corrupt(`expected a set, got ${describe(value)}`);

const CONVERSIONS: Readonly<Record<CqlType, readonly [Write, Read]>> = {
  text: [writeString, same],
  ascii: [writeString, same],
  bigint: [writeBigint, readBigint],
  int: [writeInteger, same],
  smallint: [writeInteger, same],
  tinyint: [writeInteger, same],
  double: [writeNumber, same],
  float: [writeNumber, same],
  boolean: [writeBoolean, same],
  timestamp: [writeTimestamp, same],
  timeuuid: [writeTimeUuid, readUuid],
  uuid: [writeUuid, readUuid],
  blob: [writeBlob, same],
  json: [writeJson, readJson],
  'set<bigint>': [writeBigintSet, readBigintSet],
};

/** `{}` itself, or any object JSON.stringify would write as `{}` by the same rules. */
function isEmptyPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  if ('toJSON' in value) return false;
  for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return false;
  return true;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name ? `a ${name}` : 'an object';
  }
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}
