import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'cassandra-driver';
import { errors, types } from 'cassandra-driver';
import { main } from '../../../src/cli/migrate';
import { AuthenticationError, AuthorizationError, MigrationError } from '../../../src/errors';
import { MigrationRunner } from '../../../src/migrations';
import { FakeCluster } from './fake-cluster';

/**
 * The server's answers can name the login role ("Provided username app_login and/or password are
 * incorrect", "User app_login has no CREATE permission on ..."). The migrations path shows errors on
 * the CLI, in events and in the history table's `error` column: none of them may carry the name.
 */
const LOGIN = 'app_login_7f3a';
const KS = 'secrecy';

const badLogin = (): errors.NoHostAvailableError =>
  new errors.NoHostAvailableError({
    '127.0.1.1:9042': new errors.AuthenticationError(`Provided username ${LOGIN} and/or password are incorrect`),
    '127.0.1.2:9042': new errors.AuthenticationError(`Provided username ${LOGIN} and/or password are incorrect`),
  });
const noPermission = (what: string): errors.ResponseError =>
  new errors.ResponseError(
    types.responseErrorCodes.unauthorized,
    `User ${LOGIN} has no ${what} permission on <keyspace ${KS}> or any of its parents`,
  );

describe('migrations never show the login name of a driver error', () => {
  let dir: string;
  let cluster: FakeCluster;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cch-secrecy-'));
    cluster = new FakeCluster();
    writeFileSync(join(dir, 'V0001__one.cql'), 'CREATE TABLE IF NOT EXISTS one (id int PRIMARY KEY);\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const runner = (client: Client = cluster.client(KS)): MigrationRunner =>
    new MigrationRunner({
      client,
      keyspace: KS,
      directory: dir,
      replication: { class: 'SimpleStrategy', replicationFactor: 3 },
      lockWaitTimeoutMs: 300,
      lockPollIntervalMs: 20,
      schemaAgreementTimeoutMs: 300,
    });
  const failure = async (promise: Promise<unknown>): Promise<Error> => {
    try {
      await promise;
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a rejection');
  };
  const everything = (error: Error): string => `${error.name} ${error.message}`;

  it('a rejected login: AuthenticationError without the name, from up() and from the CLI', async () => {
    const client = cluster.client(KS);
    (client as unknown as { connect: () => Promise<void> }).connect = async () => {
      throw badLogin();
    };
    const error = await failure(runner(client).up());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(everything(error)).not.toContain(LOGIN);
    expect(error.message).toContain('127.0.1.1:9042');

    const out: string[] = [];
    const code = await main(['up', '--dir', dir], {
      env: { CASSANDRA_KEYSPACE: KS },
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      createClient: () => client,
    });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/^error: AuthenticationError: /m);
    expect(out.join('\n')).not.toContain(LOGIN);
    const json: string[] = [];
    await main(['up', '--json', '--dir', dir], {
      env: { CASSANDRA_KEYSPACE: KS },
      out: (t) => json.push(t),
      err: (t) => json.push(t),
      createClient: () => client,
    });
    expect(json.join('\n')).toContain('"name":"AuthenticationError"');
    expect(json.join('\n')).not.toContain(LOGIN);
  });

  it('a statement refused for lack of permission: the FAILED history row, the error and the events stay nameless', async () => {
    cluster.hook = (query) => {
      if (query.startsWith('CREATE TABLE IF NOT EXISTS one')) throw noPermission('CREATE');
    };
    const r = runner();
    const events: string[] = [];
    r.on('migration-failed', (e) => events.push(e.error));
    const error = await failure(r.up());
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.cause).toBeInstanceOf(AuthorizationError);
    expect(error.message).toMatch(/the role is not allowed to do this/);
    expect(everything(error)).not.toContain(LOGIN);
    expect(everything(error.cause as Error)).not.toContain(LOGIN);
    const row = cluster.history.get(1);
    expect(row?.state).toBe('FAILED');
    expect(String(row?.error)).toMatch(/not allowed/);
    expect(String(row?.error)).not.toContain(LOGIN);
    expect(events).toHaveLength(1);
    expect(events[0]).not.toContain(LOGIN);
  });

  it('the lock refused for lack of permission: MigrationError without the name', async () => {
    cluster.hook = (query) => {
      if (query.startsWith(`INSERT INTO ${KS}.schema_migrations_lock`)) throw noPermission('MODIFY');
    };
    const error = await failure(runner().up());
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toMatch(/^Could not take the migration lock: /);
    expect(everything(error)).not.toContain(LOGIN);
  });

  it('the keyspace refused for lack of permission: AuthorizationError without the name', async () => {
    cluster.hook = (query) => {
      if (query.startsWith('CREATE KEYSPACE')) throw noPermission('CREATE');
    };
    const error = await failure(runner().up());
    expect(error).toBeInstanceOf(AuthorizationError);
    expect(everything(error)).not.toContain(LOGIN);
  });
});
