import type { ValidationLimits } from '../entities';
import type { BucketRepository } from '../mapping/bucket-repository';
import type { MessageRepository } from '../mapping/message-repository';
import type { SessionRepository } from '../mapping/session-repository';
import type { SessionStateCache } from './session-state-cache';

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
  /** Resolves once the schema is known to exist (SchemaNotMigratedError otherwise). */
  ready(): Promise<void>;
}
