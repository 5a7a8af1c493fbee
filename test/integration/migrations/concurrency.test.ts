import { join } from 'node:path';
import type { Client } from 'cassandra-driver';
import { MigrationRunner, type MigrationEvent } from '../../../src/migrations';
import { dropKeyspace, testClient, uniqueKeyspaceName } from '../../support/cassandra';
import { ChildRunner, killChildRunners } from '../../support/child-runner';

const ROOT = join(__dirname, '..', '..', '..');
const CONCURRENT = join(ROOT, 'test', 'fixtures', 'migrations', 'concurrent');
const BASIC = join(ROOT, 'test', 'fixtures', 'migrations', 'basic');

// The integration project's testTimeout is not applied per project by jest: set it here.
jest.setTimeout(120_000);

describe('MigrationRunner across OS processes (real node)', () => {
  let client: Client;
  const keyspaces: string[] = [];
  const freshKeyspace = (label: string): string => {
    const keyspace = uniqueKeyspaceName(label);
    keyspaces.push(keyspace);
    return keyspace;
  };

  beforeAll(async () => {
    client = testClient();
    await client.connect();
  });
  afterAll(async () => {
    killChildRunners();
    for (const keyspace of keyspaces) await dropKeyspace(client, keyspace).catch(() => undefined);
    await client.shutdown();
  });

  // Three, as a rolling deploy of three service instances that migrate on start-up would.
  it('three runners started at the same moment apply each version exactly once', async () => {
    const keyspace = freshKeyspace('mig_race');
    const children = [1, 2, 3].map(() => new ChildRunner(keyspace, CONCURRENT));
    await Promise.all(children.map((c) => c.waitFor((line) => line === 'ready')));
    for (const child of children) child.go();
    const codes = await Promise.all(children.map((c) => c.exited));

    expect(children.map((c) => c.result()?.event)).toEqual(['done', 'done', 'done']);
    expect(codes).toEqual([0, 0, 0]);
    const applied = children.flatMap((c) => c.result()?.applied ?? []).sort();
    expect(applied).toEqual([1, 2, 3]);
    // Exactly one of them did the work; the others waited for the lock, then found nothing to do.
    expect(children.map((c) => (c.result()?.applied ?? []).length).sort()).toEqual([0, 0, 3]);

    const history = await client.execute(
      `SELECT version, state FROM ${keyspace}.schema_migrations WHERE keyspace_name = ?`,
      [keyspace],
      { prepare: true },
    );
    expect(history.rows.map((r) => [r.version, r.state])).toEqual([
      [1, 'SUCCESS'],
      [2, 'SUCCESS'],
      [3, 'SUCCESS'],
    ]);
    const effects = await client.execute(`SELECT version FROM ${keyspace}.side_effects`);
    expect(effects.rows.map((r) => r.version as number).sort()).toEqual([1, 2, 3]);
    const lock = await client.execute(`SELECT owner FROM ${keyspace}.schema_migrations_lock`);
    expect(lock.rowLength).toBe(0);
  });

  it('the lock of a runner killed with SIGKILL expires by its TTL and the next runner proceeds', async () => {
    const keyspace = freshKeyspace('mig_killed');
    const doomed = new ChildRunner(keyspace, BASIC, 'stall');
    await doomed.waitFor((line) => line === 'ready');
    doomed.go();
    await doomed.waitFor((line) => line.includes('"lock-acquired"'));
    const owner = doomed.lines.find((l) => l.event === 'lock-acquired')?.owner;
    expect(owner).toContain(`child-${doomed.process.pid}`);
    doomed.process.kill('SIGKILL');
    await doomed.exited;

    const held = await client.execute(`SELECT owner FROM ${keyspace}.schema_migrations_lock`);
    expect(held.rows[0]?.owner).toBe(owner);

    const runner = new MigrationRunner({
      client,
      keyspace,
      directory: BASIC,
      lockTtlSeconds: 3,
      lockPollIntervalMs: 200,
      lockWaitTimeoutMs: 30_000,
    });
    const waits: MigrationEvent[] = [];
    runner.on('lock-waiting', (e) => waits.push(e));
    const started = Date.now();
    const results = await runner.up();
    expect(results.map((r) => r.version)).toEqual([1, 2, 10]);
    expect(waits).toEqual([expect.objectContaining({ type: 'lock-waiting', holder: owner })]);
    // The dead runner's lock was renewed at most 3 s before it died.
    expect(Date.now() - started).toBeLessThan(15_000);
    const lock = await client.execute(`SELECT owner FROM ${keyspace}.schema_migrations_lock`);
    expect(lock.rowLength).toBe(0);
  });
});
