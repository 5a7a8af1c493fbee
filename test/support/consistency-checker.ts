import { join } from 'node:path';
import { REPO_ROOT, runTsScript } from './processes';

/** The part of `check:consistency --json`'s report the tests read. */
export interface CheckerReport {
  readonly seed: number;
  readonly operations: number;
  readonly acknowledged: number;
  readonly reads: number;
  readonly faults: number;
  readonly violations: readonly { kind: string; session: string; token?: string; op: string; detail: string }[];
}

export interface CheckerRun {
  readonly code: number | null;
  readonly stderr: string;
  readonly report: CheckerReport;
}

/**
 * Runs the model checker (check/consistency/run.ts) with `args` and `--json` in its own process.
 * Exit code 2 is a harness error: it fails here with the checker's last words rather than a JSON
 * parse error.
 */
export async function runConsistencyChecker(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CheckerRun> {
  const { code, stdout, stderr } = await runTsScript(
    join(REPO_ROOT, 'check', 'consistency', 'run.ts'),
    [...args, '--json'],
    env,
  );
  expect({ code, stderr: code === 2 ? stderr.split('\n').slice(-30).join('\n') : '' }).toMatchObject({ stderr: '' });
  return { code, stderr, report: JSON.parse(stdout) as CheckerReport };
}

/** One line per violation, for an `toEqual([])` that shows what went wrong. */
export function violationLines(report: CheckerReport): string[] {
  return report.violations.map((v) => `${v.kind} ${v.session} ${v.token ?? ''} seen by ${v.op}: ${v.detail}`);
}
