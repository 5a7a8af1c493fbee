import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors, types } from 'cassandra-driver';
import { parseMigrateArgs, UsageError } from '../../../src/cli/migrate-args';
import { main } from '../../../src/cli/migrate';
import { FakeCluster } from './fake-cluster';

describe('parseMigrateArgs', () => {
  it('defaults to up', () => {
    expect(parseMigrateArgs([])).toMatchObject({ command: 'up', dryRun: false, json: false, outOfOrder: false });
  });

  it('reads every option', () => {
    expect(
      parseMigrateArgs([
        'up',
        '--target',
        '0007',
        '--dry-run',
        '--json',
        '--keyspace',
        'ks',
        '--dir',
        '/m',
        '--out-of-order',
        '--lock-ttl',
        '5',
        '--lock-wait',
        '1000',
      ]),
    ).toEqual({
      command: 'up',
      help: false,
      json: true,
      keyspace: 'ks',
      directory: '/m',
      target: 7,
      dryRun: true,
      outOfOrder: true,
      baselineVersion: undefined,
      lockTtlSeconds: 5,
      lockWaitTimeoutMs: 1000,
    });
    expect(parseMigrateArgs(['baseline', '3'])).toMatchObject({ command: 'baseline', baselineVersion: 3 });
    expect(parseMigrateArgs(['status', '-h']).help).toBe(true);
  });

  it.each([
    [['frobnicate'], /Unknown command/],
    [['baseline'], /baseline needs a version/],
    [['baseline', 'x'], /baseline version must be a positive integer/],
    [['up', '--target', '0'], /--target must be a positive integer/],
    [['up', '--target', '1.5'], /--target must be a positive integer/],
    [['status', '--dry-run'], /apply to `up` only/],
    [['up', 'extra'], /Unexpected argument "extra"/],
    [['up', '--bogus'], /Unknown option '--bogus'/],
    [['up', '--keyspace'], /argument missing/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseMigrateArgs(argv)).toThrow(UsageError);
    expect(() => parseMigrateArgs(argv)).toThrow(message);
  });
});

describe('main (in-memory cluster)', () => {
  let dir: string;
  let cluster: FakeCluster;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cch-cli-'));
    cluster = new FakeCluster();
    writeFileSync(join(dir, 'V0001__one.cql'), 'CREATE TABLE IF NOT EXISTS one (id int PRIMARY KEY);\n');
    writeFileSync(
      join(dir, 'V0002__two.cql'),
      'CREATE TABLE IF NOT EXISTS two (id int PRIMARY KEY);\nALTER TABLE two ADD IF NOT EXISTS x int;\n',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (argv: string[], env: Record<string, string> = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, {
      env: { CASSANDRA_KEYSPACE: 'from_env', ...env },
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      createClient: () => cluster.client('from_env'),
    });
    return { code, out, err };
  };

  it('takes the keyspace from CASSANDRA_KEYSPACE and prints a progress line per file', async () => {
    const { code, out, err } = await run(['--dir', dir]);
    expect(code).toBe(0);
    expect(cluster.keyspaces.has('from_env')).toBe(true);
    expect(err).toEqual([
      "created keyspace from_env with replication {'class': 'SimpleStrategy', 'replication_factor': 1}",
      expect.stringMatching(/^applied V0001__one\.cql \(1 statement\) in \d+ ms$/),
      expect.stringMatching(/^applied V0002__two\.cql \(2 statements\) in \d+ ms$/),
    ]);
    expect(out).toEqual([expect.stringMatching(/^applied 2 migrations to keyspace from_env in \d+ ms$/)]);
  });

  it('creates the keyspace with CASSANDRA_REPLICATION', async () => {
    await run(['--dir', dir], { CASSANDRA_REPLICATION: 'dc1:3,dc2:2' });
    expect(cluster.calls.find((c) => c.query.startsWith('CREATE KEYSPACE'))?.query).toContain(
      "{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}",
    );
  });

  it('--json prints one JSON document and nothing on stderr', async () => {
    const { code, out, err } = await run(['up', '--json', '--dir', dir]);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    const doc = JSON.parse(out[0]) as { ok: boolean; migrations: Array<{ version: number; statements: string[] }> };
    expect(doc.ok).toBe(true);
    expect(doc.migrations.map((m) => [m.version, m.statements.length])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('validate exits 1 with the problem on one line, and --json carries it', async () => {
    await run(['--dir', dir]);
    writeFileSync(join(dir, 'V0001__one.cql'), 'CREATE TABLE IF NOT EXISTS one (id int PRIMARY KEY, v text);\n');
    const human = await run(['validate', '--dir', dir]);
    expect(human.code).toBe(1);
    expect(human.err).toEqual([
      expect.stringMatching(/^error: ChecksumMismatchError: V0001__one\.cql was changed after it was applied/),
    ]);
    const json = await run(['validate', '--json', '--dir', dir]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out[0])).toMatchObject({
      command: 'validate',
      ok: false,
      problems: [{ kind: 'checksum_mismatch', version: 1 }],
      error: { name: 'ChecksumMismatchError', version: 1, file: 'V0001__one.cql' },
    });
  });

  it('a failing statement: exit 1, FAILED line, one-line error; --json reports the statement index', async () => {
    cluster.hook = (query) => {
      if (query.startsWith('ALTER TABLE two')) {
        throw new errors.ResponseError(types.responseErrorCodes.syntaxError, 'line 2:0 boom\nwith a second line');
      }
    };
    const human = await run(['--dir', dir]);
    expect(human.code).toBe(1);
    expect(human.err).toContain('FAILED V0002__two.cql at statement index 1 (line 2)');
    expect(human.err[human.err.length - 1]).toBe(
      'error: MigrationError: V0002__two.cql (version 2) failed at statement index 1 (line 2): ' +
        'statement in keyspace from_env failed: Cassandra rejected the request as syntaxError: line 2:0 boom with a second line',
    );
    const json = await run(['--json', '--dir', dir]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out[0])).toMatchObject({
      ok: false,
      error: { name: 'MigrationError', version: 2, file: 'V0002__two.cql', statementIndex: 1 },
    });
  });

  it('baseline and repair', async () => {
    const baseline = await run(['baseline', '1', '--dir', dir]);
    expect(baseline.code).toBe(0);
    expect(baseline.out).toEqual(['keyspace from_env baselined at version 1']);
    const status = await run(['status', '--json', '--dir', dir]);
    expect((JSON.parse(status.out[0]) as { entries: Array<{ state: string }> }).entries.map((e) => e.state)).toEqual([
      'baseline',
      'pending',
    ]);
    const repair = await run(['repair', '--dir', dir]);
    expect(repair.out).toEqual(['keyspace from_env: nothing to repair']);
  });

  it('--help prints the usage and exits 0 without connecting', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^Usage: cassandra-chat-history-migrate/);
    expect(cluster.calls).toHaveLength(0);
  });
});
