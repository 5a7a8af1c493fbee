import { errors, types } from 'cassandra-driver';
import fc from 'fast-check';
import {
  AuthenticationError,
  AuthorizationError,
  ChatHistoryError,
  ConnectionError,
  QueryError,
  RequestTimeoutError,
  SchemaNotMigratedError,
  UnavailableError,
} from '../../src/errors';
import { redactServerMessage, translateDriverError, withDriverErrors } from '../../src/driver/driver-errors';

const codes = types.responseErrorCodes;
const context = { operation: 'addMessage', keyspace: 'chat', table: 'chat_messages' };
const USER = 'app_user_7f3a';
const PASSWORD = 'Pw-9c1e-not-for-logs';
const CONTENT = 'my card number is 4111-1111';

/** A ResponseError as the driver's reader builds it: code, server message, then the extra fields. */
function responseError(code: number, message: string, extra: Record<string, unknown> = {}): errors.ResponseError {
  return Object.assign(new errors.ResponseError(code, message), extra);
}

function socketError(message: string, extra: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { isSocketError: true }, extra);
}

function expectNoSecret(error: Error): void {
  for (const secret of [USER, PASSWORD, CONTENT, '4111']) {
    expect(error.message).not.toContain(secret);
  }
}

describe('translateDriverError', () => {
  it.each<[string, unknown, new (...args: never[]) => ChatHistoryError, RegExp]>([
    [
      'NoHostAvailable of connection refusals',
      new errors.NoHostAvailableError({
        '127.0.0.3:9042': Object.assign(new Error('connect ECONNREFUSED 127.0.0.3:9042'), { code: 'ECONNREFUSED' }),
      }),
      ConnectionError,
      /no Cassandra node could be reached \(tried 127\.0\.0\.3:9042: ECONNREFUSED\).*CASSANDRA_CONTACT_POINTS/,
    ],
    [
      'NoHostAvailable with no host to try',
      new errors.NoHostAvailableError({}),
      ConnectionError,
      /no host was available to try/,
    ],
    [
      'NoHostAvailable of bad credentials',
      new errors.NoHostAvailableError({
        '127.0.0.2:9042': new errors.AuthenticationError(`Provided username ${USER} and/or password are incorrect`),
      }),
      AuthenticationError,
      /rejected the login on 127\.0\.0\.2:9042\. Check CASSANDRA_USERNAME and CASSANDRA_PASSWORD/,
    ],
    [
      'NoHostAvailable of client timeouts',
      new errors.NoHostAvailableError({
        '127.0.0.3:9042': new errors.OperationTimedOutError(
          'The host 127.0.0.3:9042 did not reply before timeout 500 ms',
          '127.0.0.3:9042',
        ),
      }),
      RequestTimeoutError,
      /no node answered in time \(tried 127\.0\.0\.3:9042: timed out\)\. If this was a write, its outcome is unknown/,
    ],
    [
      'NoHostAvailable of overloaded coordinators',
      new errors.NoHostAvailableError({ '127.0.0.1:9042': responseError(codes.overloaded, 'Server is overloaded') }),
      UnavailableError,
      /unable to serve the request \(tried 127\.0\.0\.1:9042: overloaded\)\. Nothing was applied/,
    ],
    [
      'client-side read timeout',
      new errors.OperationTimedOutError(
        'The host 127.0.0.1:9042 did not reply before timeout 12000 ms',
        '127.0.0.1:9042',
      ),
      RequestTimeoutError,
      /no answer from 127\.0\.0\.1:9042 within the client's read timeout.*same message ids is safe/,
    ],
    [
      'server write timeout',
      responseError(codes.writeTimeout, 'Server timeout during write query', {
        consistencies: types.consistencies.quorum,
        received: 1,
        blockFor: 2,
        writeType: 'SIMPLE',
      }),
      RequestTimeoutError,
      /write timed out on the server at quorum \(1 of 2 replicas acknowledged, write type SIMPLE\)\. The outcome is unknown/,
    ],
    [
      'server read timeout',
      responseError(codes.readTimeout, 'Server timeout during read query', {
        consistencies: types.consistencies.localOne,
        received: 0,
        blockFor: 1,
        isDataPresent: 0,
      }),
      RequestTimeoutError,
      /read timed out on the server at localOne \(0 of 1 replicas answered\)/,
    ],
    [
      'unavailable replicas',
      responseError(codes.unavailableException, 'Not enough replicas', {
        consistencies: types.consistencies.localQuorum,
        required: 2,
        alive: 1,
      }),
      UnavailableError,
      /not enough replicas are alive for localQuorum \(2 required, 1 alive\)\. Nothing was applied/,
    ],
    [
      'NoHostAvailable of unavailable replicas (the retry policy tried the next host)',
      new errors.NoHostAvailableError({
        '127.0.1.1:9042': responseError(codes.unavailableException, 'Cannot achieve consistency level LOCAL_QUORUM', {
          consistencies: types.consistencies.localQuorum,
          required: 2,
          alive: 1,
        }),
      }),
      UnavailableError,
      /not enough replicas are alive for localQuorum \(2 required, 1 alive\)\. Nothing was applied.* \(tried 127\.0\.1\.1:9042\)$/,
    ],
    [
      'overloaded coordinator',
      responseError(codes.overloaded, 'overloaded'),
      UnavailableError,
      /\(overloaded\)\. Nothing was applied/,
    ],
    [
      'bootstrapping coordinator',
      responseError(codes.isBootstrapping, 'bootstrapping'),
      UnavailableError,
      /isBootstrapping/,
    ],
    ['truncate error', responseError(codes.truncateError, 'truncate failed'), UnavailableError, /truncateError/],
    [
      'bad credentials response',
      responseError(codes.badCredentials, `Provided username ${USER} and/or password are incorrect`),
      AuthenticationError,
      /rejected the login\. Check CASSANDRA_USERNAME/,
    ],
    [
      'driver authentication error',
      new errors.AuthenticationError(`Provided username ${USER} and/or password are incorrect`),
      AuthenticationError,
      /rejected the login/,
    ],
    [
      'unauthorized',
      responseError(
        codes.unauthorized,
        `User ${USER} has no MODIFY permission on <table chat.chat_messages> or any of its parents`,
      ),
      AuthorizationError,
      /not allowed to do this \(User … has no MODIFY permission on <table chat\.chat_messages> or any of its parents\)\. Grant/,
    ],
    [
      'missing keyspace',
      responseError(codes.invalid, 'keyspace chat does not exist'),
      SchemaNotMigratedError,
      /schema is missing in keyspace "chat" \(addMessage on chat\.chat_messages failed: keyspace chat does not exist\)\. Run the migrations first/,
    ],
    [
      'missing table',
      responseError(codes.invalid, 'table chat_messages does not exist'),
      SchemaNotMigratedError,
      /keyspace "chat" \(addMessage on chat\.chat_messages failed: table chat_messages does not exist\)/,
    ],
    [
      "missing table, Cassandra 5.0's wording",
      responseError(codes.invalid, "Table 'chat.chat_messages' doesn't exist"),
      SchemaNotMigratedError,
      /table chat\.chat_messages does not exist/,
    ],
    [
      "missing keyspace, Cassandra 5.0's wording",
      responseError(codes.invalid, "Keyspace 'chat' doesn't exist"),
      SchemaNotMigratedError,
      /keyspace chat does not exist/,
    ],
    [
      'unconfigured table (older servers)',
      responseError(codes.invalid, 'unconfigured table chat_messages'),
      SchemaNotMigratedError,
      /table chat_messages does not exist/,
    ],
    [
      'missing column (a later migration not applied)',
      responseError(codes.invalid, 'Undefined column name tool_calls in table chat.chat_messages'),
      SchemaNotMigratedError,
      /column tool_calls does not exist/,
    ],
    [
      'other invalid request',
      responseError(codes.invalid, 'Key may not be empty'),
      QueryError,
      /rejected the request as invalid: Key may not be empty/,
    ],
    [
      'syntax error',
      responseError(codes.syntaxError, "line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)"),
      QueryError,
      /as syntaxError: line 1:0 no viable alternative at input '…' \(…\)/,
    ],
    [
      'write failure',
      responseError(codes.writeFailure, 'Operation failed'),
      QueryError,
      /replicas failed the write.*may have been applied/,
    ],
    [
      'read failure',
      responseError(codes.readFailure, 'Operation failed'),
      QueryError,
      /replicas failed the read.*tombstone/,
    ],
    ['server error', responseError(codes.serverError, 'java.lang.RuntimeException'), QueryError, /\(serverError\)/],
    ['protocol error', responseError(codes.protocolError, 'bad frame'), QueryError, /\(protocolError\)/],
    [
      'socket closed mid-request',
      socketError('Socket was closed', {
        innerError: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      }),
      ConnectionError,
      /closed while the request was in flight \(ECONNRESET\)\. If this was a write, its outcome is unknown/,
    ],
    [
      'socket closed before the request was written',
      socketError('Socket was closed', { requestNotWritten: true }),
      ConnectionError,
      /closed before the request was sent \(connection closed\)\. Nothing was applied/,
    ],
    [
      'every connection busy',
      new errors.BusyConnectionError('127.0.0.1:9042', 2048, 1),
      UnavailableError,
      /maximum number of requests in flight/,
    ],
    [
      'driver argument error',
      new errors.ArgumentError('Invalid consistency level'),
      QueryError,
      /driver refused the request \(ArgumentError/,
    ],
    [
      'encoder type mismatch',
      new TypeError(`Expected String, obtained '${CONTENT}'`),
      QueryError,
      /bound value does not match its column type \(Expected String, obtained '…'\)/,
    ],
  ])('maps %s', (_label, driverError, expectedClass, expectedMessage) => {
    const translated = translateDriverError(driverError, context);
    expect(translated).toBeInstanceOf(expectedClass);
    expect(translated).toBeInstanceOf(ChatHistoryError);
    expect(translated.name).toBe(expectedClass.name);
    expect(translated.message).toMatch(expectedMessage);
    expect(translated.message).toContain('addMessage on chat.chat_messages failed');
    expect(translated.cause).toBe(driverError);
    expectNoSecret(translated);
  });

  it('gives QueryError the driver code name', () => {
    const translated = translateDriverError(responseError(codes.writeFailure, 'x'), context);
    expect(translated).toBeInstanceOf(QueryError);
    expect((translated as QueryError).code).toBe('writeFailure');
  });

  it('wraps unknown errors and non-errors in the base class without their text', () => {
    const weird = translateDriverError(new RangeError(`boom ${CONTENT}`), { operation: 'getMessages' });
    expect(weird.constructor).toBe(ChatHistoryError);
    expect(weird.message).toBe('getMessages failed: unexpected RangeError (see cause)');
    const thrownString = translateDriverError(`text ${PASSWORD}`, { operation: 'x', keyspace: 'ks' });
    expect(thrownString.message).toBe('x in keyspace ks failed: unexpected string (see cause)');
  });

  it('passes ChatHistoryErrors through unchanged', () => {
    const original = new SchemaNotMigratedError('chat', 'table chat_messages does not exist');
    expect(translateDriverError(original, context)).toBe(original);
  });

  it('uses the keyspace named by the server when the context has none', () => {
    const translated = translateDriverError(responseError(codes.invalid, 'keyspace other_ks does not exist'), {
      operation: 'connect',
    });
    expect(translated).toBeInstanceOf(SchemaNotMigratedError);
    expect(translated.message).toContain('keyspace "other_ks"');
  });

  it('never shows credentials, whatever the user name and password', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9_]{8,24}$/).map((s) => `S3cr_${s}`);
    fc.assert(
      fc.property(secret, secret, (user, password) => {
        const serverText = `Provided username ${user} and/or password ${password} are incorrect`;
        const candidates: unknown[] = [
          responseError(codes.badCredentials, serverText),
          new errors.AuthenticationError(serverText),
          new errors.NoHostAvailableError({ '10.0.0.1:9042': new errors.AuthenticationError(serverText) }),
          new errors.NoHostAvailableError({ '10.0.0.1:9042': responseError(codes.badCredentials, serverText) }),
          responseError(codes.unauthorized, `User ${user} has no SELECT permission on <keyspace chat>`),
          responseError(codes.unauthorized, `Role ${user} is not permitted to log in`),
        ];
        for (const candidate of candidates) {
          const message = translateDriverError(candidate, context).message;
          expect(message).not.toContain(user);
          expect(message).not.toContain(password);
        }
      }),
    );
  });

  it('never shows quoted, parenthesised or hex literals the server echoes back', () => {
    const literal = fc.stringMatching(/^[A-Za-z0-9 _-]{6,30}$/).map((s) => `V4l_${s}`);
    fc.assert(
      fc.property(literal, (value) => {
        for (const serverText of [
          `Invalid STRING constant (${value}) for "v" of type int`,
          `Expected String, obtained '${value}'`,
          `Invalid value "${value}" for column`,
          `bad bytes [${value}]`,
        ]) {
          const message = translateDriverError(responseError(codes.invalid, serverText), context).message;
          expect(message).not.toContain(value);
        }
      }),
    );
  });
});

describe('redactServerMessage', () => {
  it('keeps the shape and drops literals', () => {
    expect(redactServerMessage(`Invalid STRING constant (x'y) for "v" of type int`)).toBe(
      'Invalid STRING constant (…) for "…" of type int',
    );
    expect(redactServerMessage('Invalid hex 0xdeadbeef here')).toBe('Invalid hex 0x… here');
    expect(redactServerMessage('x'.repeat(500))).toHaveLength(201);
  });
});

describe('withDriverErrors', () => {
  it('returns the value of a call that succeeds', async () => {
    await expect(withDriverErrors(context, async () => 42)).resolves.toBe(42);
  });

  it('rethrows driver errors translated, with the original as cause', async () => {
    const driverError = new errors.OperationTimedOutError('timed out', '127.0.0.1:9042');
    const failure = withDriverErrors(context, async () => {
      throw driverError;
    });
    await expect(failure).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(failure).rejects.toMatchObject({ cause: driverError });
  });

  it('rethrows errors of the package untouched', async () => {
    const original = new ConnectionError('already typed');
    await expect(
      withDriverErrors(context, async () => {
        throw original;
      }),
    ).rejects.toBe(original);
  });
});
