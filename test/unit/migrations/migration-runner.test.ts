import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors, types } from 'cassandra-driver';
import {
  ChecksumMismatchError,
  ConfigurationError,
  CqlSyntaxError,
  InvalidIdentifierError,
  MigrationError,
  MigrationLockTimeoutError,
  SchemaAgreementError,
} from '../../../src/errors';
import { migrationChecksum } from '../../../src/migrations/checksum';
import { MigrationRunner, type MigrationEvent, type MigrationRunnerOptions } from '../../../src/migrations';
import { FakeCluster } from './fake-cluster';

const KS = 'chat_test';

const V1 = '-- users\nCREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY);\n';
const V2 =
  "CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text);\nINSERT INTO notes (id, body) VALUES (1, 'a; b');\n";
const V3 = 'ALTER TABLE notes ADD IF NOT EXISTS author text;\n';

describe('MigrationRunner (in-memory cluster)', () => {
  let dir: string;
  let cluster: FakeCluster;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cch-runner-'));
    cluster = new FakeCluster();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): void => writeFileSync(join(dir, name), text);
  const writeAll = (): void => {
    write('V0001__users.cql', V1);
    write('V0002__notes.cql', V2);
    write('V0010__author.cql', V3);
  };
  const runner = (options: Partial<MigrationRunnerOptions> = {}): MigrationRunner =>
    new MigrationRunner({
      client: cluster.client(KS),
      keyspace: KS,
      directory: dir,
      replication: { class: 'SimpleStrategy', replicationFactor: 1 },
      lockTtlSeconds: 5,
      lockWaitTimeoutMs: 300,
      lockPollIntervalMs: 20,
      schemaAgreementTimeoutMs: 300,
      appliedBy: 'tester@host',
      ...options,
    });
  const caught = async (promise: Promise<unknown>): Promise<unknown> => {
    try {
      await promise;
    } catch (error) {
      return error;
    }
    throw new Error('expected a rejection');
  };

  it('creates the keyspace and its tables, applies every file in version order, records each once', async () => {
    writeAll();
    const results = await runner().up();

    expect(cluster.keyspaces.has(KS)).toBe(true);
    expect([...(cluster.tables.get(KS) ?? [])].sort()).toEqual(['schema_migrations', 'schema_migrations_lock']);
    const createKeyspace = cluster.calls.find((c) => c.query.startsWith('CREATE KEYSPACE'));
    expect(createKeyspace?.query).toBe(
      `CREATE KEYSPACE IF NOT EXISTS ${KS} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    expect(cluster.executed).toEqual([
      'CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY)',
      'CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text)',
      "INSERT INTO notes (id, body) VALUES (1, 'a; b')",
      'ALTER TABLE notes ADD IF NOT EXISTS author text',
    ]);
    expect(results.map((r) => [r.version, r.file, r.description, r.statements.length])).toEqual([
      [1, 'V0001__users.cql', 'users', 1],
      [2, 'V0002__notes.cql', 'notes', 2],
      [10, 'V0010__author.cql', 'author', 1],
    ]);
    expect(results[1].checksum).toBe(migrationChecksum(V2));
    expect(results.every((r) => r.executionMs >= 0)).toBe(true);

    const rows = cluster.historyRows();
    expect(rows.map((r) => [r.version, r.state, r.script, r.checksum, r.statements, r.applied_by])).toEqual([
      [1, 'SUCCESS', 'V0001__users.cql', migrationChecksum(V1), 1, 'tester@host'],
      [2, 'SUCCESS', 'V0002__notes.cql', migrationChecksum(V2), 2, 'tester@host'],
      [10, 'SUCCESS', 'V0010__author.cql', migrationChecksum(V3), 1, 'tester@host'],
    ]);
    expect(rows[0].applied_at).toBeInstanceOf(Date);
    expect(cluster.lock).toBeUndefined();
  });

  it('is a no-op the second time', async () => {
    writeAll();
    await runner().up();
    const before = cluster.executed.length;
    expect(await runner().up()).toEqual([]);
    expect(cluster.executed.length).toBe(before);
  });

  it('applies a file added later, and stops at --target', async () => {
    write('V0001__users.cql', V1);
    await runner().up();
    write('V0002__notes.cql', V2);
    write('V0010__author.cql', V3);
    expect((await runner().up({ target: 2 })).map((r) => r.version)).toEqual([2]);
    expect((await runner().up()).map((r) => r.version)).toEqual([10]);
  });

  it('uses QUORUM for history, SERIAL for the lock, and binds every value', async () => {
    writeAll();
    await runner().up();
    const historyWrites = cluster.calls.filter((c) => c.query.startsWith(`INSERT INTO ${KS}.schema_migrations `));
    expect(historyWrites).toHaveLength(3);
    for (const call of historyWrites) {
      expect(call.options).toMatchObject({ prepare: true, consistency: types.consistencies.quorum });
      expect(call.query).not.toMatch(/'/);
    }
    const lockCalls = cluster.calls.filter((c) => /schema_migrations_lock .*IF /.test(c.query));
    expect(lockCalls.length).toBeGreaterThanOrEqual(2);
    for (const call of lockCalls) {
      expect(call.options).toMatchObject({ prepare: true, serialConsistency: types.consistencies.serial });
    }
    expect(lockCalls[0].query).toMatch(/IF NOT EXISTS USING TTL \?$/);
    expect(lockCalls[lockCalls.length - 1].query).toMatch(/^DELETE .* IF owner = \?$/);
  });

  it('validates the keyspace name before sending anything', () => {
    expect(() => runner({ keyspace: 'chat; DROP KEYSPACE x' })).toThrow(InvalidIdentifierError);
    expect(() => runner({ keyspace: '1chat' })).toThrow(InvalidIdentifierError);
    expect(cluster.calls).toHaveLength(0);
  });

  it('rejects bad numeric options and replication settings', () => {
    expect(() => runner({ lockTtlSeconds: 0 })).toThrow(ConfigurationError);
    expect(() => runner({ lockWaitTimeoutMs: -1 })).toThrow(ConfigurationError);
    expect(() => runner({ replication: { class: 'SimpleStrategy', replicationFactor: 0 } })).toThrow(
      ConfigurationError,
    );
    expect(() => runner({ replication: { class: 'NetworkTopologyStrategy', dataCenters: { "dc1'": 3 } } })).toThrow(
      /Invalid data center name/,
    );
  });

  it('creates the keyspace with NetworkTopologyStrategy per data center', async () => {
    write('V0001__users.cql', V1);
    await runner({ replication: { class: 'NetworkTopologyStrategy', dataCenters: { dc1: 3, dc2: 2 } } }).up();
    expect(cluster.calls.find((c) => c.query.startsWith('CREATE KEYSPACE'))?.query).toContain(
      "{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}",
    );
  });

  describe('refusals before anything runs', () => {
    it('refuses an applied file that changed (ChecksumMismatchError), even by CRLF-insensitive content', async () => {
      writeAll();
      await runner().up();
      // Only line endings: not a change.
      write('V0002__notes.cql', V2.replace(/\n/g, '\r\n'));
      expect(await runner().up()).toEqual([]);

      write('V0002__notes.cql', V2.replace('body text', 'body text, extra int'));
      write('V0011__more.cql', 'SELECT 1;\n');
      const before = cluster.executed.length;
      const error = await caught(runner().up());
      expect(error).toBeInstanceOf(ChecksumMismatchError);
      expect(error).toMatchObject({ version: 2, file: 'V0002__notes.cql' });
      expect((error as Error).message).toMatch(/V0002__notes\.cql was changed after it was applied/);
      expect(cluster.executed.length).toBe(before);
      expect(cluster.lock).toBeUndefined();
    });

    it('refuses when an applied file is missing', async () => {
      writeAll();
      await runner().up();
      unlinkSync(join(dir, 'V0002__notes.cql'));
      const error = await caught(runner().up());
      expect(error).toBeInstanceOf(MigrationError);
      expect(error).not.toBeInstanceOf(ChecksumMismatchError);
      expect((error as MigrationError).version).toBe(2);
      expect((error as Error).message).toMatch(/applied but its file is missing/);
    });

    it('refuses a pending version below the highest applied one, unless outOfOrder', async () => {
      write('V0001__users.cql', V1);
      write('V0010__author.cql', 'CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY);\n');
      await runner().up();
      write('V0002__notes.cql', V2);
      const error = await caught(runner().up());
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(
        /V0002__notes\.cql \(version 2\) is pending but version 10 is already applied/,
      );
      expect(cluster.history.has(2)).toBe(false);

      expect((await runner({ outOfOrder: true }).up()).map((r) => r.version)).toEqual([2]);
      expect(cluster.history.get(2)?.state).toBe('SUCCESS');
    });

    it('refuses while a node is down', async () => {
      cluster = new FakeCluster(['10.0.0.1:9042', '10.0.0.2:9042']);
      cluster.downHosts.add('10.0.0.2:9042');
      writeAll();
      const error = await caught(runner().up());
      expect(error).toBeInstanceOf(SchemaAgreementError);
      expect((error as Error).message).toMatch(/1 node\(s\) down \(10\.0\.0\.2:9042\)/);
      expect(cluster.calls).toHaveLength(0);
    });

    it('refuses while schemas disagree past the timeout', async () => {
      cluster.schemaAgreement = () => false;
      writeAll();
      const error = await caught(runner({ schemaAgreementTimeoutMs: 100 }).up());
      expect(error).toBeInstanceOf(SchemaAgreementError);
      expect(cluster.executed).toHaveLength(0);
    });

    it('refuses a file with a syntax error before running any file', async () => {
      write('V0001__users.cql', V1);
      write('V0002__broken.cql', "INSERT INTO notes (id, body) VALUES (1, 'unterminated);\n");
      const error = await caught(runner().up());
      expect(error).toBeInstanceOf(CqlSyntaxError);
      expect(error).toMatchObject({ file: 'V0002__broken.cql', line: 1 });
      expect(cluster.executed).toHaveLength(0);
      expect(cluster.lock).toBeUndefined();
    });
  });

  describe('a failing statement', () => {
    const BROKEN =
      'CREATE TABLE IF NOT EXISTS a (id int PRIMARY KEY);\nALTER TABLE missing ADD x int;\nCREATE TABLE IF NOT EXISTS b (id int PRIMARY KEY);\n';
    const FIXED =
      'CREATE TABLE IF NOT EXISTS a (id int PRIMARY KEY);\nALTER TABLE a ADD IF NOT EXISTS x int;\nCREATE TABLE IF NOT EXISTS b (id int PRIMARY KEY);\n';

    beforeEach(() => {
      cluster.hook = (query) => {
        if (query.includes('ALTER TABLE missing')) {
          throw new errors.ResponseError(types.responseErrorCodes.invalid, 'unconfigured table missing');
        }
      };
      write('V0001__users.cql', V1);
      write('V0002__broken.cql', BROKEN);
      write('V0003__later.cql', 'CREATE TABLE IF NOT EXISTS later (id int PRIMARY KEY);\n');
    });

    it('marks the version FAILED with the statement index and error, and throws MigrationError', async () => {
      const events: MigrationEvent[] = [];
      const r = runner();
      r.on('migration-failed', (e) => events.push(e));
      const error = await caught(r.up());
      expect(error).toBeInstanceOf(MigrationError);
      expect(error).toMatchObject({ version: 2, file: 'V0002__broken.cql', statementIndex: 1 });
      expect((error as Error).message).toBe(
        'V0002__broken.cql (version 2) failed at statement index 1 (line 2): statement in keyspace chat_test failed: table missing does not exist',
      );
      expect((error as Error).cause).toBeInstanceOf(Error);
      expect(cluster.history.get(1)?.state).toBe('SUCCESS');
      expect(cluster.history.get(2)).toMatchObject({
        state: 'FAILED',
        failed_statement: 1,
        error: 'statement in keyspace chat_test failed: table missing does not exist',
        checksum: migrationChecksum(BROKEN),
      });
      expect(cluster.history.has(3)).toBe(false);
      expect(cluster.executed).not.toContain('CREATE TABLE IF NOT EXISTS b (id int PRIMARY KEY)');
      expect(cluster.lock).toBeUndefined();
      expect(events).toEqual([
        expect.objectContaining({ type: 'migration-failed', version: 2, statementIndex: 1, line: 2 }),
      ]);
    });

    it('status shows it failed and validate reports it', async () => {
      await caught(runner().up());
      const status = await runner().status();
      expect(status.entries.map((e) => [e.version, e.state])).toEqual([
        [1, 'applied'],
        [2, 'failed'],
        [3, 'pending'],
      ]);
      expect(status.entries[1]).toMatchObject({
        failedStatementIndex: 1,
        error: 'statement in keyspace chat_test failed: table missing does not exist',
      });
      const error = await caught(runner().validate());
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(/Version 2 \(V0002__broken\.cql\) failed at statement index 1/);
    });

    it('is retried from its first statement once the file is fixed, and the run goes on', async () => {
      await caught(runner().up());
      write('V0002__broken.cql', FIXED);
      cluster.executed.length = 0;
      const results = await runner().up();
      expect(results.map((r) => r.version)).toEqual([2, 3]);
      expect(cluster.executed).toEqual([
        'CREATE TABLE IF NOT EXISTS a (id int PRIMARY KEY)',
        'ALTER TABLE a ADD IF NOT EXISTS x int',
        'CREATE TABLE IF NOT EXISTS b (id int PRIMARY KEY)',
        'CREATE TABLE IF NOT EXISTS later (id int PRIMARY KEY)',
      ]);
      expect(cluster.history.get(2)).toMatchObject({
        state: 'SUCCESS',
        checksum: migrationChecksum(FIXED),
        failed_statement: null,
        error: null,
      });
      await expect(runner().validate()).resolves.toMatchObject({ problems: [] });
    });

    it('repair removes the FAILED row: the version is pending again', async () => {
      await caught(runner().up());
      const repaired = await runner().repair();
      expect(repaired).toEqual({ removedFailed: [2], realignedChecksums: [] });
      expect(cluster.history.has(2)).toBe(false);
      const status = await runner().status();
      expect(status.entries.map((e) => e.state)).toEqual(['applied', 'pending', 'pending']);
      expect(status.problems).toEqual([]);
    });

    it('a schema that never agrees after a DDL statement is a SchemaAgreementError and FAILED', async () => {
      write('V0002__broken.cql', FIXED);
      await runner().up({ target: 1 });
      cluster.agreementAfterDdl = false;
      cluster.hook = (query) => {
        // The cluster agrees before the run and stops agreeing once the first DDL of V2 ran.
        if (query.startsWith('CREATE TABLE IF NOT EXISTS a')) cluster.schemaAgreement = () => false;
      };
      const error = await caught(runner({ schemaAgreementTimeoutMs: 50 }).up());
      expect(error).toBeInstanceOf(SchemaAgreementError);
      expect(error).toMatchObject({ version: 2, statementIndex: 0 });
      expect(cluster.history.get(2)?.state).toBe('FAILED');
    });
  });

  it('waits for schema agreement after a DDL statement when the driver gave up early', async () => {
    write('V0001__users.cql', V1);
    cluster.agreementAfterDdl = false;
    let checks = 0;
    cluster.schemaAgreement = () => ++checks > 3;
    const events: MigrationEvent[] = [];
    const r = runner({ schemaAgreementTimeoutMs: 5_000 });
    r.on('schema-agreement-waiting', (e) => events.push(e));
    await r.up();
    expect(checks).toBeGreaterThan(3);
    expect(events).toHaveLength(1);
  });

  it('repair realigns the checksum of a deliberately edited applied file', async () => {
    writeAll();
    await runner().up();
    const edited = `${V2}-- a harmless comment\n`;
    write('V0002__notes.cql', edited);
    await expect(runner().up()).rejects.toBeInstanceOf(ChecksumMismatchError);
    const events: MigrationEvent[] = [];
    const r = runner();
    r.on('checksum-realigned', (e) => events.push(e));
    expect(await r.repair()).toEqual({ removedFailed: [], realignedChecksums: [2] });
    expect(events).toEqual([
      { type: 'checksum-realigned', version: 2, from: migrationChecksum(V2), to: migrationChecksum(edited) },
    ]);
    expect(await runner().up()).toEqual([]);
  });

  it('dry run returns the statements that would run, takes no lock and creates nothing', async () => {
    writeAll();
    const results = await runner().up({ dryRun: true });
    expect(results.map((r) => [r.version, r.executionMs, r.statements])).toEqual([
      [1, 0, ['CREATE TABLE IF NOT EXISTS users (id int PRIMARY KEY)']],
      [
        2,
        0,
        [
          'CREATE TABLE IF NOT EXISTS notes (id int PRIMARY KEY, body text)',
          "INSERT INTO notes (id, body) VALUES (1, 'a; b')",
        ],
      ],
      [10, 0, ['ALTER TABLE notes ADD IF NOT EXISTS author text']],
    ]);
    expect(cluster.keyspaces.size).toBe(0);
    expect(cluster.executed).toEqual([]);
    expect(cluster.calls.every((c) => c.query.startsWith('SELECT'))).toBe(true);

    await runner().up({ target: 1 });
    const callsBefore = cluster.calls.length;
    expect((await runner().up({ dryRun: true, target: 2 })).map((r) => r.version)).toEqual([2]);
    expect(cluster.calls.slice(callsBefore).every((c) => c.query.startsWith('SELECT'))).toBe(true);
    expect(cluster.history.has(2)).toBe(false);
  });

  it('status on a keyspace that was never migrated lists every file as pending and creates nothing', async () => {
    writeAll();
    const status = await runner().status();
    expect(status.initialized).toBe(false);
    expect(status.entries.map((e) => [e.version, e.state, e.checksum])).toEqual([
      [1, 'pending', migrationChecksum(V1)],
      [2, 'pending', migrationChecksum(V2)],
      [10, 'pending', migrationChecksum(V3)],
    ]);
    expect(cluster.keyspaces.size).toBe(0);
    await runner().up();
    const after = await runner().status();
    expect(after.initialized).toBe(true);
    expect(after.entries.map((e) => e.state)).toEqual(['applied', 'applied', 'applied']);
    expect(after.entries[0]).toMatchObject({ appliedChecksum: migrationChecksum(V1), appliedBy: 'tester@host' });
  });

  describe('baseline', () => {
    it('marks an existing schema as applied up to a version: only later files run', async () => {
      writeAll();
      await runner().baseline(2);
      expect(cluster.history.get(2)).toMatchObject({ state: 'BASELINE', script: 'V0002__notes.cql' });
      expect((await runner().status()).entries.map((e) => [e.version, e.state])).toEqual([
        [1, 'below_baseline'],
        [2, 'baseline'],
        [10, 'pending'],
      ]);
      expect((await runner().up()).map((r) => r.version)).toEqual([10]);
      expect(cluster.executed).toEqual(['ALTER TABLE notes ADD IF NOT EXISTS author text']);
      await expect(runner().validate()).resolves.toMatchObject({ problems: [] });
    });

    it('refuses a keyspace that already has history', async () => {
      writeAll();
      await runner().up({ target: 1 });
      await expect(runner().baseline(5)).rejects.toThrow(/already has 1 row\(s\)/);
      await expect(runner().baseline(0)).rejects.toBeInstanceOf(ConfigurationError);
    });
  });

  describe('the lock', () => {
    it('waits for a lock held by another runner, then fails with MigrationLockTimeoutError', async () => {
      writeAll();
      cluster.holdLock('other-host/42/abc', 60_000);
      const waits: MigrationEvent[] = [];
      const r = runner({ lockWaitTimeoutMs: 200 });
      r.on('lock-waiting', (e) => waits.push(e));
      const error = await caught(r.up());
      expect(error).toBeInstanceOf(MigrationLockTimeoutError);
      expect((error as Error).message).toMatch(/held by other-host\/42\/abc/);
      expect(cluster.executed).toEqual([]);
      expect(cluster.lock?.owner).toBe('other-host/42/abc');
      expect(waits).toEqual([expect.objectContaining({ type: 'lock-waiting', holder: 'other-host/42/abc' })]);
    });

    it('takes over once a dead runner’s lock expires by TTL', async () => {
      writeAll();
      cluster.holdLock('dead-runner', 150);
      const results = await runner({ lockWaitTimeoutMs: 5_000 }).up();
      expect(results).toHaveLength(3);
      expect(cluster.lock).toBeUndefined();
    });

    it('treats a write timeout on the lock as unknown and reads it back (SERIAL)', async () => {
      writeAll();
      let first = true;
      cluster.hook = (query) => {
        if (first && /^INSERT INTO .*schema_migrations_lock/.test(query)) {
          first = false;
          return 'applied-then-timeout';
        }
        return undefined;
      };
      expect(await runner().up()).toHaveLength(3);
      const readBack = cluster.calls.find((c) => /^SELECT owner FROM .*schema_migrations_lock/.test(c.query));
      expect(readBack?.options.consistency).toBe(types.consistencies.serial);
      expect(cluster.lock).toBeUndefined();
    });

    it('is renewed during a long migration and released at the end', async () => {
      write(
        'V0001__slow.cql',
        'CREATE TABLE IF NOT EXISTS a (id int PRIMARY KEY);\nCREATE TABLE IF NOT EXISTS b (id int PRIMARY KEY);\n',
      );
      cluster.hook = async (query) => {
        if (query.startsWith('CREATE TABLE IF NOT EXISTS a')) await new Promise((r) => setTimeout(r, 1_300));
      };
      await runner({ lockTtlSeconds: 1 }).up();
      const renewals = cluster.calls.filter((c) => /^UPDATE .*schema_migrations_lock USING TTL/.test(c.query));
      expect(renewals.length).toBeGreaterThanOrEqual(2);
      expect(cluster.history.get(1)?.state).toBe('SUCCESS');
      expect(cluster.lock).toBeUndefined();
    });

    it('stops before the next statement when the lock was taken over', async () => {
      write(
        'V0001__slow.cql',
        'CREATE TABLE IF NOT EXISTS a (id int PRIMARY KEY);\nCREATE TABLE IF NOT EXISTS b (id int PRIMARY KEY);\n',
      );
      cluster.hook = async (query) => {
        if (query.startsWith('CREATE TABLE IF NOT EXISTS a')) {
          cluster.holdLock('thief', 60_000);
          await new Promise((r) => setTimeout(r, 700));
        }
      };
      const error = await caught(runner({ lockTtlSeconds: 1 }).up());
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(/migration lock .* was lost to thief/);
      expect(cluster.executed).toEqual(['CREATE TABLE IF NOT EXISTS a (id int PRIMARY KEY)']);
      expect(cluster.history.has(1)).toBe(false);
      expect(cluster.lock?.owner).toBe('thief');
    });

    it('excludes two concurrent runs in one process (each run has its own owner id)', async () => {
      writeAll();
      cluster.hook = async (query) => {
        if (!query.includes('schema_') && !query.includes('system_schema')) await new Promise((r) => setTimeout(r, 30));
      };
      const [a, b] = await Promise.all([
        runner({ lockWaitTimeoutMs: 5_000 }).up(),
        runner({ lockWaitTimeoutMs: 5_000 }).up(),
      ]);
      expect(a.length + b.length).toBe(3);
      expect(cluster.executed).toHaveLength(4);
    });
  });

  it('reports progress through events and the logger', async () => {
    writeAll();
    const logged: MigrationEvent[] = [];
    const r = runner({ logger: { info: (e) => logged.push(e), warn: (e) => logged.push(e) } });
    const migrated: number[] = [];
    const off = r.on('migrated', (e) => migrated.push(e.version));
    await r.up({ target: 2 });
    off();
    write('V0011__x.cql', 'SELECT 1;\n');
    await r.up();
    expect(migrated).toEqual([1, 2]);
    expect(logged.map((e) => e.type)).toEqual([
      'keyspace-created',
      'lock-acquired',
      'migrating',
      'migrated',
      'migrating',
      'migrated',
      'lock-released',
      'lock-acquired',
      'migrating',
      'migrated',
      'migrating',
      'migrated',
      'lock-released',
    ]);
  });

  it('never shuts down the caller’s client; shuts down a keyspace client it created', async () => {
    writeAll();
    await runner().up();
    expect(cluster.shutdowns).toBe(0);
    let created = 0;
    write('V0011__x.cql', 'SELECT 1;\n');
    await runner({
      client: cluster.client(undefined),
      createKeyspaceClient: (keyspace) => {
        created++;
        expect(keyspace).toBe(KS);
        return cluster.client(keyspace);
      },
    }).up();
    expect(created).toBe(1);
    expect(cluster.shutdowns).toBe(1);
  });
});
