import { join } from 'node:path';
import type { Client } from 'cassandra-driver';
import { main } from '../../../src/cli/migrate';
import { SchemaAgreementError } from '../../../src/errors';
import { MigrationRunner } from '../../../src/migrations';
import { uniqueKeyspaceName } from '../../support/cassandra';
import {
  CLUSTER_NODES,
  clusterClient,
  clusterEnv,
  dropClusterKeyspace,
  killNode,
  startNode,
  waitUntilSeenDown,
} from '../support/cluster';

const CONCURRENT = join(__dirname, '..', '..', 'fixtures', 'migrations', 'concurrent');
const [NODE1, , NODE3] = CLUSTER_NODES;

/**
 * The decision: with a node down, migrations refuse before changing anything. The driver's
 * agreement check only asks the nodes that are up, so DDL would "agree" without the missing node,
 * and the application could use new tables at LOCAL_QUORUM while a replica does not know them.
 */
describe('migrations with one node of three down (kill -9)', () => {
  const keyspace = uniqueKeyspaceName('cl_node_down');
  let client: Client;

  beforeAll(async () => {
    await killNode(NODE3);
    // Wait for the survivors' failure detector, as an operator's `nodetool status` would show it.
    await waitUntilSeenDown(NODE1, [NODE3]);
    client = clusterClient({}, [NODE1]);
    await client.connect();
  });
  afterAll(async () => {
    await client?.shutdown();
    await startNode(NODE3);
    await dropClusterKeyspace(keyspace);
  });

  it('refuses with SchemaAgreementError naming the node that is down, and creates nothing', async () => {
    const runner = new MigrationRunner({
      client,
      keyspace,
      directory: CONCURRENT,
      replication: { class: 'SimpleStrategy', replicationFactor: 3 },
      schemaAgreementTimeoutMs: 10_000,
    });
    const started = Date.now();
    const error = await runner.up().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SchemaAgreementError);
    const refusal = error as SchemaAgreementError;
    expect(refusal.downNodes).toEqual([NODE3.host]);
    expect(refusal.message).toMatch(/schema agreement cannot be reached with 1 node\(s\) down \(127\.0\.1\.3:9042\)/);
    // Refused up front, not after waiting for an agreement that cannot come.
    expect(Date.now() - started).toBeLessThan(10_000);
    const created = await client.execute(
      'SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?',
      [keyspace],
      {
        prepare: true,
      },
    );
    expect(created.rowLength).toBe(0);
  });

  it('the CLI exits 1 with the same one-line, typed reason', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['up', '--dir', CONCURRENT, '--keyspace', keyspace], {
      env: { ...clusterEnv([NODE1]), CASSANDRA_REPLICATION: '3' },
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(
        /^error: SchemaAgreementError: Refusing to migrate: schema agreement cannot be reached .*127\.0\.1\.3:9042/,
      ),
    ]);
  });

  it('once the node is back (restarted), the same migration applies every version', async () => {
    await startNode(NODE3);
    const fresh = clusterClient();
    try {
      const results = await new MigrationRunner({
        client: fresh,
        keyspace,
        directory: CONCURRENT,
        replication: { class: 'SimpleStrategy', replicationFactor: 3 },
      }).up();
      expect(results.map((r) => r.version)).toEqual([1, 2, 3]);
    } finally {
      await fresh.shutdown();
    }
  });
});
