import { runConsistencyChecker, violationLines } from '../../support/consistency-checker';
import { CLUSTER_NODES, ensureClusterUp } from '../support/cluster';

// Long enough for the fault schedule to hold a kill -9 + restart of node 2 (the restart waits for
// the whole ring) beside worker kills; its own seed keeps the schedule the same.
const SECONDS = 40;
const SEED = 20261201;

// The model checker of check/consistency on the 3-node cluster at RF=3: 3 worker processes, each
// with all three nodes as contact points, kill -9 of workers, and kill -9 + restart of cluster
// node 2 while they run. Every acknowledged message must stay visible, in order, once, through
// every read path of every worker, before and after the node comes back.
describe('npm run check:consistency on the 3-node cluster (RF=3, kill -9 + restart of a node)', () => {
  afterAll(async () => {
    await ensureClusterUp();
  });

  it('finds no consistency violation', async () => {
    const { code, stderr, report } = await runConsistencyChecker(
      [
        '--contact-points',
        CLUSTER_NODES.map((n) => n.address).join(','),
        '--cluster-node',
        '2',
        '--seconds',
        String(SECONDS),
        '--workers',
        '3',
        '--seed',
        String(SEED),
      ],
      { ...process.env, CASSANDRA_REPLICATION: '3', CASSANDRA_LOCAL_DC: 'datacenter1' },
    );
    expect(report.seed).toBe(SEED);
    expect(report.operations).toBeGreaterThan(500);
    expect(report.reads).toBeGreaterThan(100);
    expect(stderr).toMatch(/killed cluster node 2 \(kill -9\)/);
    expect(stderr).toMatch(/restarted cluster node 2/);
    expect(violationLines(report)).toEqual([]);
    expect(code).toBe(0);
  }, 600_000);
});
