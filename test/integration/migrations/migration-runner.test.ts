import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'cassandra-driver';
import { ChecksumMismatchError, MigrationError, MigrationLockTimeoutError } from '../../../src/errors';
import { MigrationRunner, type MigrationRunnerOptions } from '../../../src/migrations';
import { migrationChecksum } from '../../../src/migrations/checksum';
import { MigrationConnection } from '../../../src/migrations/migration-connection';
import { MigrationEventBus } from '../../../src/migrations/migration-events';
import { MigrationLock } from '../../../src/migrations/migration-lock';
import { dropKeyspace, testClient, uniqueKeyspaceName } from '../../support/cassandra';

// The integration project's testTimeout is not applied per project by jest: set it here.
jest.setTimeout(120_000);

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'migrations');

describe('MigrationRunner (real node)', () => {
  let client: Client;
  const keyspaces: string[] = [];
  const tmpDirs: string[] = [];

  const freshKeyspace = (label: string): string => {
    const keyspace = uniqueKeyspaceName(label);
    keyspaces.push(keyspace);
    return keyspace;
  };
  /** A writable copy of a fixture folder, for tests that edit files. */
  const fixtureCopy = (name: string): string => {
    const dir = mkdtempSync(join(tmpdir(), `cch-${name}-`));
    tmpDirs.push(dir);
    cpSync(join(FIXTURES, name), dir, { recursive: true });
    return dir;
  };
  const runner = (
    keyspace: string,
    directory: string,
    options: Partial<MigrationRunnerOptions> = {},
  ): MigrationRunner =>
    new MigrationRunner({ client, keyspace, directory, lockTtlSeconds: 5, lockPollIntervalMs: 100, ...options });
  const historyRows = async (keyspace: string) =>
    (
      await client.execute(
        `SELECT version, state, script, checksum, statements, failed_statement, error FROM ${keyspace}.schema_migrations WHERE keyspace_name = ?`,
        [keyspace],
        { prepare: true },
      )
    ).rows;

  beforeAll(async () => {
    client = testClient();
    await client.connect();
  });
  afterAll(async () => {
    for (const keyspace of keyspaces) await dropKeyspace(client, keyspace).catch(() => undefined);
    for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
    await client.shutdown();
  });

  describe('the basic fixture', () => {
    const keyspace = uniqueKeyspaceName('mig_basic');
    const basic = join(FIXTURES, 'basic');
    beforeAll(() => {
      keyspaces.push(keyspace);
    });

    it('creates the keyspace and applies every file in order', async () => {
      const results = await runner(keyspace, basic).up();
      expect(results.map((r) => [r.version, r.file, r.statements.length])).toEqual([
        [1, 'V0001__create_accounts.cql', 1],
        [2, 'V0002__seed_accounts.cql', 3],
        [10, 'V0010__add_email.cql', 2],
      ]);
      const keyspaceRow = await client.execute(
        'SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?',
        [keyspace],
        {
          prepare: true,
        },
      );
      expect(keyspaceRow.rows[0]?.replication).toMatchObject({ class: 'org.apache.cassandra.locator.SimpleStrategy' });

      // The statements ran in the keyspace, with literals intact.
      const accounts = await client.execute(`SELECT id, name, note FROM ${keyspace}.accounts`);
      expect(accounts.rows.map((r) => [r.id, r.name, r.note]).sort()).toEqual([
        [1, "O'Brien; first", '-- not a comment; // nor this'],
        [2, "dollar; quoted 'name'", 'two'],
      ]);
      const columns = await client.execute(
        'SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
        [keyspace, 'accounts'],
        { prepare: true },
      );
      expect(columns.rows.map((r) => r.column_name as string).sort()).toEqual([
        'DisplayName',
        'email',
        'id',
        'name',
        'note',
      ]);

      const crlf = readFileSync(join(basic, 'V0010__add_email.cql'), 'utf8');
      expect(crlf).toContain('\r\n');
      expect(
        (await historyRows(keyspace)).map((r) => [r.version, r.state, r.script, r.checksum, r.statements]),
      ).toEqual([
        [
          1,
          'SUCCESS',
          'V0001__create_accounts.cql',
          migrationChecksum(readFileSync(join(basic, 'V0001__create_accounts.cql'), 'utf8')),
          1,
        ],
        [
          2,
          'SUCCESS',
          'V0002__seed_accounts.cql',
          migrationChecksum(readFileSync(join(basic, 'V0002__seed_accounts.cql'), 'utf8')),
          3,
        ],
        [10, 'SUCCESS', 'V0010__add_email.cql', migrationChecksum(crlf.replace(/\r\n/g, '\n')), 2],
      ]);
    });

    it('is a no-op when run again', async () => {
      const before = await historyRows(keyspace);
      expect(await runner(keyspace, basic).up()).toEqual([]);
      expect(await historyRows(keyspace)).toEqual(before);
    });

    it('status and validate report every version applied with its checksum', async () => {
      const status = await runner(keyspace, basic).status();
      expect(status.initialized).toBe(true);
      expect(status.problems).toEqual([]);
      expect(status.entries.map((e) => [e.version, e.state, e.checksum === e.appliedChecksum])).toEqual([
        [1, 'applied', true],
        [2, 'applied', true],
        [10, 'applied', true],
      ]);
      expect(status.entries[0].appliedAt).toBeInstanceOf(Date);
      expect(status.entries[0].appliedBy).toMatch(/.+@.+/);
      await expect(runner(keyspace, basic).validate()).resolves.toMatchObject({ problems: [] });
    });
  });

  it('status on a keyspace that does not exist lists every file as pending and creates nothing', async () => {
    const keyspace = freshKeyspace('mig_nothing');
    const status = await runner(keyspace, join(FIXTURES, 'basic')).status();
    expect(status.initialized).toBe(false);
    expect(status.entries.map((e) => e.state)).toEqual(['pending', 'pending', 'pending']);
    const exists = await client.execute(
      'SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?',
      [keyspace],
      {
        prepare: true,
      },
    );
    expect(exists.rowLength).toBe(0);
  });

  it('refuses to run when an applied file was edited', async () => {
    const keyspace = freshKeyspace('mig_edited');
    const dir = fixtureCopy('basic');
    await runner(keyspace, dir).up({ target: 2 });
    const file = join(dir, 'V0001__create_accounts.cql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name text', 'name text, nickname text'));

    const error = await runner(keyspace, dir)
      .up()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error).toMatchObject({ version: 1, file: 'V0001__create_accounts.cql' });
    // Nothing ran: version 10 is still pending.
    expect((await historyRows(keyspace)).map((r) => r.version)).toEqual([1, 2]);
    await expect(runner(keyspace, dir).validate()).rejects.toBeInstanceOf(ChecksumMismatchError);
    const status = await runner(keyspace, dir).status();
    expect(status.problems.map((p) => p.kind)).toEqual(['checksum_mismatch']);
  });

  it('a failing statement leaves the version FAILED; the fixed file is re-run and converges', async () => {
    const keyspace = freshKeyspace('mig_failing');
    const dir = fixtureCopy('failing');

    const error = await runner(keyspace, dir)
      .up()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ version: 2, file: 'V0002__extend_items.cql', statementIndex: 1 });
    expect((error as Error).message).toMatch(
      /V0002__extend_items\.cql \(version 2\) failed at statement index 1 \(line 3\)/,
    );
    const failed = await historyRows(keyspace);
    expect(failed.map((r) => [r.version, r.state, r.failed_statement])).toEqual([
      [1, 'SUCCESS', null],
      [2, 'FAILED', 1],
    ]);
    expect(String(failed[1].error)).toMatch(/no_such_table/i);
    expect((await runner(keyspace, dir).status()).entries.map((e) => e.state)).toEqual([
      'applied',
      'failed',
      'pending',
    ]);

    // Fix the file: the first statement (already applied) runs again, harmlessly.
    const file = join(dir, 'V0002__extend_items.cql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('ALTER TABLE no_such_table', 'ALTER TABLE items'));
    const results = await runner(keyspace, dir).up();
    expect(results.map((r) => r.version)).toEqual([2, 3]);
    const converged = await historyRows(keyspace);
    expect(converged.map((r) => [r.version, r.state, r.failed_statement, r.error])).toEqual([
      [1, 'SUCCESS', null, null],
      [2, 'SUCCESS', null, null],
      [3, 'SUCCESS', null, null],
    ]);
    await expect(runner(keyspace, dir).validate()).resolves.toMatchObject({ problems: [] });
    const columns = await client.execute(
      'SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
      [keyspace, 'items'],
      { prepare: true },
    );
    expect(columns.rows.map((r) => r.column_name as string).sort()).toEqual(['color', 'id', 'label', 'price']);
  });

  it('repair removes a FAILED row; baseline skips files of an existing schema', async () => {
    const keyspace = freshKeyspace('mig_repair');
    await expect(runner(keyspace, join(FIXTURES, 'failing')).up()).rejects.toBeInstanceOf(MigrationError);
    expect(await runner(keyspace, join(FIXTURES, 'failing')).repair()).toEqual({
      removedFailed: [2],
      realignedChecksums: [],
    });
    expect((await historyRows(keyspace)).map((r) => r.version)).toEqual([1]);

    const baselined = freshKeyspace('mig_baseline');
    await runner(baselined, join(FIXTURES, 'failing')).baseline(2);
    const results = await runner(baselined, join(FIXTURES, 'failing')).up();
    expect(results.map((r) => r.version)).toEqual([3]);
    expect((await historyRows(baselined)).map((r) => [r.version, r.state])).toEqual([
      [2, 'BASELINE'],
      [3, 'SUCCESS'],
    ]);
  });

  it('waits for a lock held by a dead runner until its TTL expires, or times out first', async () => {
    const keyspace = freshKeyspace('mig_lock');
    const dir = join(FIXTURES, 'basic');
    await runner(keyspace, dir).up({ target: 1 });
    const holdLock = (ttlSeconds: number) =>
      client.execute(
        `INSERT INTO ${keyspace}.schema_migrations_lock (lock_name, owner, acquired_at) VALUES ('migrations', 'dead-runner', toTimestamp(now())) USING TTL ${ttlSeconds}`,
      );

    await holdLock(60);
    const timedOut = await runner(keyspace, dir, { lockWaitTimeoutMs: 1_000 })
      .up()
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(MigrationLockTimeoutError);
    expect((timedOut as Error).message).toMatch(/held by dead-runner/);
    expect((await historyRows(keyspace)).map((r) => r.version)).toEqual([1]);

    await client.execute(`DELETE FROM ${keyspace}.schema_migrations_lock WHERE lock_name = 'migrations'`);
    await holdLock(3);
    const started = Date.now();
    const results = await runner(keyspace, dir, { lockWaitTimeoutMs: 30_000 }).up();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
    expect(results.map((r) => r.version)).toEqual([2, 10]);
  });

  it('renews a held lock past its TTL, then releases it', async () => {
    const keyspace = freshKeyspace('mig_renew');
    await runner(keyspace, join(FIXTURES, 'basic')).up({ target: 1 });
    const session = new MigrationConnection(client, keyspace);
    const lock = new MigrationLock(
      session,
      { owner: 'renewal-test', ttlSeconds: 2, waitTimeoutMs: 1_000, pollIntervalMs: 100 },
      new MigrationEventBus(),
    );
    const lease = await lock.acquire();
    try {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect(() => lease.assertHeld()).not.toThrow();
      expect(await lock.holder()).toBe('renewal-test');
      const ttl = await client.execute(
        `SELECT TTL(owner) AS ttl FROM ${keyspace}.schema_migrations_lock WHERE lock_name = 'migrations'`,
      );
      expect(ttl.rows[0]?.ttl).toBeLessThanOrEqual(2);
    } finally {
      await lease.release();
    }
    expect(await lock.holder()).toBeUndefined();
  });

  it('applies the package schema (migrations/V0001..V0003) to a fresh keyspace', async () => {
    const keyspace = freshKeyspace('mig_package');
    const results = await new MigrationRunner({ client, keyspace, lockTtlSeconds: 5 }).up();
    expect(results.map((r) => r.file)).toEqual([
      'V0001__chat_history_schema.cql',
      'V0002__bucket_index_per_write.cql',
      'V0003__langgraph_checkpoints.cql',
    ]);
    const column = await client.execute(
      'SELECT type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ? AND column_name = ?',
      [keyspace, 'chat_message_buckets', 'expiry_slots'],
      { prepare: true },
    );
    expect(column.first()?.get('type')).toBe('set<bigint>');
    const tables = await client.execute(
      'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?',
      [keyspace],
      {
        prepare: true,
      },
    );
    expect(tables.rows.map((r) => r.table_name as string).sort()).toEqual([
      'chat_message_buckets',
      'chat_messages',
      'chat_sessions',
      'chat_sessions_by_user',
      'langgraph_checkpoint_blobs',
      'langgraph_checkpoint_writes',
      'langgraph_checkpoints',
      'langgraph_thread_namespaces',
      'schema_migrations',
      'schema_migrations_lock',
    ]);
  });
});
