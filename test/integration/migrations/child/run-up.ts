/**
 * A migration runner in its own OS process, for the cross-process tests. Connects, prints "ready",
 * waits for a line on stdin (so that two of them start at the same moment), runs `up`, prints one
 * JSON line with the versions it applied, and exits. Arguments: <keyspace> <directory> <mode>;
 * the cluster comes from the CASSANDRA_* variables;
 * mode "stall" takes the lock and then hangs before the first statement (to be killed with -9).
 */
import { createInterface } from 'node:readline';
import type { Client } from 'cassandra-driver';
import { createClient, replicationFromEnv } from '../../../../src/config';
import { MigrationRunner } from '../../../../src/migrations';

async function run(): Promise<number> {
  const [keyspace, directory, mode = 'normal'] = process.argv.slice(2);
  const client = createClient();
  await client.connect();
  const stalledClient = {
    connect: () => new Promise<void>(() => undefined),
    shutdown: async () => undefined,
  } as unknown as Client;
  const runner = new MigrationRunner({
    client,
    keyspace,
    directory,
    // From CASSANDRA_REPLICATION (default 1); the cluster tests run it with 3.
    replication: replicationFromEnv(),
    // Short, so the SIGKILL test's lock expires quickly; the cluster tests, whose renewals queue
    // behind DDL on a loaded 3-node cluster, give it more with CCH_CHILD_LOCK_TTL.
    lockTtlSeconds: Number(process.env.CCH_CHILD_LOCK_TTL ?? '3'),
    lockPollIntervalMs: 100,
    // The cluster tests wait longer (CCH_CHILD_LOCK_WAIT_MS): the holder's DDL at RF=3 is slow on 2 busy cores.
    lockWaitTimeoutMs: Number(process.env.CCH_CHILD_LOCK_WAIT_MS ?? '90000'),
    appliedBy: `child-${process.pid}`,
    ...(mode === 'stall' ? { createKeyspaceClient: () => stalledClient } : {}),
  });
  runner.on('lock-acquired', (e) =>
    process.stdout.write(`${JSON.stringify({ event: 'lock-acquired', owner: e.owner })}\n`),
  );
  runner.on('lock-waiting', (e) =>
    process.stdout.write(`${JSON.stringify({ event: 'lock-waiting', holder: e.holder })}\n`),
  );
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));
  try {
    const results = await runner.up();
    process.stdout.write(`${JSON.stringify({ event: 'done', applied: results.map((r) => r.version) })}\n`);
    return 0;
  } catch (error) {
    process.stdout.write(
      `${JSON.stringify({ event: 'error', name: (error as Error).name, message: (error as Error).message })}\n`,
    );
    return 1;
  } finally {
    await client.shutdown();
  }
}

void run().then((code) => process.exit(code));
