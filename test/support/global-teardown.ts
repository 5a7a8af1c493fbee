import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Stops the local node only when this test run started it (a reused node is left running). */
export default async function globalTeardown(): Promise<void> {
  if ((globalThis as { __cchStartedNode?: boolean }).__cchStartedNode !== true) return;
  if (process.env.KEEP_CASSANDRA === '1') return;
  const script = join(__dirname, '..', '..', 'scripts', 'cassandra', 'stop.sh');
  execFileSync('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
}
