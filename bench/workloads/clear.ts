import type { ContenderName } from '../contenders/contender';
import { median, rotation, timed } from '../support/stats';
import type { ClearResult, Outcome } from '../results-model';
import { errorText, seedPlan, withOpened, type ByContender, type WorkloadContext } from './context';

/** Clear of a long session: each repetition seeds a fresh session (untimed), clears it, checks it is empty. */
export async function clearWorkload(ctx: WorkloadContext): Promise<ByContender<Outcome<ClearResult>>> {
  const { messages, repetitions } = ctx.config.clear;
  return withOpened<ClearResult>(ctx, 'clear', async (opened) => {
    const samples = new Map<ContenderName, { ms: number[]; trips: number[]; emptyAfter: boolean }>();
    const failures = new Map<ContenderName, string>();
    for (let rep = 0; rep < repetitions; rep += 1) {
      for (const o of rotation(opened, rep)) {
        const name = o.contender.name;
        if (failures.has(name)) continue;
        try {
          const sessionId = `clear-${rep}`;
          await o.instance.seed(sessionId, messages, seedPlan(ctx.config));
          const handle = await o.instance.session(sessionId);
          await handle.last(1);
          const before = o.instance.roundTrips.count;
          const { ms } = await timed(() => handle.clear());
          const trips = o.instance.roundTrips.count - before;
          const left = (await handle.all()).length;
          await handle.release();
          const entry = samples.get(name) ?? { ms: [], trips: [], emptyAfter: true };
          entry.ms.push(ms);
          entry.trips.push(trips);
          entry.emptyAfter &&= left === 0;
          samples.set(name, entry);
          ctx.log(`clear ${name}: ${ms.toFixed(1)} ms, ${left} messages left`);
        } catch (err) {
          failures.set(name, errorText(err));
        }
      }
    }
    const results: ByContender<Outcome<ClearResult>> = {};
    for (const o of opened) {
      const name = o.contender.name;
      const s = samples.get(name);
      const failure = failures.get(name);
      results[name] =
        failure !== undefined || !s
          ? { error: failure ?? 'not measured' }
          : { ms: median(s.ms), messages, roundTrips: median(s.trips), emptyAfter: s.emptyAfter };
    }
    return results;
  });
}
