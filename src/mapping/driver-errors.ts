/**
 * Turns cassandra-driver errors into the package's typed errors (src/errors.ts), so callers branch on
 * `instanceof` and get a message that says what happened and what to do.
 *
 * Messages are built from facts we control (the operation, keyspace and table names, response codes,
 * consistency levels, host addresses), never from the driver's text verbatim: the server's
 * bad-credentials message names the user, a NoHostAvailableError embeds its inner errors' messages,
 * and the driver's encoder quotes the offending bound value. Server text is only shown after
 * {@link redactServerMessage}. The driver error itself is kept as `cause` for debugging.
 */
import { errors as driverErrors, types } from 'cassandra-driver';
import {
  AuthenticationError,
  AuthorizationError,
  ChatHistoryError,
  ConnectionError,
  QueryError,
  RequestTimeoutError,
  SchemaNotMigratedError,
  UnavailableError,
} from '../errors';

/** What was being done when the driver failed; names only, never values. */
export interface DriverErrorContext {
  /** The public operation, e.g. `addMessage` or `ChatHistory.getMessages`. */
  readonly operation: string;
  readonly keyspace?: string;
  readonly table?: string;
  /**
   * A statement of a migration file: a missing table or column is that statement's error (a
   * {@link QueryError} with code `invalid`), not a schema to migrate first.
   */
  readonly migrationStatement?: boolean;
}

const codes = types.responseErrorCodes;

const responseCodeNames: ReadonlyMap<number, string> = new Map(
  Object.entries(codes)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, code]) => [code, name]),
);

const consistencyNames: ReadonlyMap<number, string> = new Map(
  Object.entries(types.consistencies)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, code]) => [code, name]),
);

/** Extra fields the driver's response reader attaches to a ResponseError, by response code. */
interface ResponseErrorDetails {
  readonly consistencies?: number;
  readonly received?: number;
  readonly blockFor?: number;
  readonly required?: number;
  readonly alive?: number;
  readonly writeType?: string;
  readonly isDataPresent?: number | boolean;
  readonly keyspace?: string;
}

/** Flags the driver sets on errors of a broken socket. */
interface SocketErrorFlags {
  readonly isSocketError?: boolean;
  readonly requestNotWritten?: boolean;
  readonly innerError?: unknown;
  readonly code?: unknown;
}

const unavailableCodes: ReadonlySet<number> = new Set([
  codes.unavailableException,
  codes.overloaded,
  codes.isBootstrapping,
  codes.truncateError,
]);

function where(context: DriverErrorContext): string {
  if (context.keyspace !== undefined && context.table !== undefined) return ` on ${context.keyspace}.${context.table}`;
  if (context.keyspace !== undefined) return ` in keyspace ${context.keyspace}`;
  if (context.table !== undefined) return ` on table ${context.table}`;
  return '';
}

function failed(context: DriverErrorContext): string {
  return `${context.operation}${where(context)} failed`;
}

function consistencyName(value: number | undefined): string {
  return value === undefined ? 'the requested consistency' : (consistencyNames.get(value) ?? `consistency ${value}`);
}

/**
 * Keeps the shape of a server message and drops anything that could be a value: quoted or
 * parenthesised text (where Cassandra echoes literals), hex blobs, and the tail of long messages.
 */
export function redactServerMessage(message: string): string {
  const redacted = message
    .replace(/\([^()]*\)?/g, '(…)')
    .replace(/\[[^[\]]*\]?/g, '[…]')
    .replace(/'(?:[^']|'')*'?/g, "'…'")
    .replace(/"(?:[^"]|"")*"?/g, '"…"')
    .replace(/0x[0-9a-fA-F]+/g, '0x…')
    // Role names are half of a login: "User app has no MODIFY permission on <table ks.t>".
    .replace(/\b(user|role|username)\s+(?!…)[^\s,;:]+/gi, '$1 …')
    .replace(/\s+/g, ' ')
    .trim();
  return redacted.length > 200 ? `${redacted.slice(0, 200)}…` : redacted;
}

