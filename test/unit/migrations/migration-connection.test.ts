import { auth, Client, errors, policies, types } from 'cassandra-driver';
import { clientOptionsFrom, connectionSettingsFromEnv } from '../../../src/config';
import { translateDriverError } from '../../../src/driver/driver-errors';
import {
  isUnknownWriteOutcome,
  keyspaceClientOptions,
  MigrationConnection,
} from '../../../src/migrations/migration-connection';

describe('keyspaceClientOptions', () => {
  it('keeps connection, auth, TLS and timeouts, binds the keyspace, drops stateful policies', () => {
    const source = new Client({
      ...clientOptionsFrom(
        connectionSettingsFromEnv({
          CASSANDRA_CONTACT_POINTS: '10.1.1.1,10.1.1.2',
          CASSANDRA_LOCAL_DC: 'dc9',
          CASSANDRA_USERNAME: 'app',
          CASSANDRA_PASSWORD: 'secret',
          CASSANDRA_TLS: '1',
          CASSANDRA_REQUEST_TIMEOUT_MS: '7000',
        }),
      ),
      policies: { loadBalancing: new policies.loadBalancing.DCAwareRoundRobinPolicy('dc9') },
    });
    // The driver's resolved options, as the runner reads them.
    const resolved = (source as unknown as { options: ConstructorParameters<typeof Client>[0] }).options;
    const options = keyspaceClientOptions(resolved, 'chat');

    expect(options.keyspace).toBe('chat');
    expect(options.contactPoints).toEqual(['10.1.1.1', '10.1.1.2']);
    expect(options.localDataCenter).toBe('dc9');
    expect(options.authProvider).toBeInstanceOf(auth.PlainTextAuthProvider);
    expect(options.sslOptions).toMatchObject({ rejectUnauthorized: true });
    expect(options.socketOptions?.readTimeout).toBe(7000);
    expect(options.policies?.loadBalancing).toBeUndefined();
    expect(options.policies?.speculativeExecution).toBeUndefined();
    expect(options.policies?.retry).toBe(resolved.policies?.retry);
    expect(Object.values(options).includes(undefined)).toBe(false);
    // The derived options build a valid client (not connected: no network in unit tests).
    expect(() => new Client(options)).not.toThrow();
  });

  it('keeps only the bundle for Astra', () => {
    const options = keyspaceClientOptions(
      {
        cloud: { secureConnectBundle: '/tmp/bundle.zip' },
        contactPoints: ['filled-in-by-the-driver'],
        sslOptions: { rejectUnauthorized: true },
      },
      'chat',
    );
    expect(options.cloud).toEqual({ secureConnectBundle: '/tmp/bundle.zip' });
    expect(options.contactPoints).toBeUndefined();
    expect(options.sslOptions).toBeUndefined();
  });
});

describe('isUnknownWriteOutcome', () => {
  // It is given errors as MigrationConnection throws them: translated into the package's typed errors.
  const unknown = (error: Error) =>
    isUnknownWriteOutcome(translateDriverError(error, { operation: 'MigrationRunner' }));
  it('is true for write timeouts and client-side timeouts only', () => {
    expect(unknown(new errors.ResponseError(types.responseErrorCodes.writeTimeout, 'x'))).toBe(true);
    expect(unknown(new errors.OperationTimedOutError('x'))).toBe(true);
    expect(unknown(new errors.ResponseError(types.responseErrorCodes.unavailableException, 'x'))).toBe(false);
    expect(unknown(new errors.ResponseError(types.responseErrorCodes.invalid, 'x'))).toBe(false);
    expect(unknown(new Error('x'))).toBe(false);
  });
});

describe('MigrationConnection.query reads every page', () => {
  it('reads on after a short page that has a page state, passing the state back', async () => {
    const pages = [
      { rows: [{ version: 1 }], pageState: 'p1' },
      { rows: [{ version: 2 }, { version: 3 }], pageState: 'p2' },
      { rows: [], pageState: 'p3' },
      { rows: [{ version: 4 }], pageState: null },
    ];
    const seenStates: unknown[] = [];
    const client = {
      execute: async (_cql: string, _params: unknown[], options: { pageState?: string }) => {
        seenStates.push(options.pageState);
        return pages[seenStates.length - 1];
      },
    };
    const session = new MigrationConnection(client as unknown as Client, 'chat');
    const outcome = await session.query('SELECT version FROM chat.history WHERE keyspace_name = ?', ['chat']);
    expect(outcome.rows.map((r) => r.version)).toEqual([1, 2, 3, 4]);
    expect(seenStates).toEqual([undefined, 'p1', 'p2', 'p3']);
  });
});
