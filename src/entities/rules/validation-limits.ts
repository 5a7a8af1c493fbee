import { ConfigurationError } from '../../errors';

/** Size limits checked on every write. Bytes are UTF-8 bytes, as Cassandra stores text. */
export interface ValidationLimits {
  /** Largest `content` of a message (default 1 MiB). */
  readonly maxContentBytes: number;
  /** Largest JSON text of a message's or a session's `metadata` (default 64 KiB). */
  readonly maxMetadataBytes: number;
  /** Largest JSON text of a message's `toolCalls` (default 1 MiB). */
  readonly maxToolCallsBytes: number;
}

/**
 * Defaults sized for Cassandra: a message with default limits stays far below the 16 MiB mutation
 * limit, so a batch of many of them still fits.
 */
export const DEFAULT_VALIDATION_LIMITS: ValidationLimits = Object.freeze({
  maxContentBytes: 1024 * 1024,
  maxMetadataBytes: 64 * 1024,
  maxToolCallsBytes: 1024 * 1024,
});

const LIMIT_NAMES = Object.keys(DEFAULT_VALIDATION_LIMITS) as (keyof ValidationLimits)[];

const resolved = new WeakMap<object, ValidationLimits>();

/** Defaults overlaid with `overrides`; throws ConfigurationError for anything but positive safe integers. */
export function resolveLimits(overrides: Partial<ValidationLimits> | undefined): ValidationLimits {
  if (overrides === undefined) return DEFAULT_VALIDATION_LIMITS;
  // Callers pass the same options object on every write: resolve it once.
  const cached = resolved.get(overrides);
  if (cached !== undefined) return cached;
  if (typeof overrides !== 'object' || overrides === null) {
    throw new ConfigurationError('Validation limits must be an object such as { maxContentBytes: 65536 }');
  }
  for (const key of Object.keys(overrides)) {
    if (!(LIMIT_NAMES as string[]).includes(key)) {
      throw new ConfigurationError(`Unknown validation limit "${key}"; known limits: ${LIMIT_NAMES.join(', ')}`);
    }
  }
  const limits = { ...DEFAULT_VALIDATION_LIMITS };
  for (const key of LIMIT_NAMES) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw new ConfigurationError(`Validation limit ${key} must be a positive integer (bytes), got ${String(value)}`);
    }
    limits[key] = value;
  }
  const frozen = Object.freeze(limits);
  resolved.set(overrides, frozen);
  return frozen;
}

let active: ValidationLimits = DEFAULT_VALIDATION_LIMITS;

/**
 * The limits of the validation running now. class-validator decorators are declared once per
 * class, but limits are per call: `withLimits` sets them around a synchronous `validateSync`, so no
 * other validation can interleave and see them.
 */
export function activeLimits(): ValidationLimits {
  return active;
}

export function withLimits<T>(limits: ValidationLimits, run: () => T): T {
  const previous = active;
  active = limits;
  try {
    return run();
  } finally {
    active = previous;
  }
}
