import { resolveLimits, type ValidationLimits } from '../entities';
import { ConfigurationError } from '../errors';
import { type BucketSpan, bucketSpanMs } from './bucket-span';

/** How far from the validating instance's clock a caller-supplied message id may be dated. */
export interface MessageIdWindow {
  /** How far in the past (ms). Default: unbounded (importing old conversations is fine). */
  readonly pastMs?: number;
  /** How far in the future (ms). Default 5 minutes: a later id would stay "newest" and survive trims. */
  readonly futureMs?: number;
}

/** The store's settings that its histories and session service follow: checked, defaults applied. */
export interface StoreSettings {
  /** Bucket span of sessions written for the first time (ms). */
  readonly defaultSpanMs: number;
  readonly slidingTtl: boolean;
  /** How often a session's last activity is written at most (ms). */
  readonly activityRefreshMs: number;
  /** Resolved once (defaults applied, checked): every message written is validated against them. */
  readonly validationLimits: ValidationLimits;
  /** The largest clock difference between two instances that deletes tolerate (src/history/README.md). */
  readonly clockSkewToleranceMs: number;
  readonly messageIdWindow: Required<MessageIdWindow>;
}

/** The options of ChatHistoryStore that make its settings. */
export interface StoreSettingsOptions {
  readonly bucketSpan?: BucketSpan;
  readonly slidingTtl?: boolean;
  readonly validationLimits?: Partial<ValidationLimits>;
  readonly clockSkewToleranceMs?: number;
  readonly messageIdWindow?: MessageIdWindow;
}

const DEFAULT_CLOCK_SKEW_TOLERANCE_MS = 100;
const DEFAULT_FUTURE_ID_MS = 5 * 60_000;

/** Checks the options (ConfigurationError) and applies the defaults. */
export function storeSettingsFrom(options: StoreSettingsOptions): StoreSettings {
  return Object.freeze({
    defaultSpanMs: bucketSpanMs(options.bucketSpan),
    slidingTtl: options.slidingTtl ?? false,
    activityRefreshMs: 60_000,
    validationLimits: resolveLimits(options.validationLimits),
    clockSkewToleranceMs: checkMs(
      'clockSkewToleranceMs',
      options.clockSkewToleranceMs,
      DEFAULT_CLOCK_SKEW_TOLERANCE_MS,
      60_000,
    ),
    messageIdWindow: {
      pastMs: checkMs(
        'messageIdWindow.pastMs',
        options.messageIdWindow?.pastMs,
        Number.POSITIVE_INFINITY,
        Number.POSITIVE_INFINITY,
      ),
      futureMs: checkMs(
        'messageIdWindow.futureMs',
        options.messageIdWindow?.futureMs,
        DEFAULT_FUTURE_ID_MS,
        Number.POSITIVE_INFINITY,
      ),
    },
  });
}

function checkMs(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!(value === Number.POSITIVE_INFINITY || Number.isInteger(value)) || value < 0 || value > max) {
    throw new ConfigurationError(`${name} must be a whole number of milliseconds between 0 and ${max}, got ${value}`);
  }
  return value;
}
