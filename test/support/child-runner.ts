import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..', '..');
const CHILD = join(ROOT, 'test', 'integration', 'migrations', 'child', 'run-up.ts');

const spawned: ChildRunner[] = [];

/** SIGKILLs every child runner still alive (for afterAll). */
export function killChildRunners(): void {
  for (const child of spawned) {
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  }
}

export type ChildLine = {
  event: string;
  applied?: number[];
  owner?: string;
  holder?: string;
  name?: string;
  message?: string;
};

/** A runner in its own OS process; `lines` collects what it prints. */
export class ChildRunner {
  readonly process: ChildProcessWithoutNullStreams;
  readonly lines: ChildLine[] = [];
  private readonly waiters: Array<{ test: (line: string) => boolean; resolve: () => void }> = [];
  readonly exited: Promise<number | null>;
  private stderr = '';

  /** `env` is added to this process's environment (e.g. CASSANDRA_CONTACT_POINTS, CASSANDRA_REPLICATION). */
  constructor(keyspace: string, directory: string, mode: 'normal' | 'stall' = 'normal', env: NodeJS.ProcessEnv = {}) {
    this.process = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', CHILD, keyspace, directory, mode],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
      },
    );
    this.process.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    createInterface({ input: this.process.stdout }).on('line', (line) => {
      if (line.startsWith('{')) this.lines.push(JSON.parse(line) as ChildLine);
      for (const waiter of [...this.waiters]) {
        if (waiter.test(line)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
    spawned.push(this);
  }

  waitFor(test: (line: string) => boolean, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`child did not print the expected line; stderr: ${this.stderr}`)),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  go(): void {
    this.process.stdin.write('go\n');
  }

  result(): ChildLine | undefined {
    return this.lines.find((l) => l.event === 'done' || l.event === 'error');
  }
}
