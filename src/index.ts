/**
 * cassandra-chat-history: a typed chat message history on Apache Cassandra (tested on 5.0; see the README).
 *
 * ```ts
 * import { ChatHistoryStore, createClient, MigrationRunner } from 'cassandra-chat-history';
 * const client = createClient();                                  // from CASSANDRA_* variables
 * await new MigrationRunner({ client, keyspace: 'chat' }).up();   // or `npm run migrate`
 * const store = new ChatHistoryStore({ client, keyspace: 'chat' });
 * const history = store.history('session-1');
 * await history.addUserMessage('hi!');
 * const last50 = await history.getMessages({ limit: 50 });
 * ```
 */
// Decorator metadata must be available before any entity class is defined.
import 'reflect-metadata';

export {
  type BucketSpan,
  ChatHistory,
  type ChatHistoryOptions,
  ChatHistoryStore,
  type ChatHistoryStoreOptions,
  type CreateSessionInput,
  type GetMessagesOptions,
  type GetPageOptions,
  type IterateOptions,
  type MessageIdWindow,
  type MessagePage,
  newMessageId,
  type NewChatMessage,
  SessionService,
  type SessionListPage,
  type UpdateSessionInput,
} from './history';

export {
  ChatMessage,
  type ChatRole,
  DEFAULT_VALIDATION_LIMITS,
  type JsonObject,
  type JsonValue,
  Session,
  type ToolCall,
  type ValidationLimits,
} from './entities';

export {
  MigrationRunner,
  type MigrationEvent,
  type MigrationLogger,
  type MigrationResult,
  type MigrationRunnerOptions,
  type MigrationState,
  type MigrationStatus,
  type MigrationStatusEntry,
  type RepairResult,
  type UpOptions,
} from './migrations';

export {
  createClient,
  clientOptionsFrom,
  connectionSettingsFromEnv,
  replicationFromEnv,
  type ConnectionSettings,
  type Environment,
  type ReplicationSettings,
} from './config';

export {
  AuthenticationError,
  AuthorizationError,
  ChatHistoryError,
  ChecksumMismatchError,
  ConcurrentModificationError,
  ConfigurationError,
  ConnectionError,
  CqlSyntaxError,
  EntityDefinitionError,
  EntityValidationError,
  InvalidCursorError,
  InvalidIdentifierError,
  MessageValidationError,
  MigrationError,
  MigrationLockTimeoutError,
  QueryError,
  RequestTimeoutError,
  SchemaAgreementError,
  SchemaNotMigratedError,
  SessionAlreadyExistsError,
  SessionNotFoundError,
  UnavailableError,
  type ValidationIssue,
} from './errors';
