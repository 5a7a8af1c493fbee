import { type Client, types } from 'cassandra-driver';
import type { ValidationLimits } from '../entities';
import { ConfigurationError, SchemaNotMigratedError } from '../errors';
import { assertIdentifier } from '../identifiers';
import { BucketRepository } from '../mapping/bucket-repository';
import { createChatMapper } from '../mapping/chat-mapper';
import { withDriverErrors } from '../mapping/driver-errors';
import { buildExecutionProfile } from '../mapping/execution-profile';
import { MessageRepository } from '../mapping/message-repository';
import { SessionRepository } from '../mapping/session-repository';
import { type BucketSpan, bucketSpanMs } from './bucket-span';
import { ChatHistory, type ChatHistoryOptions } from './chat-history';
import type { HistoryContext } from './history-context';
import { SessionService } from './session-service';
import { SessionStateCache } from './session-state-cache';

export interface ChatHistoryStoreOptions {
  /** A cassandra-driver client, e.g. from `createClient()`. */
  readonly client: Client;
  /** Keyspace holding the migrated tables. Default `chat`. */
  readonly keyspace?: string;
  /** Consistency of reads and writes. Default LOCAL_QUORUM. */
  readonly consistency?: types.consistencies;
  /** Consistency of the few lightweight transactions. Default LOCAL_SERIAL. */
  readonly serialConsistency?: types.consistencies;
  /** TTL of every message and session written, unless a history sets its own. Default: none. */
  readonly defaultTtlSeconds?: number;
  /**
   * With a TTL: every write also refreshes the TTL of the session record and of the bucket index,
   * so an active session never expires as a whole (each message still expires on its own).
   */
  readonly slidingTtl?: boolean;
  /** Time span of one partition of a session's messages; fixed per session once it is first written. */
  readonly bucketSpan?: BucketSpan;
  /** Validation limits (content bytes, metadata bytes). */
  readonly validationLimits?: Partial<ValidationLimits>;
  /** `close()` shuts the client down. Default false: the caller owns the client. */
  readonly ownsClient?: boolean;
  /** Sessions whose span and buckets stay cached. Default 10,000. */
  readonly cachedSessions?: number;
}

const REQUIRED_TABLES = ['chat_messages', 'chat_message_buckets', 'chat_sessions', 'chat_sessions_by_user'];

/**
 * The entry point: one per client and keyspace, shared by the whole service. Hands out
 * {@link ChatHistory} objects per session and the {@link SessionService} as `sessions`.
 */
export class ChatHistoryStore {
  readonly keyspace: string;
  readonly sessions: SessionService;
  private readonly client: Client;
  private readonly ctx: HistoryContext;
  private readonly ttlSeconds?: number;
  private readonly ownsClient: boolean;
  private readyCheck?: Promise<void>;

  constructor(options: ChatHistoryStoreOptions) {
    if (!options || !options.client) throw new ConfigurationError('ChatHistoryStore needs a cassandra-driver client');
    this.client = options.client;
    this.keyspace = assertIdentifier('keyspace', options.keyspace ?? 'chat');
    this.ttlSeconds = checkTtl('defaultTtlSeconds', options.defaultTtlSeconds);
    this.ownsClient = options.ownsClient ?? false;
    const profile = buildExecutionProfile(this.client, {
      consistency: options.consistency ?? types.consistencies.localQuorum,
      serialConsistency: options.serialConsistency ?? types.consistencies.localSerial,
    });
    const mapper = createChatMapper(this.client, this.keyspace, profile);
    this.ctx = {
      keyspace: this.keyspace,
      messages: new MessageRepository(mapper),
      buckets: new BucketRepository(mapper),
      sessions: new SessionRepository(mapper),
      cache: new SessionStateCache(options.cachedSessions ?? 10_000),
      defaultSpanMs: bucketSpanMs(options.bucketSpan),
      slidingTtl: options.slidingTtl ?? false,
      activityRefreshMs: 60_000,
      validationLimits: options.validationLimits ?? {},
      ready: () => this.ready(),
    };
    this.sessions = new SessionService(this.ctx, (id) => this.history(id), this.ttlSeconds);
  }

  /** The history of one session. Cheap: create one per request if you like. */
  history(sessionId: string, options: ChatHistoryOptions = {}): ChatHistory {
    const ttlSeconds = checkTtl('ttlSeconds', options.ttlSeconds) ?? this.ttlSeconds;
    return new ChatHistory(sessionId, this.ctx, { ...options, ttlSeconds });
  }

  /**
   * Connects and checks that the migrated tables exist, once; every operation awaits it. Fails with
   * SchemaNotMigratedError (run `npm run migrate`) instead of a driver error deep in a query.
   */
  ready(): Promise<void> {
    if (!this.readyCheck) {
      this.readyCheck = this.checkSchema();
      // A failure is not cached: after the migrations ran, the next call succeeds.
      this.readyCheck.catch(() => (this.readyCheck = undefined));
    }
    return this.readyCheck;
  }

  private async checkSchema(): Promise<void> {
    await withDriverErrors({ operation: 'connect', keyspace: this.keyspace }, () => this.client.connect());
    const missing: string[] = [];
    for (const table of REQUIRED_TABLES) {
      const info = await withDriverErrors({ operation: 'read schema', keyspace: this.keyspace, table }, () =>
        this.client.metadata.getTable(this.keyspace, table),
      );
      if (!info) missing.push(table);
    }
    if (missing.length > 0) throw new SchemaNotMigratedError(this.keyspace, `missing tables: ${missing.join(', ')}`);
  }

  /** Shuts the client down when the store owns it (`ownsClient: true`); otherwise does nothing. */
  async close(): Promise<void> {
    if (this.ownsClient) await this.client.shutdown();
  }
}

function checkTtl(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value <= 0 || value > 630_720_000) {
    throw new ConfigurationError(`${name} must be a whole number of seconds between 1 and 630720000 (20 years), got ${value}`);
  }
  return value;
}