/** "keyspace x does not exist", "table x does not exist", "unconfigured table x", "Undefined column name x". */
function missingSchemaDetail(message: string): { keyspace?: string; detail: string } | undefined {
  // Cassandra 5.0 says "doesn't exist" where earlier versions said "does not exist".
  const keyspace = /keyspace '?"?([A-Za-z0-9_]+)'?"? (?:does not|doesn't) exist/i.exec(message);
  if (keyspace) return { keyspace: keyspace[1], detail: `keyspace ${keyspace[1]} does not exist` };
  const table = /unconfigured table ([A-Za-z0-9_.]+)|table '?"?([A-Za-z0-9_.]+)'?"? (?:does not|doesn't) exist/i.exec(message);
  if (table) return { detail: `table ${table[1] ?? table[2]} does not exist` };
  const column = /Undefined column name ([A-Za-z0-9_]+)/i.exec(message);
  if (column) return { detail: `column ${column[1]} does not exist` };
  return undefined;
}

function hostList(innerErrors: unknown): string[] {
  return innerErrors !== null && typeof innerErrors === 'object' ? Object.keys(innerErrors) : [];
}

function innerErrorList(innerErrors: unknown): unknown[] {
  return innerErrors !== null && typeof innerErrors === 'object' ? Object.values(innerErrors) : [];
}

/** A short, secret-free reason for one host's failure: a system error code or an error class name. */
function reasonOf(error: unknown): string {
  if (error instanceof driverErrors.AuthenticationError) return 'authentication failed';
  if (error instanceof driverErrors.OperationTimedOutError) return 'timed out';
  if (error instanceof driverErrors.ResponseError) return responseCodeNames.get(error.code) ?? `response error ${error.code}`;
  if (error !== null && typeof error === 'object') {
    const flags = error as SocketErrorFlags;
    if (typeof flags.code === 'string' && /^E[A-Z]+$/.test(flags.code)) return flags.code;
    const inner = flags.innerError as SocketErrorFlags | undefined;
    if (inner && typeof inner.code === 'string' && /^E[A-Z]+$/.test(inner.code)) return inner.code;
    if (flags.isSocketError === true) return 'connection closed';
  }
  return error instanceof Error ? error.name : 'unknown error';
}

function isAuthFailure(error: unknown): boolean {
  return (
    error instanceof driverErrors.AuthenticationError ||
    (error instanceof driverErrors.ResponseError && error.code === codes.badCredentials)
  );
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof driverErrors.OperationTimedOutError ||
    (error instanceof driverErrors.ResponseError && (error.code === codes.readTimeout || error.code === codes.writeTimeout))
  );
}

const unknownOutcome =
  'If this was a write, its outcome is unknown: it may or may not have been applied; ' +
  'retrying it with the same message ids is safe.';

const credentialsAdvice =
  'Check CASSANDRA_USERNAME and CASSANDRA_PASSWORD (or the authProvider passed to the client); ' +
  'the role must exist and be allowed to log in.';

