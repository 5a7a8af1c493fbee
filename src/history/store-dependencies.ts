import type { BucketRepository, MessageRepository, SessionRepository } from '../mapping';
import type { OperationSpans } from '../telemetry';
import type { SessionStateCache } from './session-state-cache';
import type { StoreSettings } from './store-settings';

/** The repositories of the store's tables. */
export interface StoreRepositories {
  readonly messages: MessageRepository;
  readonly buckets: BucketRepository;
  readonly sessions: SessionRepository;
}

/**
 * What a ChatHistory and the SessionService get from their ChatHistoryStore: its repositories, the
 * cache of session state they share, its settings, its write clock and its schema check. Internal:
 * never exported from the package.
 */
export interface StoreDependencies extends StoreRepositories {
  readonly cache: SessionStateCache;
  readonly settings: StoreSettings;
  /** The spans of the public operations (src/telemetry). */
  readonly spans: OperationSpans;
  /** The write timestamp of the next message write (microseconds; see src/mapping/write-clock.ts). */
  writeTimestamp(): number;
  /**
   * Resolves once the schema is known to exist (SchemaNotMigratedError otherwise); undefined once it
   * is known, so that the hot paths skip an await.
   */
  ready(): Promise<void> | undefined;
}
