import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Stops the cluster only when this run started it and KEEP_CASSANDRA is not 1. */
export default async function clusterGlobalTeardown(): Promise<void> {
  if ((globalThis as { __cchStartedCluster?: boolean }).__cchStartedCluster !== true) return;
  if (process.env.KEEP_CASSANDRA === '1') return;
  const script = join(__dirname, '..', '..', '..', 'scripts', 'cassandra', 'cluster.sh');
  execFileSync('bash', [script, 'stop'], { stdio: ['ignore', 'inherit', 'inherit'] });
}
