import type { ContenderName, SessionHandle } from '../contenders/contender';
import { latencyOf } from '../support/latency';
import { turns } from '../support/messages';
import { median, rotation, timed } from '../support/stats';
import type { BatchResult, Outcome } from '../results-model';
import { errorText, withOpened, type ByContender, type Opened, type WorkloadContext } from './context';

interface Series {
  manyMs: number[];
  singlesMs: number[];
  manyTrips: number[];
  singlesTrips: number[];
  sent: number;
}

/**
 * Batch append: `addMessages(size)` against `size` single adds, one call at a time on two warmed
 * sessions per contender (the first write of a session, which may record its bucket, is not
 * measured). Round trips are counted by the driver's request tracker around each call.
 */
export async function batchWorkload(ctx: WorkloadContext): Promise<ByContender<Outcome<BatchResult>>> {
  const { size, repetitions } = ctx.config.batch;
  const bytes = ctx.config.contentBytes;
  return withOpened<BatchResult>(ctx, 'batch', async (opened) => {
    const sessions = new Map<ContenderName, { many: SessionHandle; singles: SessionHandle }>();
    const series = new Map<ContenderName, Series>();
    const failures = new Map<ContenderName, string>();

    for (const o of opened) {
      try {
        const many = await o.instance.session('batch-many');
        const singles = await o.instance.session('batch-singles');
        await many.addMany(turns(0, size, bytes));
        for (const t of turns(0, size, bytes)) await singles.add(t);
        sessions.set(o.contender.name, { many, singles });
        series.set(o.contender.name, { manyMs: [], singlesMs: [], manyTrips: [], singlesTrips: [], sent: size });
      } catch (err) {
        failures.set(o.contender.name, errorText(err));
      }
    }

    const measure = async (o: Opened, rep: number): Promise<void> => {
      const name = o.contender.name;
      const handles = sessions.get(name);
      const s = series.get(name);
      if (!handles || !s || failures.has(name)) return;
      try {
        const from = (rep + 1) * size;
        let before = o.instance.roundTrips.count;
        const many = await timed(() => handles.many.addMany(turns(from, size, bytes)));
        s.manyTrips.push(o.instance.roundTrips.count - before);
        s.manyMs.push(many.ms);

        before = o.instance.roundTrips.count;
        const batchOfTurns = turns(from, size, bytes);
        const singles = await timed(async () => {
          for (const t of batchOfTurns) await handles.singles.add(t);
        });
        s.singlesTrips.push(o.instance.roundTrips.count - before);
        s.singlesMs.push(singles.ms);
        s.sent += size;
      } catch (err) {
        failures.set(name, errorText(err));
        ctx.log(`batch ${name} failed: ${errorText(err)}`);
      }
    };

    for (let rep = 0; rep < repetitions; rep += 1) {
      for (const o of rotation(opened, rep)) await measure(o, rep);
    }

    const results: ByContender<Outcome<BatchResult>> = {};
    for (const o of opened) {
      const name = o.contender.name;
      const failure = failures.get(name);
      const s = series.get(name);
      const handles = sessions.get(name);
      if (failure !== undefined || !s || !handles) {
        results[name] = { error: failure ?? 'not measured' };
        continue;
      }
      const storedMany = (await handles.many.all()).length;
      const storedSingles = (await handles.singles.all()).length;
      await handles.many.release();
      await handles.singles.release();
      const result: BatchResult = {
        addManyMs: latencyOf(s.manyMs),
        singleAddsMs: latencyOf(s.singlesMs),
        addManyRoundTrips: { median: median(s.manyTrips), max: Math.max(...s.manyTrips) },
        singleAddsRoundTrips: { median: median(s.singlesTrips), max: Math.max(...s.singlesTrips) },
        sent: s.sent * 2,
        stored: storedMany + storedSingles,
      };
      results[name] = result;
      ctx.log(
        `batch ${name}: addMessages(${size}) p50 ${result.addManyMs.p50.toFixed(2)} ms, ` +
          `${size} single adds p50 ${result.singleAddsMs.p50.toFixed(2)} ms`,
      );
    }
    return results;
  });
}
