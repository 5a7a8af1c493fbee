import type { ValidationLimits } from '../entities';
import type { BucketRepository, MessageRepository, SessionRepository } from '../mapping';
import type { SessionStateCache } from './session-state-cache';

/** How far from the validating instance's clock a caller-supplied message id may be dated. */
export interface MessageIdWindow {
  /** How far in the past (ms). Default: unbounded (importing old conversations is fine). */
  readonly pastMs?: number;
  /** How far in the future (ms). Default 5 minutes: a later id would stay "newest" and survive trims. */
  readonly futureMs?: number;
}

/** What a ChatHistory shares with its store. Internal: never exported from the package. */
export interface HistoryContext {
  readonly keyspace: string;
  readonly messages: MessageRepository;
  readonly buckets: BucketRepository;
  readonly sessions: SessionRepository;
  readonly cache: SessionStateCache;
  readonly defaultSpanMs: number;
  readonly slidingTtl: boolean;
  readonly activityRefreshMs: number;
  readonly validationLimits: Partial<ValidationLimits>;
  /** The largest clock difference between two instances that deletes tolerate (src/history/README.md). */
  readonly clockSkewToleranceMs: number;
  readonly messageIdWindow: Required<MessageIdWindow>;
  /** The write timestamp of the next message write (microseconds; see src/mapping/write-clock.ts). */
  writeTimestamp(): number;
  /** Resolves once the schema is known to exist (SchemaNotMigratedError otherwise). */
  ready(): Promise<void>;
}
