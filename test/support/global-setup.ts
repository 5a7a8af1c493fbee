import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Makes sure a real Cassandra node answers before any integration test runs: the cluster named by
 * CASSANDRA_CONTACT_POINTS, a node already listening, or the project's local node, started here.
 * Never skips: when no node can be had the whole run fails with the reason.
 */
export default async function globalSetup(): Promise<void> {
  const script = join(__dirname, '..', '..', 'scripts', 'cassandra', 'start.sh');
  let outcome: string;
  try {
    outcome = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (error) {
    throw new Error(
      'Integration tests need a real Cassandra node and none could be started ' +
        '(see the log tail above). Set CASSANDRA_CONTACT_POINTS to use an existing cluster.',
      { cause: error },
    );
  }
  // globalTeardown runs in this same process: it stops the node only if this run started it.
  (globalThis as { __cchStartedNode?: boolean }).__cchStartedNode = outcome.endsWith('started');
}
