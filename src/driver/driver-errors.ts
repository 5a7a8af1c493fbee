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
import { errors as driverErrors } from 'cassandra-driver';
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
import {
  codes,
  consistencyName,
  credentialsAdvice,
  describeHosts,
  type DriverErrorContext,
  failed,
  hostList,
  innerErrorList,
  isAuthFailure,
  isTimeout,
  missingSchemaDetail,
  reasonOf,
  redactServerMessage,
  type ResponseErrorDetails,
  responseCodeNames,
  type SocketErrorFlags,
  unavailableCodes,
  unknownOutcome,
} from './driver-error-text';

export { type DriverErrorContext, redactServerMessage } from './driver-error-text';

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
    (e): e is driverErrors.ResponseError =>
      e instanceof driverErrors.ResponseError && e.code === codes.unavailableException,
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