function fromNoHostAvailable(error: driverErrors.NoHostAvailableError, context: DriverErrorContext): ChatHistoryError {
  const hosts = hostList(error.innerErrors);
  const inner = innerErrorList(error.innerErrors);
  if (inner.length > 0 && inner.every(isAuthFailure)) {
    return new AuthenticationError(
      `${failed(context)}: Cassandra rejected the login on ${hosts.join(', ')}. ${credentialsAdvice}`,
      { cause: error },
    );
  }
  if (inner.some(isTimeout)) {
    return new RequestTimeoutError(
      `${failed(context)}: no node answered in time (${describeHosts(error.innerErrors)}). ${unknownOutcome}`,
      { cause: error },
    );
  }
  const notEnoughReplicas = inner.filter(
    (e): e is driverErrors.ResponseError => e instanceof driverErrors.ResponseError && e.code === codes.unavailableException,
  );
  if (notEnoughReplicas.length > 0 && notEnoughReplicas.length === inner.length) {
    // The driver's default retry policy retries an Unavailable once on the next host, so with
    // replicas down the caller gets it wrapped here: keep the consistency level and the counts.
    const first = fromResponseError(notEnoughReplicas[0], context);
    return new UnavailableError(`${first.message} (tried ${hosts.join(', ')})`, { cause: error });
  }
  if (inner.length > 0 && inner.every((e) => e instanceof driverErrors.ResponseError && unavailableCodes.has(e.code))) {
    return new UnavailableError(
      `${failed(context)}: every node tried was unable to serve the request (${describeHosts(error.innerErrors)}). ` +
        'Nothing was applied; retry later with backoff.',
      { cause: error },
    );
  }
  const tried = hosts.length > 0 ? describeHosts(error.innerErrors) : 'no host was available to try';
  return new ConnectionError(
    `${failed(context)}: no Cassandra node could be reached (${tried}). ` +
      'Check that the cluster is up and that CASSANDRA_CONTACT_POINTS, CASSANDRA_PORT and CASSANDRA_LOCAL_DC ' +
      'point at it; the driver keeps reconnecting in the background, so retrying later is safe.',
    { cause: error },
  );
}

function describeHosts(innerErrors: unknown): string {
  const entries = innerErrors !== null && typeof innerErrors === 'object' ? Object.entries(innerErrors) : [];
  if (entries.length === 0) return 'no host was available to try';
  const shown = entries.slice(0, 3).map(([host, inner]) => `${host}: ${reasonOf(inner)}`);
  const more = entries.length > 3 ? `, and ${entries.length - 3} more` : '';
  return `tried ${shown.join('; ')}${more}`;
}

function fromResponseError(error: driverErrors.ResponseError, context: DriverErrorContext): ChatHistoryError {
  const details = error as driverErrors.ResponseError & ResponseErrorDetails;
  const code = responseCodeNames.get(error.code) ?? `0x${error.code.toString(16)}`;
  switch (error.code) {
    case codes.writeTimeout:
      return new RequestTimeoutError(
        `${failed(context)}: the write timed out on the server at ${consistencyName(details.consistencies)} ` +
          `(${details.received ?? '?'} of ${details.blockFor ?? '?'} replicas acknowledged, write type ${details.writeType ?? 'unknown'}). ` +
          'The outcome is unknown: the write may or may not have been applied. Retrying with the same message ids is safe.',
        { cause: error },
      );
    case codes.readTimeout:
      return new RequestTimeoutError(
        `${failed(context)}: the read timed out on the server at ${consistencyName(details.consistencies)} ` +
          `(${details.received ?? '?'} of ${details.blockFor ?? '?'} replicas answered). Retry, read fewer rows, ` +
          "or raise the server's read_request_timeout.",
        { cause: error },
      );
    case codes.unavailableException:
      return new UnavailableError(
        `${failed(context)}: not enough replicas are alive for ${consistencyName(details.consistencies)} ` +
          `(${details.required ?? '?'} required, ${details.alive ?? '?'} alive). Nothing was applied; ` +
          'bring the nodes back or lower the consistency level, then retry.',
        { cause: error },
      );
    case codes.overloaded:
    case codes.isBootstrapping:
    case codes.truncateError:
      return new UnavailableError(
        `${failed(context)}: the coordinator could not take the request (${code}). Nothing was applied; retry later with backoff.`,
        { cause: error },
      );
    case codes.badCredentials:
      return new AuthenticationError(`${failed(context)}: Cassandra rejected the login. ${credentialsAdvice}`, {
        cause: error,
      });
    case codes.unauthorized:
      return new AuthorizationError(
        `${failed(context)}: the role is not allowed to do this (${redactServerMessage(error.message)}). ` +
          'Grant the permission, e.g. `GRANT SELECT, MODIFY ON KEYSPACE <keyspace> TO <role>`.',
        { cause: error },
      );
    case codes.invalid:
    case codes.syntaxError:
    case codes.configError: {
      const missing = missingSchemaDetail(error.message);
      if (missing && context.migrationStatement === true) {
        return new QueryError(`${failed(context)}: ${missing.detail}`, { cause: error, code });
      }
      if (missing) {
        return new SchemaNotMigratedError(
          missing.keyspace ?? context.keyspace ?? '(unknown)',
          `${failed(context)}: ${missing.detail}`,
          { cause: error },
        );
      }
      return new QueryError(
        `${failed(context)}: Cassandra rejected the request as ${code}: ${redactServerMessage(error.message)}`,
        { cause: error, code },
      );
    }
    case codes.readFailure:
    case codes.writeFailure:
      return new QueryError(
        `${failed(context)}: replicas failed the ${error.code === codes.readFailure ? 'read' : 'write'} at ` +
          `${consistencyName(details.consistencies)} (${code}; see the server logs, e.g. for tombstone overflow).` +
          (error.code === codes.writeFailure ? ' The write may have been applied on some replicas.' : ''),
        { cause: error, code },
      );
    default:
      return new QueryError(
        `${failed(context)}: Cassandra answered with an error (${code}): ${redactServerMessage(error.message)}`,
        { cause: error, code },
      );
  }
}

