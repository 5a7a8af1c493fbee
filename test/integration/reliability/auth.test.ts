import { randomBytes } from 'node:crypto';
import { format } from 'node:util';
import { types, type Client } from 'cassandra-driver';
import { ChatHistoryStore } from '../../../src';
import { createClient } from '../../../src/config';
import { AuthenticationError, AuthorizationError } from '../../../src/errors';
import { translateDriverError, withDriverErrors } from '../../../src/driver/driver-errors';
import { uniqueKeyspaceName } from '../../support/cassandra';
import { AUTH_NODE, DEFAULT_SUPERUSER, nodeEnv, useLocalNode } from '../../support/nodes';
import { applySchema } from '../../support/schema';

// At file level, so the node is stopped only after every hook of the tests below has run.
useLocalNode(AUTH_NODE);

// A second, independent node with PasswordAuthenticator (127.0.0.2): the package connects through
// createClient() with credentials from the environment, an application role with keyspace-scoped
// grants works, and every failure is typed and free of credentials.
describe('a PasswordAuthenticator node', () => {
  const keyspace = uniqueKeyspaceName('auth');
  const otherKeyspace = uniqueKeyspaceName('auth_other');
  const appRole = `app_${randomBytes(4).toString('hex')}`;
  const appPassword = `pw-${randomBytes(12).toString('hex')}`;
  const secrets = [appRole, appPassword, DEFAULT_SUPERUSER.password];

  let admin: Client;
  let app: Client;
  const console_: string[] = [];

  beforeAll(async () => {
    // Everything the driver or the package might print during these tests is captured and checked.
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        console_.push(format(...args));
      });
    }
    admin = createClient({}, nodeEnv(AUTH_NODE, DEFAULT_SUPERUSER));
    await admin.connect();
    for (const ks of [keyspace, otherKeyspace]) {
      await admin.execute(
        `CREATE KEYSPACE ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
      );
    }
    await applySchema(admin, keyspace);
    await applySchema(admin, otherKeyspace);
    // DDL takes no bind markers; both values are generated here, from [a-z0-9_-] only.
    await admin.execute(`CREATE ROLE ${appRole} WITH PASSWORD = '${appPassword}' AND LOGIN = true`);
    await admin.execute(`GRANT SELECT ON KEYSPACE ${keyspace} TO ${appRole}`);
    await admin.execute(`GRANT MODIFY ON KEYSPACE ${keyspace} TO ${appRole}`);
    app = createClient({}, nodeEnv(AUTH_NODE, { username: appRole, password: appPassword }));
    await app.connect();
  }, 120_000);

  afterAll(async () => {
    await app?.shutdown();
    if (admin) {
      for (const ks of [keyspace, otherKeyspace])
        await admin.execute(`DROP KEYSPACE IF EXISTS ${ks}`).catch(() => undefined);
      await admin.execute(`DROP ROLE IF EXISTS ${appRole}`).catch(() => undefined);
      await admin.shutdown();
    }
    jest.restoreAllMocks();
  }, 60_000);

  it('has the default superuser, created at start-up', async () => {
    const rs = await admin.execute('SELECT role, is_superuser, can_login FROM system_auth.roles WHERE role = ?', [
      DEFAULT_SUPERUSER.username,
    ]);
    expect(rs.first().get('is_superuser')).toBe(true);
    expect(rs.first().get('can_login')).toBe(true);
  });

  it('lets the application role write and read its keyspace with prepared statements', async () => {
    const id = types.TimeUuid.now();
    await app.execute(
      `INSERT INTO ${keyspace}.chat_messages (session_id, bucket, message_id, role, content) VALUES (?, ?, ?, ?, ?)`,
      ['s-auth', types.Long.fromNumber(0), id, 'user', 'hello from the app role'],
      { prepare: true },
    );
    const rs = await app.execute(
      `SELECT message_id, content FROM ${keyspace}.chat_messages WHERE session_id = ? AND bucket = ?`,
      ['s-auth', types.Long.fromNumber(0)],
      { prepare: true },
    );
    expect(rs.rows.map((r) => [r.get('message_id').toString(), r.get('content')])).toEqual([
      [id.toString(), 'hello from the app role'],
    ]);
  });

  it('refuses the application role outside its grants with a typed AuthorizationError', async () => {
    const failure = withDriverErrors(
      { operation: 'getMessages', keyspace: otherKeyspace, table: 'chat_messages' },
      () =>
        app.execute(
          `SELECT * FROM ${otherKeyspace}.chat_messages WHERE session_id = ? AND bucket = ?`,
          ['s', types.Long.ZERO],
          {
            prepare: true,
          },
        ),
    );
    const error = await failure.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationError);
    expect((error as Error).message).toMatch(/no SELECT permission on <table .*chat_messages>.*GRANT/);
    for (const secret of secrets) expect((error as Error).message).not.toContain(secret);
  });

  it('turns a wrong password into an AuthenticationError that names no secret', async () => {
    const wrongPassword = `wrong-${randomBytes(8).toString('hex')}`;
    const client = createClient({}, nodeEnv(AUTH_NODE, { username: appRole, password: wrongPassword }));
    try {
      const raw = await client.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(raw).toBeDefined();
      const error = translateDriverError(raw, { operation: 'connect', keyspace });
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toMatch(
        /rejected the login on 127\.0\.0\.2:9042\. Check CASSANDRA_USERNAME and CASSANDRA_PASSWORD/,
      );
      expect(error.cause).toBe(raw);
      for (const secret of [...secrets, wrongPassword]) {
        expect(error.message).not.toContain(secret);
        expect(String(error)).not.toContain(secret);
      }
    } finally {
      await client.shutdown();
    }
  });

  it('turns missing credentials into an AuthenticationError too', async () => {
    const client = createClient({}, nodeEnv(AUTH_NODE));
    try {
      const error = await withDriverErrors({ operation: 'connect' }, () => client.connect()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
    } finally {
      await client.shutdown();
    }
  });

  it('writes and reads messages through the facade as the application role', async () => {
    const store = new ChatHistoryStore({ client: app, keyspace });
    const history = store.history('auth-facade');
    await history.addUserMessage('hi from a least-privilege role');
    await history.addMessages([
      { role: 'assistant', content: 'hello', metadata: { model: 'm' } },
      { role: 'user', content: 'bye' },
    ]);
    const messages = await history.getMessages();
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'hi from a least-privilege role'],
      ['assistant', 'hello'],
      ['user', 'bye'],
    ]);
    expect(await history.count()).toBe(3);
  });

  it('reports missing grants through the facade as AuthorizationError, naming no secret', async () => {
    const store = new ChatHistoryStore({ client: app, keyspace: otherKeyspace });
    const error = await store
      .history('no-grant')
      .addUserMessage('should not land')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationError);
    for (const secret of secrets) expect((error as Error).message).not.toContain(secret);
    const rs = await admin.execute(`SELECT count(*) FROM ${otherKeyspace}.chat_messages`);
    expect(Number(rs.first().get('count'))).toBe(0);
  });

  it('reports a wrong password through the facade as AuthenticationError, naming no secret', async () => {
    const wrongPassword = `wrong-${randomBytes(8).toString('hex')}`;
    const client = createClient({}, nodeEnv(AUTH_NODE, { username: appRole, password: wrongPassword }));
    const store = new ChatHistoryStore({ client, keyspace, ownsClient: true });
    try {
      const error = await store
        .history('s')
        .getMessages()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      for (const secret of [...secrets, wrongPassword]) expect((error as Error).message).not.toContain(secret);
    } finally {
      await store.close();
    }
  });

  it('printed no credentials to the console', () => {
    for (const line of console_) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
  });
});
