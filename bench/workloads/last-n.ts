import type { ContenderName, SessionHandle } from '../contenders/contender';
import { latencyOf } from '../support/latency';
import { checkRange } from '../support/messages';
import { rotation, timed } from '../support/stats';
import type { LastNResult, Outcome } from '../results-model';
import { errorText, seedPlan, withOpened, type ByContender, type WorkloadContext } from './context';

/** Queries per contender and size before the next contender takes over, so drift hits all alike. */
const BLOCK = 10;

interface Cell {
  readonly handle: SessionHandle;
  readonly samples: number[];
  trips: number;
  check?: { ok: boolean; detail: string };
}

/**
 * Last-N read latency on sessions of several sizes (seeded untimed). After a warm-up, queries run
 * in blocks of ten, rotating contenders and sizes; the first answer of each cell is checked to be
 * exactly the newest N messages in chronological order.
 */
export async function lastNWorkload(ctx: WorkloadContext): Promise<ByContender<Outcome<LastNResult[]>>> {
  const { count, sizes, queries, warmup } = ctx.config.last;
  return withOpened<LastNResult[]>(ctx, 'last', async (opened) => {
    const cells = new Map<ContenderName, Map<number, Cell>>();
    const failures = new Map<ContenderName, string>();

    for (const o of opened) {
      const name = o.contender.name;
      try {
        const bySize = new Map<number, Cell>();
        for (const size of sizes) {
          const sessionId = `last-${size}`;
          ctx.log(`last: seeding ${name} ${sessionId}`);
          await o.instance.seed(sessionId, size, seedPlan(ctx.config));
          const handle = await o.instance.session(sessionId);
          for (let i = 0; i < warmup; i += 1) await handle.last(count);
          bySize.set(size, { handle, samples: [], trips: 0 });
        }
        cells.set(name, bySize);
      } catch (err) {
        failures.set(name, errorText(err));
        ctx.log(`last ${name} failed while seeding: ${errorText(err)}`);
      }
    }

    const blocks = Math.ceil(queries / BLOCK);
    for (let block = 0; block < blocks; block += 1) {
      for (const o of rotation(opened, block)) {
        const name = o.contender.name;
        const bySize = cells.get(name);
        if (!bySize || failures.has(name)) continue;
        try {
          for (const size of rotation(sizes, block)) {
            const cell = bySize.get(size);
            if (!cell) continue;
            const n = Math.min(BLOCK, queries - block * BLOCK);
            const before = o.instance.roundTrips.count;
            for (let q = 0; q < n; q += 1) {
              const { ms, value } = await timed(() => cell.handle.last(count));
              cell.samples.push(ms);
              cell.check ??= checkRange(value, Math.max(0, size - count), Math.min(size, count));
            }
            cell.trips += o.instance.roundTrips.count - before;
          }
        } catch (err) {
          failures.set(name, errorText(err));
          ctx.log(`last ${name} failed: ${errorText(err)}`);
        }
      }
    }

    const results: ByContender<Outcome<LastNResult[]>> = {};
    for (const o of opened) {
      const name = o.contender.name;
      const failure = failures.get(name);
      const bySize = cells.get(name);
      if (failure !== undefined || !bySize) {
        results[name] = { error: failure ?? 'not measured' };
        continue;
      }
      const rows: LastNResult[] = [];
      for (const [size, cell] of bySize) {
        const latencyMs = latencyOf(cell.samples);
        rows.push({
          size,
          latencyMs,
          roundTripsPerQuery: cell.trips / Math.max(1, cell.samples.length),
          correct: cell.check?.ok ?? false,
          detail: cell.check?.detail ?? 'no answer',
        });
        ctx.log(`last ${name} size ${size}: p50 ${latencyMs.p50.toFixed(2)} ms, p99 ${latencyMs.p99.toFixed(2)} ms`);
        await cell.handle.release();
      }
      results[name] = rows;
    }
    return results;
  });
}
