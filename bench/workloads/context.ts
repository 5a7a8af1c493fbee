import type { Client } from 'cassandra-driver';
import type { BenchConfig } from '../config';
import type { Contender, ContenderInstance, ContenderName, SeedPlan } from '../contenders/contender';
import type { Outcome } from '../results-model';
import { benchKeyspaceName, dropKeyspace } from '../support/keyspaces';

/** A contender opened on its own fresh keyspace for one workload. */
export interface Opened {
  readonly contender: Contender;
  readonly instance: ContenderInstance;
  readonly keyspace: string;
}

export interface WorkloadContext {
  readonly config: BenchConfig;
  readonly contenders: readonly Contender[];
  /** A plain client for housekeeping (dropping keyspaces); never measured. */
  readonly admin: Client;
  log(message: string): void;
}

export function seedPlan(config: BenchConfig): SeedPlan {
  return { endMs: Date.now(), intervalMs: config.seedIntervalMs, contentBytes: config.contentBytes };
}

/**
 * Opens every contender on a fresh keyspace of its own: `bench_<workload>_<contender>_<random>`.
 * A contender that cannot open is reported in `failures` and left out of the workload.
 */
export async function openAll(
  ctx: WorkloadContext,
  workload: string,
): Promise<{ opened: Opened[]; failures: ByContender<string> }> {
  const started = process.hrtime.bigint();
  const failures: ByContender<string> = {};
  // Concurrently: schema changes wait for agreement one by one, the waits of three contenders overlap.
  const attempts = await Promise.all(
    ctx.contenders.map(async (contender): Promise<Opened | undefined> => {
      const keyspace = benchKeyspaceName(workload, contender.name);
      try {
        const instance = await contender.open(keyspace, { bucketSpanMs: ctx.config.bucketSpanMs });
        return { contender, instance, keyspace };
      } catch (err) {
        failures[contender.name] = `open failed: ${errorText(err)}`;
        ctx.log(`${contender.name}: ${failures[contender.name]}`);
        await dropKeyspace(ctx.admin, keyspace).catch(() => undefined);
        return undefined;
      }
    }),
  );
  ctx.log(`${workload}: keyspaces ready in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
  return { opened: attempts.filter((o): o is Opened => o !== undefined), failures };
}

export async function closeAll(ctx: WorkloadContext, opened: readonly Opened[]): Promise<void> {
  await Promise.all(
    opened.map(async ({ instance, keyspace }) => {
      await instance.close().catch((err: unknown) => ctx.log(`close failed: ${String(err)}`));
      if (!ctx.config.keepKeyspaces) {
        await dropKeyspace(ctx.admin, keyspace).catch((err: unknown) =>
          ctx.log(`drop ${keyspace} failed: ${String(err)}`),
        );
      }
    }),
  );
}

/**
 * Runs `body` with every contender opened, always closes them and drops their keyspaces, and adds
 * the contenders that failed to open to the result as `{ error }`.
 */
export async function withOpened<T extends object>(
  ctx: WorkloadContext,
  workload: string,
  body: (opened: readonly Opened[]) => Promise<ByContender<Outcome<T>>>,
): Promise<ByContender<Outcome<T>>> {
  const { opened, failures } = await openAll(ctx, workload);
  try {
    const results = await body(opened);
    for (const [name, error] of Object.entries(failures) as [ContenderName, string][]) {
      results[name] = { error };
    }
    return results;
  } finally {
    await closeAll(ctx, opened);
  }
}

export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}

/** Per-contender results, with a failure recorded instead of aborting the whole run. */
export type ByContender<T> = Partial<Record<ContenderName, T>>;
