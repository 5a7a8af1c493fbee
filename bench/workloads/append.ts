import type { ContenderName, SessionHandle } from '../contenders/contender';
import { turns } from '../support/messages';
import { median, rotation, timed } from '../support/stats';
import type { AppendResult, Outcome } from '../results-model';
import { errorText, withOpened, type ByContender, type WorkloadContext } from './context';

const WARMUP_MESSAGES = 25;

/** Stored message count of a session, read through the contender itself. */
async function storedCount(handle: SessionHandle): Promise<number> {
  return (await handle.all()).length;
}

/**
 * Append: N sessions written in parallel, M messages each (sequential within a session, as a chat
 * is), ~contentBytes of content. Rounds are interleaved across contenders; each round uses fresh
 * sessions. Session objects are created and warmed before the clock starts (for LangChain.js that
 * is where its per-history driver client connects), so only appends are timed. The benchmark
 * process's CPU time over the timed part, per message, shows each contender's client-side cost.
 */
export async function appendWorkload(ctx: WorkloadContext): Promise<ByContender<Outcome<AppendResult>>> {
  const { sessions, messagesPerSession, rounds } = ctx.config.append;
  const bytes = ctx.config.contentBytes;
  return withOpened<AppendResult>(ctx, 'append', async (opened) => {
    const failures = new Map<ContenderName, string>();
    const perRound = new Map<ContenderName, number[]>();
    const sent = new Map<ContenderName, number>();
    const stored = new Map<ContenderName, number>();
    const trips = new Map<ContenderName, number>();
    const cpuMicros = new Map<ContenderName, number>();
    // Built once, outside the clock: every session sends the same script.
    const script = turns(0, messagesPerSession, bytes);

    // An untimed round of the same shape (fewer messages) warms the JIT, the connections and the node.
    const warmupScript = turns(0, Math.min(WARMUP_MESSAGES, messagesPerSession), bytes);
    for (const o of opened) {
      try {
        const handles = await Promise.all(
          Array.from({ length: sessions }, (_, s) => o.instance.session(`append-warmup-s${s}`)),
        );
        await Promise.all(handles.map(async (h) => {
          for (const t of warmupScript) await h.add(t);
        }));
        await Promise.all(handles.map((h) => h.release()));
      } catch (err) {
        failures.set(o.contender.name, errorText(err));
      }
    }

    for (let round = 0; round < rounds; round += 1) {
      for (const o of rotation(opened, round)) {
        const name = o.contender.name;
        if (failures.has(name)) continue;
        try {
          const handles = await Promise.all(
            Array.from({ length: sessions }, (_, s) => o.instance.session(`append-r${round}-s${s}`)),
          );
          const before = o.instance.roundTrips.count;
          const cpuBefore = process.cpuUsage();
          const { ms } = await timed(() =>
            Promise.all(
              handles.map(async (handle) => {
                for (const t of script) await handle.add(t);
              }),
            ),
          );
          const cpu = process.cpuUsage(cpuBefore);
          cpuMicros.set(name, (cpuMicros.get(name) ?? 0) + cpu.user + cpu.system);
          trips.set(name, (trips.get(name) ?? 0) + o.instance.roundTrips.count - before);
          const total = sessions * messagesPerSession;
          perRound.set(name, [...(perRound.get(name) ?? []), (total / ms) * 1000]);
          sent.set(name, (sent.get(name) ?? 0) + total);
          const counts = await Promise.all(handles.map(storedCount));
          stored.set(name, (stored.get(name) ?? 0) + counts.reduce((a, b) => a + b, 0));
          await Promise.all(handles.map((h) => h.release()));
          ctx.log(`append round ${round + 1}/${rounds} ${name}: ${Math.round((total / ms) * 1000)} messages/s`);
        } catch (err) {
          failures.set(name, errorText(err));
          ctx.log(`append ${name} failed: ${errorText(err)}`);
        }
      }
    }

    const results: ByContender<Outcome<AppendResult>> = {};
    for (const o of opened) {
      const name = o.contender.name;
      const failure = failures.get(name);
      if (failure !== undefined) {
        results[name] = { error: failure };
        continue;
      }
      const rates = perRound.get(name) ?? [];
      results[name] = {
        messagesPerSecond: median(rates),
        roundsMessagesPerSecond: rates,
        roundTripsPerMessage: (trips.get(name) ?? 0) / (sent.get(name) ?? 1),
        clientCpuMicrosPerMessage: (cpuMicros.get(name) ?? 0) / (sent.get(name) ?? 1),
        sent: sent.get(name) ?? 0,
        stored: stored.get(name) ?? 0,
      };
    }
    return results;
  });
}
