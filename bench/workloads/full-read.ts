import type { ContenderName, SessionHandle } from '../contenders/contender';
import { checkRange } from '../support/messages';
import { median, rotation, timed } from '../support/stats';
import type { FullReadResult, Outcome } from '../results-model';
import { errorText, seedPlan, withOpened, type ByContender, type WorkloadContext } from './context';

/**
 * Full read of one long session: time to get every message, and whether every message came back
 * in order. A contender that returns fewer messages is a correctness finding, not a crash.
 */
export async function fullReadWorkload(ctx: WorkloadContext): Promise<ByContender<Outcome<FullReadResult>>> {
  const { messages, repetitions } = ctx.config.fullRead;
  return withOpened<FullReadResult>(ctx, 'full_read', async (opened) => {
    const handles = new Map<ContenderName, SessionHandle>();
    const samples = new Map<
      ContenderName,
      { ms: number[]; trips: number[]; returned: number; check: { ok: boolean; detail: string } }
    >();
    const failures = new Map<ContenderName, string>();

    for (const o of opened) {
      try {
        ctx.log(`full-read: seeding ${o.contender.name} with ${messages} messages`);
        await o.instance.seed('full-read', messages, seedPlan(ctx.config));
        const handle = await o.instance.session('full-read');
        await handle.last(1);
        handles.set(o.contender.name, handle);
      } catch (err) {
        failures.set(o.contender.name, errorText(err));
      }
    }

    for (let rep = 0; rep < repetitions; rep += 1) {
      for (const o of rotation(opened, rep)) {
        const name = o.contender.name;
        const handle = handles.get(name);
        if (!handle || failures.has(name)) continue;
        try {
          const before = o.instance.roundTrips.count;
          const { ms, value } = await timed(() => handle.all());
          const trips = o.instance.roundTrips.count - before;
          const entry = samples.get(name) ?? {
            ms: [],
            trips: [],
            returned: value.length,
            check: checkRange(value, 0, messages),
          };
          entry.ms.push(ms);
          entry.trips.push(trips);
          samples.set(name, entry);
          ctx.log(`full-read ${name}: ${ms.toFixed(0)} ms, ${value.length} of ${messages} returned`);
        } catch (err) {
          failures.set(name, errorText(err));
        }
      }
    }

    const results: ByContender<Outcome<FullReadResult>> = {};
    for (const o of opened) {
      const name = o.contender.name;
      const s = samples.get(name);
      const failure = failures.get(name);
      if (failure !== undefined || !s) {
        results[name] = { error: failure ?? 'not measured' };
        continue;
      }
      results[name] = {
        ms: median(s.ms),
        expected: messages,
        returned: s.returned,
        complete: s.check.ok,
        detail: s.check.detail,
        roundTrips: median(s.trips),
      };
      await handles.get(name)?.release();
    }
    return results;
  });
}