/**
 * Maps any error thrown while talking to Cassandra onto the package's error hierarchy. Errors that
 * already are {@link ChatHistoryError}s are returned unchanged.
 */
export function translateDriverError(error: unknown, context: DriverErrorContext): ChatHistoryError {
  if (error instanceof ChatHistoryError) return error;
  if (error instanceof driverErrors.NoHostAvailableError) return fromNoHostAvailable(error, context);
  if (error instanceof driverErrors.ResponseError) return fromResponseError(error, context);
  if (error instanceof driverErrors.OperationTimedOutError) {
    return new RequestTimeoutError(
      `${failed(context)}: no answer from ${error.host ?? 'the node'} within the client's read timeout ` +
        `(CASSANDRA_REQUEST_TIMEOUT_MS / socketOptions.readTimeout). ${unknownOutcome}`,
      { cause: error },
    );
  }
  if (error instanceof driverErrors.AuthenticationError) {
    return new AuthenticationError(`${failed(context)}: Cassandra rejected the login. ${credentialsAdvice}`, {
      cause: error,
    });
  }
  if (error instanceof driverErrors.BusyConnectionError) {
    return new UnavailableError(
      `${failed(context)}: every connection to the node has the maximum number of requests in flight. ` +
        'Nothing was sent; slow down, retry later, or raise pooling.maxRequestsPerConnection.',
      { cause: error },
    );
  }
  const flags = (error !== null && typeof error === 'object' ? error : {}) as SocketErrorFlags;
  if (flags.isSocketError === true) {
    return new ConnectionError(
      flags.requestNotWritten === true
        ? `${failed(context)}: the connection closed before the request was sent (${reasonOf(error)}). Nothing was applied; retry.`
        : `${failed(context)}: the connection closed while the request was in flight (${reasonOf(error)}). ${unknownOutcome}`,
      { cause: error },
    );
  }
  if (error instanceof driverErrors.ArgumentError || error instanceof driverErrors.NotSupportedError) {
    return new QueryError(
      `${failed(context)}: the driver refused the request (${error.name}: ${redactServerMessage(error.message)}).`,
      { cause: error, code: error.name },
    );
  }
  if (error instanceof TypeError && /^Expected .*obtained/i.test(error.message)) {
    // The driver's encoder: a bound value does not fit its column type. The value itself is not shown.
    return new QueryError(
      `${failed(context)}: a bound value does not match its column type (${redactServerMessage(error.message)}).`,
      { cause: error, code: 'TypeError' },
    );
  }
  const name = error instanceof Error ? error.name : typeof error;
  return new ChatHistoryError(`${failed(context)}: unexpected ${name} (see cause)`, { cause: error });
}

/**
 * Runs `fn` and rethrows anything it throws through {@link translateDriverError}. Wrap every call into
 * the driver or the Mapper with it.
 */
export async function withDriverErrors<T>(context: DriverErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translateDriverError(error, context);
  }
}
