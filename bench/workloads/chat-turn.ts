import type { ContenderName, SessionHandle } from '../contenders/contender';
import { latencyOf } from '../support/latency';
import { checkRange, turn } from '../support/messages';
import { msSince, rotation, timed } from '../support/stats';
import type { ChatTurnResult, Outcome } from '../results-model';
import { errorText, seedPlan, withOpened, type ByContender, type Opened, type WorkloadContext } from './context';

/** Messages a turn reads back: the model's context window of the turn. */
export const CHAT_CONTEXT = 20;
/** LangChain.js opens a driver client per history: it runs over this many sessions at most. */
const LANGCHAIN_MAX_SESSIONS = 64;

interface ChatSession {
  readonly handle: SessionHandle;
  /** Messages in the session so far: the next message's index. */
  count: number;
}

interface Tally {
  readonly sessions: ChatSession[];
  ms: number;
  readonly sliceRates: number[];
  readonly latencies: number[];
  turns: number;
  errors: number;
  firstError?: string;
}

/**
 * One turn of a chat service: read the last CHAT_CONTEXT messages (the model's context), check they
 * are exactly the newest ones in order, then store the user message and the answer in one call.
 * A wrong read or a failed call counts as an error; the turn's latency is measured either way.
 */
async function chatTurn(session: ChatSession, bytes: number, tally: Tally): Promise<void> {
  const start = process.hrtime.bigint();
  try {
    const context = await session.handle.last(CHAT_CONTEXT);
    const check = checkRange(context, session.count - CHAT_CONTEXT, CHAT_CONTEXT);
    if (!check.ok) {
      tally.errors += 1;
      tally.firstError ??= `wrong context after ${session.count} messages: ${check.detail}`;
    }
    await session.handle.addMany([turn(session.count, bytes), turn(session.count + 1, bytes)]);
    session.count += 2;
  } catch (err) {
    tally.errors += 1;
    tally.firstError ??= errorText(err);
  }
  tally.latencies.push(msSince(start));
  tally.turns += 1;
}

/** One turn per session, `lanes` in flight; a lane takes sessions lane, lane + lanes, ... in order. */
async function round(tally: Tally, lanes: number, bytes: number): Promise<void> {
  const width = Math.min(lanes, tally.sessions.length);
  await Promise.all(
    Array.from({ length: width }, async (_, lane) => {
      for (let s = lane; s < tally.sessions.length; s += width) await chatTurn(tally.sessions[s], bytes, tally);
    }),
  );
}

async function prepare(ctx: WorkloadContext, o: Opened): Promise<Tally> {
  const { sessions, history } = ctx.config.chat;
  const count = o.contender.name === 'langchain' ? Math.min(sessions, LANGCHAIN_MAX_SESSIONS) : sessions;
  const plan = seedPlan(ctx.config);
  const ids = Array.from({ length: count }, (_, s) => `chat-s${s}`);
  // Seeding is untimed: every session starts with `history` messages, so each read returns a full context.
  for (let i = 0; i < ids.length; i += 32)
    await Promise.all(ids.slice(i, i + 32).map((id) => o.instance.seed(id, history, plan)));
  const handles = await Promise.all(ids.map((id) => o.instance.session(id)));
  return {
    sessions: handles.map((handle) => ({ handle, count: history })),
    ms: 0,
    sliceRates: [],
    latencies: [],
    turns: 0,
    errors: 0,
  };
}

/**
 * chat-turn: many sessions (default 1,000), `concurrency` turns in flight. A slice is one turn of
 * every session for one contender, the contenders rotating slice by slice; an untimed warm-up
 * round comes first. Reports turns/s over the summed slice times, per-slice rates (for the ratio's
 * spread), turn latency p50/p99, and every wrong context or failed call as an error.
 */
export async function chatTurnWorkload(ctx: WorkloadContext): Promise<ByContender<Outcome<ChatTurnResult>>> {
  const { turns: rounds, concurrency } = ctx.config.chat;
  const bytes = ctx.config.contentBytes;
  return withOpened<ChatTurnResult>(ctx, 'chat', async (opened) => {
    const tallies = new Map<ContenderName, Tally>();
    const failures = new Map<ContenderName, string>();
    for (const o of opened) {
      try {
        ctx.log(`chat-turn: seeding ${o.contender.name}`);
        const tally = await prepare(ctx, o);
        await round(tally, concurrency, bytes);
        tallies.set(o.contender.name, { ...tally, latencies: [], turns: 0, errors: tally.errors });
      } catch (err) {
        failures.set(o.contender.name, errorText(err));
      }
    }
    for (let r = 0; r < rounds; r += 1) {
      for (const o of rotation(opened, r)) {
        const tally = tallies.get(o.contender.name);
        if (!tally) continue;
        const before = tally.turns;
        const { ms } = await timed(() => round(tally, concurrency, bytes));
        tally.ms += ms;
        tally.sliceRates.push(((tally.turns - before) / ms) * 1000);
      }
      ctx.log(
        `chat-turn round ${r + 1}: ` +
          opened
            .map((o) => `${o.contender.name} ${Math.round(tallies.get(o.contender.name)?.sliceRates.at(-1) ?? 0)}/s`)
            .join(', '),
      );
    }
    const results: ByContender<Outcome<ChatTurnResult>> = {};
    for (const o of opened) {
      const name = o.contender.name;
      const tally = tallies.get(name);
      if (!tally) {
        results[name] = { error: failures.get(name) ?? 'not measured' };
        continue;
      }
      await Promise.all(tally.sessions.map((s) => s.handle.release()));
      results[name] = {
        sessions: tally.sessions.length,
        turns: tally.turns,
        turnsPerSecond: (tally.turns / tally.ms) * 1000,
        sliceTurnsPerSecond: tally.sliceRates,
        latencyMs: latencyOf(tally.latencies),
        errors: tally.errors,
        ...(tally.firstError === undefined ? {} : { firstError: tally.firstError }),
      };
    }
    return results;
  });
}
