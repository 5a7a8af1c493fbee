import { runConsistencyChecker, violationLines } from '../../support/consistency-checker';

// The checker's fault schedule alternates kills and freezes from about 4 s in: 100 s holds several
// of each. A seed of its own keeps the schedule (not the timing) the same from run to run.
const SECONDS = 100;
const SEED = 20261129;

// Worker processes, kill -9 of workers and SIGSTOP of the checker's own node (127.0.0.5): every
// acknowledged message must stay visible, in order, once, through every read path.
describe('npm run check:consistency (3 workers, worker kills, node freezes)', () => {
  it('finds no consistency violation', async () => {
    const { code, stderr, report } = await runConsistencyChecker([
      '--seconds',
      String(SECONDS),
      '--workers',
      '3',
      '--seed',
      String(SEED),
    ]);
    expect(report.seed).toBe(SEED);
    expect(report.operations).toBeGreaterThan(1_000);
    expect(report.reads).toBeGreaterThan(200);
    expect(report.faults).toBeGreaterThanOrEqual(2);
    expect(stderr).toMatch(/killed worker/);
    expect(stderr).toMatch(/froze node consistency/);
    expect(violationLines(report)).toEqual([]);
    expect(code).toBe(0);
  }, 420_000);
});
