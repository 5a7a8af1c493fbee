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

const limitsOfTarget = new WeakMap<object, ValidationLimits>();

/**
 * Gives `target` (an instance about to be validated) the limits its byte-limit constraints check.
 * class-validator decorators are declared once per class but limits are per call, and
 * `validateSync` takes no per-call context: the constraints find the limits through the object
 * they judge (`limitsOf(args.object)`), so nothing depends on validations not interleaving.
 */
export function bindLimits<T extends object>(target: T, limits: ValidationLimits): T {
  limitsOfTarget.set(target, limits);
  return target;
}

/** The limits bound to `target`, or the defaults for an object validated without `bindLimits`. */
export function limitsOf(target: unknown): ValidationLimits {
  return (typeof target === 'object' && target !== null && limitsOfTarget.get(target)) || DEFAULT_VALIDATION_LIMITS;
}
