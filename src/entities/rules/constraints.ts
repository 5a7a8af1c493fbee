import { length, maxLength, ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { isPlainObject, jsonProblem } from './json';
import { contentMayBeEmpty, toolCallIdRequired } from './message-rules';
import { limitsOf, type ValidationLimits } from './validation-limits';

type StringWithWellFormed = string & { isWellFormed?: () => boolean };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** False when the string holds a lone UTF-16 surrogate, which UTF-8 cannot encode. */
export function isWellFormedUnicode(value: string): boolean {
  const native = (value as StringWithWellFormed).isWellFormed;
  return native !== undefined ? native.call(value) : !LONE_SURROGATE.test(value);
}

export function utf8Bytes(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** The JSON text of a value that passed `jsonProblem`, or undefined when it cannot be serialised. */
export function jsonTextOf(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** Refuses strings with lone surrogates: they would be replaced by U+FFFD on the way to Cassandra. */
export function WellFormedUnicode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'wellFormedUnicode',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isWellFormedUnicode(value),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} contains a lone UTF-16 surrogate, which cannot be stored as UTF-8 text`,
      },
    },
    options,
  );
}

type ByteLimit = keyof ValidationLimits;

/** A string of at most `limitsOf(object)[limit]` UTF-8 bytes (the limits bound to the validated object). */
export function MaxUtf8Bytes(limit: ByteLimit, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxUtf8Bytes',
      constraints: [limit],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          typeof value !== 'string' || utf8Bytes(value) <= limitsOf(args?.object)[limit],
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be at most ${limitsOf(args?.object)[limit]} UTF-8 bytes (limit ${limit})`,
      },
    },
    options,
  );
}

/** A plain object whose JSON round trip is lossless (see `jsonProblem`). */
export function IsPlainJsonObject(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'plainJsonObject',
      validator: {
        validate: (value: unknown) => isPlainObject(value) && jsonProblem(value, '') === undefined,
        defaultMessage: (args?: ValidationArguments) => {
          const property = args?.property ?? 'value';
          if (!isPlainObject(args?.value)) return `${property} must be a plain object ({ ... }) of JSON values`;
          return `${property} must hold only JSON values: ${jsonProblem(args?.value, property) ?? 'unknown problem'}`;
        },
      },
    },
    options,
  );
}

/**
 * JSON text of at most `limitsOf(object)[limit]` UTF-8 bytes. Values that cannot be serialised
 * (circular, bigint) pass here: the property's type constraint reports them.
 */
export function MaxJsonBytes(limit: ByteLimit, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxJsonBytes',
      constraints: [limit],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const text = jsonTextOf(value);
          return text === undefined || utf8Bytes(text) <= limitsOf(args?.object)[limit];
        },
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be at most ${limitsOf(args?.object)[limit]} bytes as JSON (limit ${limit})`,
      },
    },
    options,
  );
}

export function ContentRequired(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'contentRequired',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          value !== '' || contentMayBeEmpty((args?.object ?? {}) as { role?: unknown; toolCalls?: unknown }),
        defaultMessage: () =>
          'content must not be empty for user and system messages, nor for assistant messages without toolCalls',
      },
    },
    options,
  );
}

export function ToolCallIdRequired(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'toolCallIdRequired',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          !toolCallIdRequired((args?.object as { role?: unknown } | undefined)?.role) ||
          (typeof value === 'string' && value.length > 0),
        defaultMessage: () => 'a tool message needs toolCallId: the id of the tool call it answers',
      },
    },
    options,
  );
}

/**
 * A primitive string. class-validator's @IsString also accepts `new String(...)` objects, which
 * the driver cannot bind; this one keeps the `isString` constraint name with the stricter rule.
 */
export function IsPrimitiveString(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isString',
      validator: {
        validate: (value: unknown) => typeof value === 'string',
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} must be a string`,
      },
    },
    options,
  );
}

/** An integer that a JS number holds exactly (|n| ≤ 2^53 − 1), as bigint columns are read back. */
export function IsSafeInteger(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSafeInteger',
      validator: {
        validate: (value: unknown) => Number.isSafeInteger(value),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be an integer between -(2^53 - 1) and 2^53 - 1`,
      },
    },
    options,
  );
}

/**
 * At most `max` characters (class-validator's counting: a surrogate pair is one character). Only
 * judges strings, so that a number reports "must be a string" alone.
 */
export function MaxChars(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxLength',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || maxLength(value, max),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be at most ${max} characters`,
      },
    },
    options,
  );
}

/** Between `min` and `max` characters; only judges strings (see MaxChars). */
export function CharLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || length(value, min, max),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be ${min} to ${max} characters`,
      },
    },
    options,
  );
}
