/**
 * Span names and attribute names. The `db.*` and `error.type` names are OpenTelemetry's stable
 * database semantic conventions; counts live under the package's own namespace.
 */

/** One span per public operation of the facade, the session service and the migration runner. */
export type TracedOperation =
  | 'chat_history.add_message'
  | 'chat_history.add_messages'
  | 'chat_history.get_messages'
  | 'chat_history.get_page'
  | 'chat_history.iterate'
  | 'chat_history.count'
  | 'chat_history.delete_message'
  | 'chat_history.trim'
  | 'chat_history.clear'
  | 'sessions.create'
  | 'sessions.get'
  | 'sessions.list_by_user'
  | 'sessions.update'
  | 'sessions.delete'
  | 'migrations.up'
  | 'migrations.status'
  | 'migrations.validate'
  | 'migrations.baseline'
  | 'migrations.repair';

/** Attribute values this package sets: never message content, user or session ids, or credentials. */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

export const DB_SYSTEM_NAME = 'db.system.name';
export const DB_NAMESPACE = 'db.namespace';
export const DB_OPERATION_NAME = 'db.operation.name';
export const ERROR_TYPE = 'error.type';
/** The semantic conventions' value of `db.system.name` for Apache Cassandra. */
export const CASSANDRA = 'cassandra';

/** Messages written, returned, iterated or counted by the operation. */
export const MESSAGE_COUNT = 'cassandra_chat_history.message.count';
/** Distinct time buckets (partitions) of the messages written or returned. */
export const BUCKET_COUNT = 'cassandra_chat_history.bucket.count';
/** Sessions returned by a listing. */
export const SESSION_COUNT = 'cassandra_chat_history.session.count';
/** Migrations applied by `up` (with `dryRun`: that would be applied). */
export const MIGRATION_COUNT = 'cassandra_chat_history.migration.count';
/** Pending migrations seen by `status` / `validate`. */
export const PENDING_MIGRATION_COUNT = 'cassandra_chat_history.migration.pending_count';

/** `error.type` of a thrown value: the typed error's class name, `_OTHER` for a non-error. */
export function errorType(error: unknown): string {
  return error instanceof Error && error.name ? error.name : '_OTHER';
}
