import { join } from 'node:path';
import { REPO_ROOT, runTsScript } from '../../support/processes';

// The checker's fault schedule alternates kills and freezes from about 4 s in: 100 s holds several
// of each. A seed of its own keeps the schedule (not the timing) the same from run to run.
const SECONDS = 100;
const SEED = 20261129;

interface CheckerReport {
  readonly seed: number;
  readonly operations: number;
  readonly acknowledged: number;
  readonly reads: number;
  readonly faults: number;
  readonly violations: readonly { kind: string; session: string; token?: string; op: string; detail: string }[];
}

// Worker processes, kill -9 of workers and SIGSTOP of the checker's own node (127.0.0.5): every
// acknowledged message must stay visible, in order, once, through every read path.
describe('npm run check:consistency (3 workers, worker kills, node freezes)', () => {
  it('finds no consistency violation', async () => {
    const { code, stdout, stderr } = await runTsScript(join(REPO_ROOT, 'check', 'consistency', 'run.ts'), [
      '--seconds',
      String(SECONDS),
      '--workers',
      '3',
      '--seed',
      String(SEED),
      '--json',
    ]);
    // Exit code 2 is a harness error: show why rather than a JSON parse error.
    expect({ code, stderr: code === 2 ? stderr.split('\n').slice(-30).join('\n') : '' }).toMatchObject({ stderr: '' });
    const report = JSON.parse(stdout) as CheckerReport;
    expect(report.seed).toBe(SEED);
    expect(report.operations).toBeGreaterThan(1_000);
    expect(report.reads).toBeGreaterThan(200);
    expect(report.faults).toBeGreaterThanOrEqual(2);
    expect(stderr).toMatch(/killed worker/);
    expect(stderr).toMatch(/froze node consistency/);
    expect(
      report.violations.map((v) => `${v.kind} ${v.session} ${v.token ?? ''} seen by ${v.op}: ${v.detail}`),
    ).toEqual([]);
    expect(code).toBe(0);
  }, 420_000);
});
