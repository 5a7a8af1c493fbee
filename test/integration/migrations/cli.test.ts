import { join } from 'node:path';
import type { Client } from 'cassandra-driver';
import { main } from '../../../src/cli/migrate';
import { dropKeyspace, testClient, uniqueKeyspaceName } from '../../support/cassandra';
import { runTsScript, type ScriptRun } from '../../support/processes';

// The integration project's testTimeout is not applied per project by jest: set it here.
jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'migrate.ts');
const BASIC = join(ROOT, 'test', 'fixtures', 'migrations', 'basic');

/** Runs the CLI as `npm run migrate` does (ts-node, transpile only), in its own process. */
function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ScriptRun> {
  return runTsScript(CLI, args, { ...process.env, DEBUG: '', ...env });
}

interface StatusJson {
  command: string;
  ok: boolean;
  keyspace: string;
  initialized: boolean;
  entries: Array<{
    version: number;
    file: string;
    state: string;
    checksum: string;
    appliedChecksum?: string;
    appliedAt?: string;
  }>;
  problems: unknown[];
}

describe('migrate CLI (real node, child process)', () => {
  let client: Client;
  const keyspace = uniqueKeyspaceName('mig_cli');

  beforeAll(async () => {
    client = testClient();
    await client.connect();
  });
  afterAll(async () => {
    await dropKeyspace(client, keyspace).catch(() => undefined);
    await client.shutdown();
  });

  it('status --json lists every file as pending on a fresh keyspace, then applied after up', async () => {
    const before = await cli(['status', '--json', '--keyspace', keyspace, '--dir', BASIC]);
    expect(before.code).toBe(0);
    const pending = JSON.parse(before.stdout) as StatusJson;
    expect(pending).toMatchObject({ command: 'status', ok: true, keyspace, initialized: false, problems: [] });
    expect(pending.entries.map((e) => [e.version, e.file, e.state])).toEqual([
      [1, 'V0001__create_accounts.cql', 'pending'],
      [2, 'V0002__seed_accounts.cql', 'pending'],
      [10, 'V0010__add_email.cql', 'pending'],
    ]);
    expect(pending.entries.every((e) => /^[0-9a-f]{64}$/.test(e.checksum))).toBe(true);

    // Human mode: one progress line per file with its time, then a summary.
    const up = await cli(['up', '--keyspace', keyspace, '--dir', BASIC]);
    expect(up.code).toBe(0);
    expect(up.stderr).toMatch(/^applied V0001__create_accounts\.cql \(1 statement\) in \d+ ms$/m);
    expect(up.stderr).toMatch(/^applied V0002__seed_accounts\.cql \(3 statements\) in \d+ ms$/m);
    expect(up.stderr).toMatch(/^applied V0010__add_email\.cql \(2 statements\) in \d+ ms$/m);
    expect(up.stdout).toMatch(/^applied 3 migrations to keyspace \w+ in \d+ ms$/m);

    const after = await cli(['status', '--json', '--keyspace', keyspace, '--dir', BASIC]);
    expect(after.code).toBe(0);
    const applied = JSON.parse(after.stdout) as StatusJson;
    expect(applied.initialized).toBe(true);
    expect(applied.entries.map((e) => [e.version, e.state, e.appliedChecksum === e.checksum])).toEqual([
      [1, 'applied', true],
      [2, 'applied', true],
      [10, 'applied', true],
    ]);
    expect(Number.isNaN(Date.parse(applied.entries[0].appliedAt ?? ''))).toBe(false);
  });

  it('fails with exit code 1 and a single error line, no stack trace', async () => {
    const bad = await cli(['status', '--keyspace', 'bad-name', '--dir', BASIC]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: InvalidIdentifierError: Invalid keyspace name "bad-name"/),
    ]);
  });

  describe('in-process (main)', () => {
    const run = async (args: readonly string[], env: Record<string, string> = {}) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(args, {
        env: { ...process.env, DEBUG: '', ...env },
        out: (t) => out.push(t),
        err: (t) => err.push(t),
      });
      return { code, stdout: out.join('\n'), stderr: err.join('\n') };
    };

    it('up --dry-run prints the CQL it would run and changes nothing', async () => {
      const fresh = uniqueKeyspaceName('mig_cli_dry');
      const dryRun = await run(['up', '--dry-run', '--keyspace', fresh, '--dir', BASIC]);
      expect(dryRun.code).toBe(0);
      expect(dryRun.stdout).toContain('-- V0001__create_accounts.cql (version 1');
      expect(dryRun.stdout).toContain(
        "INSERT INTO accounts (id, name, note) VALUES (1, 'O''Brien; first', '-- not a comment; // nor this');",
      );
      const exists = await client.execute(
        'SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?',
        [fresh],
        {
          prepare: true,
        },
      );
      expect(exists.rowLength).toBe(0);
    });

    it('up --json on a migrated keyspace applies nothing; validate passes', async () => {
      const again = await run(['up', '--json', '--keyspace', keyspace, '--dir', BASIC]);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({
        command: 'up',
        ok: true,
        keyspace,
        dryRun: false,
        migrations: [],
      });
      const validate = await run(['validate', '--keyspace', keyspace, '--dir', BASIC]);
      expect(validate.code).toBe(0);
      expect(validate.stdout).toMatch(/is valid/);
      const status = await run(['status', '--keyspace', keyspace, '--dir', BASIC]);
      expect(status.stdout).toMatch(/3 applied, 0 pending, 0 failed/);
      expect(status.stdout).toMatch(/^10\s+APPLIED\s+V0010__add_email\.cql\s+[0-9a-f]{12}\s+\d{4}-/m);
    });

    it('DEBUG prints the stack; a usage error exits with 2 and the usage', async () => {
      const debug = await run(['status', '--keyspace', 'bad-name', '--dir', BASIC], { DEBUG: '1' });
      expect(debug.code).toBe(1);
      expect(debug.stderr).toMatch(/\n\s+at /);
      const usage = await run(['frobnicate']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/Unknown command "frobnicate"/);
      expect(usage.stderr).toMatch(/Usage: cassandra-chat-history-migrate/);
    });
  });
});
