import type { ContenderName, TransformProbe } from '../contenders/contender';
import { turns } from '../support/messages';
import { median, rotation, timed } from '../support/stats';
import type { Outcome, TransformResult } from '../results-model';
import { errorText, type ByContender, type WorkloadContext } from './context';

/** Messages handed to a probe per call: what one addMessages call would carry. */
const CHUNK = 50;

/**
 * Validation + transform cost per message, in isolation (no network): the CPU work each contender
 * does between the caller's message and the values bound to the driver, fed in chunks of 50. One
 * warm-up pass, then interleaved timed passes; the median pass gives µs/message.
 */
export async function transformWorkload(ctx: WorkloadContext): Promise<ByContender<Outcome<TransformResult>>> {
  const { messages, repetitions } = ctx.config.transform;
  const all = turns(0, messages, ctx.config.contentBytes);
  const chunks = Array.from({ length: Math.ceil(messages / CHUNK) }, (_, i) => all.slice(i * CHUNK, (i + 1) * CHUNK));
  const pass = (probe: TransformProbe): void => {
    for (const chunk of chunks) probe.run(chunk);
  };
  const probes = new Map<ContenderName, TransformProbe>();
  const failures = new Map<ContenderName, string>();
  const samples = new Map<ContenderName, number[]>();
  for (const contender of ctx.contenders) {
    try {
      const probe = await contender.transformProbe({ bucketSpanMs: ctx.config.bucketSpanMs });
      pass(probe);
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
        const { ms } = await timed(async () => pass(probe));
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
