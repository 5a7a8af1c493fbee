import { type Client, types } from 'cassandra-driver';
import type { ValidationLimits } from '../entities';
import { ConfigurationError, SchemaNotMigratedError } from '../errors';
import { assertIdentifier } from '../identifiers';
import {
  BucketRepository,
  buildExecutionProfile,
  createChatMapper,
  MAX_TTL_SECONDS,
  MessageRepository,
  SessionRepository,
  writeClock,
} from '../mapping';
import { withDriverErrors } from '../driver';
import { OperationSpans } from '../telemetry';
import type { BucketSpan } from './bucket-span';
import { ChatHistory, type ChatHistoryOptions } from './chat-history';
import type { StoreDependencies } from './store-dependencies';
import { type MessageIdWindow, storeSettingsFrom } from './store-settings';
import { SessionService } from './session-service';
import { SessionStateCache } from './session-state-cache';
import { CHAT_MAPPER_FACTORY, type InternalStoreOptions } from './store-internals';

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
  /** Sessions whose bucket span stays cached. Default 10,000. */
  readonly cachedSessions?: number;
  /**
   * The largest difference between the clocks of any two instances (and of a deleting instance and a
   * writing one) that deletes tolerate, in ms. Default 100. A delete, trim or clear is stamped this
   * far ahead and resolves only after twice this much time: every write acknowledged before it is
   * covered, and every write started after it resolves survives (src/history/README.md). 0 trusts
   * the clocks completely.
   */
  readonly clockSkewToleranceMs?: number;
  /** How far from now a caller-supplied message id may be dated. Default: any past time, 5 minutes ahead. */
  readonly messageIdWindow?: MessageIdWindow;
}

/** Tables, and the columns added after V1 (their absence means a pending migration). */
const REQUIRED_SCHEMA: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['chat_messages', []],
  ['chat_message_buckets', ['expiry_slots']],
  ['chat_sessions', []],
  ['chat_sessions_by_user', []],
];

/**
 * The entry point: one per client and keyspace, shared by the whole service. Hands out
 * {@link ChatHistory} objects per session and the {@link SessionService} as `sessions`.
 */
export class ChatHistoryStore {
  readonly keyspace: string;
  readonly sessions: SessionService;
  private readonly client: Client;
  private readonly deps: StoreDependencies;
  private readonly ttlSeconds?: number;
  private readonly ownsClient: boolean;
  private readyCheck?: Promise<void>;
  private schemaKnown = false;

  constructor(options: ChatHistoryStoreOptions) {
    if (!options || !options.client) throw new ConfigurationError('ChatHistoryStore needs a cassandra-driver client');
    this.client = options.client;
    // Unquoted CQL folds identifiers to lower case; so does every lookup here (schema checks included).
    this.keyspace = assertIdentifier('keyspace', options.keyspace ?? 'chat').toLowerCase();
    this.ttlSeconds = checkTtl('defaultTtlSeconds', options.defaultTtlSeconds);
    this.ownsClient = options.ownsClient ?? false;
    const profile = buildExecutionProfile(this.client, {
      consistency: options.consistency ?? types.consistencies.localQuorum,
      serialConsistency: options.serialConsistency ?? types.consistencies.localSerial,
    });
    // The testing kit's in-memory Mapper comes in through this internal seam (store-internals.ts).
    const mapperFactory = (options as InternalStoreOptions)[CHAT_MAPPER_FACTORY] ?? createChatMapper;
    const mapper = mapperFactory(this.client, this.keyspace, profile);
    const cache = new SessionStateCache(options.cachedSessions ?? 10_000);
    const buckets = new BucketRepository(mapper);
    this.deps = {
      messages: new MessageRepository(mapper, buckets),
      buckets,
      sessions: new SessionRepository(mapper),
      cache,
      settings: storeSettingsFrom(options),
      spans: new OperationSpans(this.keyspace),
      writeTimestamp: writeClock(this.client),
      ready: () => (this.schemaKnown ? undefined : this.ready()),
    };
    this.sessions = new SessionService(this.deps, (id) => this.history(id), this.ttlSeconds);
  }

  /** The history of one session. Cheap: create one per request if you like. */
  history(sessionId: string, options: ChatHistoryOptions = {}): ChatHistory {
    const ttlSeconds = checkTtl('ttlSeconds', options.ttlSeconds) ?? this.ttlSeconds;
    return new ChatHistory(sessionId, this.deps, { ...options, ttlSeconds });
  }

  /**
   * Connects and checks that the migrated tables exist, once; every operation awaits it. Fails with
   * SchemaNotMigratedError (run `npm run migrate`) instead of a driver error deep in a query.
   */
  ready(): Promise<void> {
    if (!this.readyCheck) {
      this.readyCheck = this.checkSchema();
      this.readyCheck.then(
        () => (this.schemaKnown = true),
        // A failure is not cached: after the migrations ran, the next call succeeds.
        () => (this.readyCheck = undefined),
      );
    }
    return this.readyCheck;
  }

  private async checkSchema(): Promise<void> {
    await withDriverErrors({ operation: 'connect', keyspace: this.keyspace }, () => this.client.connect());
    let missing = await this.missingSchema();
    if (missing.length > 0) {
      // The driver's metadata may predate a migration another process just ran: look again, fresh.
      await withDriverErrors({ operation: 'read schema', keyspace: this.keyspace }, () =>
        this.client.metadata.refreshKeyspace(this.keyspace),
      );
      missing = await this.missingSchema();
    }
    if (missing.length > 0) throw new SchemaNotMigratedError(this.keyspace, `missing ${missing.join(', ')}`);
  }

  /** The required tables and columns the driver's metadata does not show. */
  private async missingSchema(): Promise<string[]> {
    const missing: string[] = [];
    for (const [table, columns] of REQUIRED_SCHEMA) {
      const info = await withDriverErrors({ operation: 'read schema', keyspace: this.keyspace, table }, () =>
        this.client.metadata.getTable(this.keyspace, table),
      );
      if (!info) missing.push(`table ${table}`);
      else for (const column of columns) if (!info.columnsByName[column]) missing.push(`column ${table}.${column}`);
    }
    return missing;
  }

  /** Shuts the client down when the store owns it (`ownsClient: true`); otherwise does nothing. */
  async close(): Promise<void> {
    if (this.ownsClient) await this.client.shutdown();
  }
}

function checkTtl(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value <= 0 || value > MAX_TTL_SECONDS) {
    throw new ConfigurationError(
      `${name} must be a whole number of seconds between 1 and ${MAX_TTL_SECONDS} (20 years), got ${value}`,
    );
  }
  return value;
}
