/**
 * The package's error hierarchy. Every error it throws is a {@link ChatHistoryError}; callers tell
 * them apart with `instanceof`, never by matching messages. The original driver error, when there is
 * one, is kept as the native `cause`. Messages never contain credentials or message contents.
 */

/** Base class of every error thrown by cassandra-chat-history. */
export class ChatHistoryError extends Error {
  /**
   * Set when an add failed after choosing its message ids (a timeout, a lost connection, ...): the
   * write may or may not have been applied. Retrying with these ids, in the same order, stores each
   * message exactly once.
   */
  messageIds?: readonly string[];

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One failing property of an entity and the constraints it broke. */
export interface ValidationIssue {
  /** Property path, e.g. `content` or `messages[3].role`. */
  readonly property: string;
  /** Constraint name → human readable explanation, e.g. `{ isIn: 'role must be one of ...' }`. */
  readonly constraints: Readonly<Record<string, string>>;
}

/** Input failed validation; nothing was written. Lists every failing property and constraint. */
export class EntityValidationError extends ChatHistoryError {
  readonly entity: string;
  readonly issues: readonly ValidationIssue[];

  constructor(entity: string, issues: readonly ValidationIssue[]) {
    const summary = issues.map((i) => `${i.property}: ${Object.values(i.constraints).join('; ')}`).join(' | ');
    super(`Invalid ${entity}: ${summary}`);
    this.entity = entity;
    this.issues = issues;
  }
}

/** A message failed validation (a {@link EntityValidationError} for `ChatMessage`). */
export class MessageValidationError extends EntityValidationError {}

/** A keyspace or table name is not a safe CQL identifier. Raised before any statement runs. */
export class InvalidIdentifierError extends ChatHistoryError {
  readonly kind: string;
  constructor(kind: string, value: string) {
    // The value is shown truncated and JSON-escaped so a hostile name cannot forge log lines.
    const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    super(
      `Invalid ${kind} name ${shown}: it must match ^[a-zA-Z][a-zA-Z0-9_]{0,47}$ ` +
        '(a letter, then up to 47 letters, digits or underscores)',
    );
    this.kind = kind;
  }
}

/** Options or environment variables are missing or inconsistent. */
export class ConfigurationError extends ChatHistoryError {}

/** Misuse of the entity decorators (no partition key, duplicate decorators, ...). */
export class EntityDefinitionError extends ChatHistoryError {}

/** The schema this package needs is missing: run the migrations first. */
export class SchemaNotMigratedError extends ChatHistoryError {
  constructor(keyspace: string, detail: string, options?: { cause?: unknown }) {
    super(
      `The chat history schema is missing in keyspace "${keyspace}" (${detail}). ` +
        'Run the migrations first: `npm run migrate` (or `new MigrationRunner({ client, keyspace }).up()`).',
      options,
    );
  }
}

/** The cluster could not be reached or refused the connection (no host available). */
export class ConnectionError extends ChatHistoryError {}

/** Login to the cluster failed. The message never contains the credentials. */
export class AuthenticationError extends ChatHistoryError {}

/**
 * A request did not complete within its timeout. The outcome is unknown: the write may or may not
 * have been applied. Retrying with the same message ids is safe (inserts are idempotent).
 */
export class RequestTimeoutError extends ChatHistoryError {}

/** A statement failed in a migration file. */
export class MigrationError extends ChatHistoryError {
  readonly version?: number;
  readonly file?: string;
  readonly statementIndex?: number;
  constructor(
    message: string,
    details: { version?: number; file?: string; statementIndex?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.version = details.version;
    this.file = details.file;
    this.statementIndex = details.statementIndex;
  }
}

/** A migration file that was already applied has changed since (Flyway's checksum rule). */
export class ChecksumMismatchError extends MigrationError {}

/** A CQL migration file could not be split into statements (e.g. an unterminated string). */
export class CqlSyntaxError extends MigrationError {
  readonly line: number;
  constructor(message: string, details: { file?: string; line: number }) {
    super(message, { file: details.file });
    this.line = details.line;
  }
}

/** Another runner held the migration lock for longer than the wait timeout. */
export class MigrationLockTimeoutError extends MigrationError {}

/** The nodes did not agree on the schema within the timeout, or a node is down. */
export class SchemaAgreementError extends MigrationError {
  /** Addresses (`host:port`) of the nodes that were down, when that is why agreement is out of reach. */
  readonly downNodes: readonly string[];
  constructor(
    message: string,
    details: {
      version?: number;
      file?: string;
      statementIndex?: number;
      cause?: unknown;
      downNodes?: readonly string[];
    } = {},
  ) {
    super(message, details);
    this.downNodes = details.downNodes ?? [];
  }
}

/**
 * The cluster could not serve the request right now: too few replicas alive for the consistency
 * level, the coordinator overloaded or bootstrapping, or every pooled connection busy. The request
 * was not executed; retrying later (with backoff) is safe.
 */
export class UnavailableError extends ChatHistoryError {}

/** The login worked but the role lacks a permission (grant it, e.g. `GRANT MODIFY ON KEYSPACE ...`). */
export class AuthorizationError extends ChatHistoryError {}

/**
 * Cassandra or the driver rejected or failed a request for a reason not covered by a more specific
 * class: an invalid statement or value, failing replicas, a server or protocol error. `code` is the
 * driver's name for the response error code (`invalid`, `writeFailure`, ...) when there is one.
 */
export class QueryError extends ChatHistoryError {
  readonly code?: string;
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(message, { cause: options?.cause });
    this.code = options?.code;
  }
}

/** A paging cursor was not produced by this package, was altered, or belongs to another query. */
export class InvalidCursorError extends ChatHistoryError {}

/** The session does not exist. */
export class SessionNotFoundError extends ChatHistoryError {
  readonly sessionId: string;
  constructor(sessionId: string) {
    super(`Session ${JSON.stringify(sessionId)} does not exist`);
    this.sessionId = sessionId;
  }
}

/** A compare-and-set write kept losing to concurrent writers of the same record; retry later. */
export class ConcurrentModificationError extends ChatHistoryError {}

/** `sessions.create` was given the id of a session that already exists. */
export class SessionAlreadyExistsError extends ChatHistoryError {
  readonly sessionId: string;
  constructor(sessionId: string) {
    super(`Session ${JSON.stringify(sessionId)} already exists`);
    this.sessionId = sessionId;
  }
}
