/**
 * cassandra-chat-history: a typed chat message history on Apache Cassandra, ScyllaDB and Astra DB.
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

export { ChatHistoryStore, type ChatHistoryStoreOptions } from './history/chat-history-store';
export {
  ChatHistory,
  type ChatHistoryOptions,
  type GetMessagesOptions,
  type GetPageOptions,
  type IterateOptions,
  type MessagePage,
  type NewChatMessage,
} from './history/chat-history';
export {
  SessionService,
  type CreateSessionInput,
  type SessionListPage,
  type UpdateSessionInput,
} from './history/session-service';
export type { BucketSpan } from './history/bucket-span';
export type { MessageIdWindow } from './history/history-context';
export { newMessageId } from './history/message-ids';

export { ChatMessage, Session, type ChatRole, type JsonObject, type JsonValue, type ToolCall } from './entities';
export { DEFAULT_VALIDATION_LIMITS, type ValidationLimits } from './entities';

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
