import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Starts (or reuses) the local 3-node cluster through scripts/cassandra/cluster.sh before any
 * cluster test runs; never skips: when the cluster cannot be had the run fails with the reason.
 */
export default async function clusterGlobalSetup(): Promise<void> {
  const script = join(__dirname, '..', '..', '..', 'scripts', 'cassandra', 'cluster.sh');
  let outcome: string;
  try {
    outcome = execFileSync('bash', [script, 'start'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  } catch (error) {
    throw new Error(
      'The cluster tests need the local 3-node cluster and it could not be started (see the log tail above).',
      {
        cause: error,
      },
    );
  }
  // The teardown runs in this same process: it stops the cluster only if this run started it.
  (globalThis as { __cchStartedCluster?: boolean }).__cchStartedCluster = outcome.endsWith('started');
}
