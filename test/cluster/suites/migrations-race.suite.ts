import { join } from 'node:path';
import { types, type Client } from 'cassandra-driver';
import { runnerTableId } from '../../../src/migrations/table-id';
import { uniqueKeyspaceName } from '../../support/cassandra';
import { ChildRunner, killChildRunners } from '../../support/child-runner';
import {
  CLUSTER_NODES,
  clusterClient,
  dropClusterKeyspace,
  pinnedClient,
  SCHEMA_MISMATCH,
  systemLogMarks,
  systemLogSince,
} from '../support/cluster';

const CONCURRENT = join(__dirname, '..', '..', 'fixtures', 'migrations', 'concurrent');
const ROUNDS = 5;

describe('three runner processes, one per coordinator, on a fresh RF=3 keyspace (3-node cluster)', () => {
  let client: Client;
  let pinned: Client[];
  const keyspaces: string[] = [];

  beforeAll(async () => {
    client = clusterClient();
    pinned = CLUSTER_NODES.map(pinnedClient);
    await Promise.all([client, ...pinned].map((c) => c.connect()));
  });
  afterAll(async () => {
    killChildRunners();
    for (const keyspace of keyspaces) await dropClusterKeyspace(keyspace);
    await Promise.all([client, ...pinned].map((c) => c.shutdown()));
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: one schema, each version applied exactly once, no schema mismatch in any node's log`, async () => {
      const keyspace = uniqueKeyspaceName(`cl_race_${round}`);
      keyspaces.push(keyspace);
      const marks = systemLogMarks();
      const children = CLUSTER_NODES.map(
        (node) =>
          new ChildRunner(keyspace, CONCURRENT, 'normal', {
            CASSANDRA_CONTACT_POINTS: node.address,
            CASSANDRA_LOCAL_DC: 'datacenter1',
            CASSANDRA_REPLICATION: '3',
            CCH_CHILD_LOCK_TTL: '30',
            CCH_CHILD_LOCK_WAIT_MS: '400000',
          }),
      );
      await Promise.all(children.map((c) => c.waitFor((line) => line === 'ready', 120_000)));
      for (const child of children) child.go();
      const codes = await Promise.all(children.map((c) => c.exited));

      expect(children.map((c) => c.result())).toEqual([
        expect.objectContaining({ event: 'done' }),
        expect.objectContaining({ event: 'done' }),
        expect.objectContaining({ event: 'done' }),
      ]);
      expect(codes).toEqual([0, 0, 0]);
      expect(children.flatMap((c) => c.result()?.applied ?? []).sort()).toEqual([1, 2, 3]);
      expect(children.map((c) => (c.result()?.applied ?? []).length).sort()).toEqual([0, 0, 3]);

      // One schema: every node knows the same tables with the same ids, the runner's own tables
      // with their name-derived ids, and the driver sees agreement.
      const tablesSeenBy = await Promise.all(
        pinned.map(async (c) => {
          const rs = await c.execute('SELECT table_name, id FROM system_schema.tables WHERE keyspace_name = ?', [
            keyspace,
          ]);
          return rs.rows.map((r) => `${String(r.table_name)}=${String(r.id)}`).sort();
        }),
      );
      expect(tablesSeenBy[0]).toHaveLength(4);
      expect(tablesSeenBy[1]).toEqual(tablesSeenBy[0]);
      expect(tablesSeenBy[2]).toEqual(tablesSeenBy[0]);
      expect(tablesSeenBy[0]).toEqual(
        expect.arrayContaining([
          `schema_migrations=${runnerTableId(keyspace, 'schema_migrations')}`,
          `schema_migrations_lock=${runnerTableId(keyspace, 'schema_migrations_lock')}`,
        ]),
      );
      // checkSchemaAgreement exists in driver 4.x but is missing from its typings.
      const metadata = client.metadata as unknown as { checkSchemaAgreement(): Promise<boolean> };
      expect(await metadata.checkSchemaAgreement()).toBe(true);

      // The history, read from each replica alone (consistency ONE), is the same everywhere.
      const historySeenBy = await Promise.all(
        pinned.map(async (c) => {
          const rs = await c.execute(
            `SELECT version, state, checksum FROM ${keyspace}.schema_migrations WHERE keyspace_name = ?`,
            [keyspace],
          );
          return rs.rows.map((r) => [r.version as number, String(r.state), String(r.checksum)]);
        }),
      );
      expect(historySeenBy[0].map(([version, state]) => [version, state])).toEqual([
        [1, 'SUCCESS'],
        [2, 'SUCCESS'],
        [3, 'SUCCESS'],
      ]);
      expect(historySeenBy[1]).toEqual(historySeenBy[0]);
      expect(historySeenBy[2]).toEqual(historySeenBy[0]);

      // Each file's INSERT ran once: a version applied twice would leave two rows.
      const effects = await client.execute(`SELECT version FROM ${keyspace}.side_effects`, [], {
        consistency: types.consistencies.quorum,
      });
      expect(effects.rows.map((r) => r.version as number).sort()).toEqual([1, 2, 3]);
      const lock = await client.execute(`SELECT owner FROM ${keyspace}.schema_migrations_lock`, [], {
        consistency: types.consistencies.quorum,
      });
      expect(lock.rowLength).toBe(0);

      const mismatches = systemLogSince(marks).map((lines) => lines.filter((line) => SCHEMA_MISMATCH.test(line)));
      expect(mismatches).toEqual([[], [], []]);
    });
  }
});
