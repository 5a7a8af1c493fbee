import type { ContenderName } from '../contenders/contender';
import { turns } from '../support/messages';
import { median, rotation, timed } from '../support/stats';
import type { Outcome, TransformResult } from '../results-model';
import { errorText, type ByContender, type WorkloadContext } from './context';

/**
 * Validation + transform cost per message, in isolation (no network): the CPU work each contender
 * does between the caller's message and the values bound to the driver. One warm-up pass, then
 * interleaved timed passes; the median pass gives µs/message.
 */
export async function transformWorkload(ctx: WorkloadContext): Promise<ByContender<Outcome<TransformResult>>> {
  const { messages, repetitions } = ctx.config.transform;
  const input = turns(0, messages, ctx.config.contentBytes);
  const probes = new Map<ContenderName, { run(t: typeof input): unknown }>();
  const failures = new Map<ContenderName, string>();
  const samples = new Map<ContenderName, number[]>();
  for (const contender of ctx.contenders) {
    try {
      const probe = await contender.transformProbe({ bucketSpanMs: ctx.config.bucketSpanMs });
      probe.run(input);
      probes.set(contender.name, probe);
    } catch (err) {
      failures.set(contender.name, errorText(err));
    }
  }
  for (let rep = 0; rep < repetitions; rep += 1) {
    for (const contender of rotation(ctx.contenders, rep)) {
      const probe = probes.get(contender.name);
      if (!probe || failures.has(contender.name)) continue;
      try {
        const { ms } = await timed(async () => probe.run(input));
        samples.set(contender.name, [...(samples.get(contender.name) ?? []), (ms * 1000) / messages]);
      } catch (err) {
        failures.set(contender.name, errorText(err));
      }
    }
  }
  const results: ByContender<Outcome<TransformResult>> = {};
  for (const contender of ctx.contenders) {
    const failure = failures.get(contender.name);
    const s = samples.get(contender.name);
    results[contender.name] =
      failure !== undefined || !s ? { error: failure ?? 'not measured' } : { microsPerMessage: median(s) };
    if (s) ctx.log(`transform ${contender.name}: ${median(s).toFixed(2)} µs/message`);
  }
  return results;
}
