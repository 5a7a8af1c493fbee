import type { ContenderName, SessionHandle } from '../contenders/contender';
import { turns } from '../support/messages';
import { median, rotation, timed } from '../support/stats';
import type { AppendResult, Outcome } from '../results-model';
import { errorText, withOpened, type ByContender, type Opened, type WorkloadContext } from './context';

const WARMUP_MESSAGES = 25;

interface Tally {
  handles: SessionHandle[];
  ms: number;
  sliceRates: number[];
  sliceCpu: number[];
  trips: number;
  cpuMicros: number;
  sent: number;
}

async function openSessions(o: Opened, prefix: string, count: number): Promise<SessionHandle[]> {
  return Promise.all(Array.from({ length: count }, (_, s) => o.instance.session(`${prefix}-s${s}`)));
}

/** Every handle appends `script` in order, the handles in parallel. */
async function appendAll(
  handles: readonly SessionHandle[],
  script: readonly { role: 'user' | 'assistant'; content: string }[],
): Promise<void> {
  await Promise.all(
    handles.map(async (handle) => {
      for (const t of script) await handle.add(t);
    }),
  );
}

/**
 * Append: N sessions written in parallel, M messages each (sequential within a session, as a chat
 * is), ~contentBytes of content. The M messages go out in slices (default 10): slice k of every
 * session for one contender, then for the next, rotating the order, so that machine drift lands on
 * all contenders alike within seconds. Throughput is all messages over the summed slice times.
 * Sessions are created (for LangChain.js: its per-history driver client connected) and an untimed
 * warm-up round of the same shape runs before the clock starts. The benchmark process's CPU time
 * over the timed slices, per message, shows each contender's client-side cost.
 */
export async function appendWorkload(ctx: WorkloadContext): Promise<ByContender<Outcome<AppendResult>>> {
  const { sessions, messagesPerSession, slices, rounds } = ctx.config.append;
  const bytes = ctx.config.contentBytes;
  return withOpened<AppendResult>(ctx, 'append', async (opened) => {
    const failures = new Map<ContenderName, string>();
    const tallies = new Map<ContenderName, Tally>();
    const warmupScript = turns(0, Math.min(WARMUP_MESSAGES, messagesPerSession), bytes);
    for (const o of opened) {
      try {
        const warm = await openSessions(o, 'append-warmup', sessions);
        await appendAll(warm, warmupScript);
        await Promise.all(warm.map((h) => h.release()));
        tallies.set(o.contender.name, {
          handles: [],
          ms: 0,
          sliceRates: [],
          sliceCpu: [],
          trips: 0,
          cpuMicros: 0,
          sent: 0,
        });
      } catch (err) {
        failures.set(o.contender.name, errorText(err));
      }
    }

    // Built outside the clock: every session sends the same script, slice by slice.
    const script = turns(0, messagesPerSession, bytes);
    const perSlice = Math.ceil(messagesPerSession / slices);
    let sliceIndex = 0;
    for (let round = 0; round < rounds; round += 1) {
      // Each round writes fresh sessions (opened outside the clock): the same shape, repeated.
      const roundHandles = new Map<ContenderName, SessionHandle[]>();
      for (const o of opened) {
        if (failures.has(o.contender.name)) continue;
        try {
          roundHandles.set(o.contender.name, await openSessions(o, `append-r${round}`, sessions));
        } catch (err) {
          failures.set(o.contender.name, errorText(err));
        }
      }
      for (let slice = 0; slice * perSlice < messagesPerSession; slice += 1, sliceIndex += 1) {
        const part = script.slice(slice * perSlice, (slice + 1) * perSlice);
        for (const o of rotation(opened, sliceIndex)) {
          const name = o.contender.name;
          const tally = tallies.get(name);
          const handles = roundHandles.get(name);
          if (!tally || !handles || failures.has(name)) continue;
          try {
            const before = o.instance.roundTrips.count;
            const cpuBefore = process.cpuUsage();
            const { ms } = await timed(() => appendAll(handles, part));
            const cpu = process.cpuUsage(cpuBefore);
            const count = part.length * sessions;
            tally.ms += ms;
            tally.sliceRates.push((count / ms) * 1000);
            tally.trips += o.instance.roundTrips.count - before;
            tally.cpuMicros += cpu.user + cpu.system;
            tally.sliceCpu.push((cpu.user + cpu.system) / count);
            tally.sent += count;
          } catch (err) {
            failures.set(name, errorText(err));
            ctx.log(`append ${name} failed: ${errorText(err)}`);
          }
        }
        ctx.log(
          `append round ${round + 1} slice ${slice + 1}: ` +
            opened
              .map((o) => `${o.contender.name} ${Math.round(tallies.get(o.contender.name)?.sliceRates.at(-1) ?? 0)}/s`)
              .join(', '),
        );
      }
      for (const [name, handles] of roundHandles) tallies.get(name)?.handles.push(...handles);
    }

    const results: ByContender<Outcome<AppendResult>> = {};
    for (const o of opened) {
      const name = o.contender.name;
      const tally = tallies.get(name);
      const failure = failures.get(name);
      if (failure !== undefined || !tally) {
        results[name] = { error: failure ?? 'not measured' };
        continue;
      }
      const counts = await Promise.all(tally.handles.map(async (h) => (await h.all()).length));
      await Promise.all(tally.handles.map((h) => h.release()));
      results[name] = {
        messagesPerSecond: (tally.sent / tally.ms) * 1000,
        sliceMessagesPerSecond: tally.sliceRates,
        medianSliceMessagesPerSecond: median(tally.sliceRates),
        roundTripsPerMessage: tally.trips / Math.max(1, tally.sent),
        clientCpuMicrosPerMessage: tally.cpuMicros / Math.max(1, tally.sent),
        sliceClientCpuMicrosPerMessage: tally.sliceCpu,
        sent: tally.sent,
        stored: counts.reduce((a, b) => a + b, 0),
      };
    }
    return results;
  });
}
