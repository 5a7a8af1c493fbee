/** The facts driver-errors.ts builds its messages from: response codes, hosts and their failures, redaction. */
import { errors as driverErrors, types } from 'cassandra-driver';

/** What was being done when the driver failed; names only, never values. */
export interface DriverErrorContext {
  /** The public operation, e.g. `addMessage` or `ChatHistory.getMessages`. */
  readonly operation: string;
  readonly keyspace?: string;
  readonly table?: string;
  /**
   * A statement of a migration file: a missing table or column is that statement's error (a
   * QueryError with code `invalid`), not a schema to migrate first.
   */
  readonly migrationStatement?: boolean;
}

export const codes = types.responseErrorCodes;

export const responseCodeNames: ReadonlyMap<number, string> = new Map(
  Object.entries(codes)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, code]) => [code, name]),
);

export const consistencyNames: ReadonlyMap<number, string> = new Map(
  Object.entries(types.consistencies)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, code]) => [code, name]),
);

/** Extra fields the driver's response reader attaches to a ResponseError, by response code. */
export interface ResponseErrorDetails {
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
export interface SocketErrorFlags {
  readonly isSocketError?: boolean;
  readonly requestNotWritten?: boolean;
  readonly innerError?: unknown;
  readonly code?: unknown;
}

export const unavailableCodes: ReadonlySet<number> = new Set([
  codes.unavailableException,
  codes.overloaded,
  codes.isBootstrapping,
  codes.truncateError,
]);

export function where(context: DriverErrorContext): string {
  if (context.keyspace !== undefined && context.table !== undefined) return ` on ${context.keyspace}.${context.table}`;
  if (context.keyspace !== undefined) return ` in keyspace ${context.keyspace}`;
  if (context.table !== undefined) return ` on table ${context.table}`;
  return '';
}

export function failed(context: DriverErrorContext): string {
  return `${context.operation}${where(context)} failed`;
}

export function consistencyName(value: number | undefined): string {
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
export function missingSchemaDetail(message: string): { keyspace?: string; detail: string } | undefined {
  // Cassandra 5.0 says "doesn't exist" where earlier versions said "does not exist".
  const keyspace = /keyspace '?"?([A-Za-z0-9_]+)'?"? (?:does not|doesn't) exist/i.exec(message);
  if (keyspace) return { keyspace: keyspace[1], detail: `keyspace ${keyspace[1]} does not exist` };
  const table = /unconfigured table ([A-Za-z0-9_.]+)|table '?"?([A-Za-z0-9_.]+)'?"? (?:does not|doesn't) exist/i.exec(
    message,
  );
  if (table) return { detail: `table ${table[1] ?? table[2]} does not exist` };
  const column = /Undefined column name ([A-Za-z0-9_]+)/i.exec(message);
  if (column) return { detail: `column ${column[1]} does not exist` };
  return undefined;
}

export function hostList(innerErrors: unknown): string[] {
  return innerErrors !== null && typeof innerErrors === 'object' ? Object.keys(innerErrors) : [];
}

export function innerErrorList(innerErrors: unknown): unknown[] {
  return innerErrors !== null && typeof innerErrors === 'object' ? Object.values(innerErrors) : [];
}

/** A short, secret-free reason for one host's failure: a system error code or an error class name. */
export function reasonOf(error: unknown): string {
  if (error instanceof driverErrors.AuthenticationError) return 'authentication failed';
  if (error instanceof driverErrors.OperationTimedOutError) return 'timed out';
  if (error instanceof driverErrors.ResponseError)
    return responseCodeNames.get(error.code) ?? `response error ${error.code}`;
  if (error !== null && typeof error === 'object') {
    const flags = error as SocketErrorFlags;
    if (typeof flags.code === 'string' && /^E[A-Z]+$/.test(flags.code)) return flags.code;
    const inner = flags.innerError as SocketErrorFlags | undefined;
    if (inner && typeof inner.code === 'string' && /^E[A-Z]+$/.test(inner.code)) return inner.code;
    if (flags.isSocketError === true) return 'connection closed';
  }
  return error instanceof Error ? error.name : 'unknown error';
}

export function isAuthFailure(error: unknown): boolean {
  return (
    error instanceof driverErrors.AuthenticationError ||
    (error instanceof driverErrors.ResponseError && error.code === codes.badCredentials)
  );
}

export function isTimeout(error: unknown): boolean {
  return (
    error instanceof driverErrors.OperationTimedOutError ||
    (error instanceof driverErrors.ResponseError &&
      (error.code === codes.readTimeout || error.code === codes.writeTimeout))
  );
}

export const unknownOutcome =
  'If this was a write, its outcome is unknown: it may or may not have been applied; ' +
  'retrying it with the same message ids is safe.';

export const credentialsAdvice =
  'Check CASSANDRA_USERNAME and CASSANDRA_PASSWORD (or the authProvider passed to the client); ' +
  'the role must exist and be allowed to log in.';

export function describeHosts(innerErrors: unknown): string {
  const entries = innerErrors !== null && typeof innerErrors === 'object' ? Object.entries(innerErrors) : [];
  if (entries.length === 0) return 'no host was available to try';
  const shown = entries.slice(0, 3).map(([host, inner]) => `${host}: ${reasonOf(inner)}`);
  const more = entries.length > 3 ? `, and ${entries.length - 3} more` : '';
  return `tried ${shown.join('; ')}${more}`;
}
