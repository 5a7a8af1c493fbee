import fc from 'fast-check';
import type { ChatMessage, NewChatMessage } from '../../src';
import { isModelReadyWindow } from '../../src/history/message-window';

/**
 * Random conversations of the shapes chat models produce: user and system messages, assistant text,
 * assistant messages with parallel tool calls followed by their results (sometimes in another
 * order, sometimes with a result missing), orphan tool results, long texts. Shared by the unit
 * tests of the window rules and the integration tests that store such sessions on a real node.
 */
type Turn =
  | { kind: 'user' | 'system' | 'assistant'; words: number }
  | { kind: 'tools'; calls: number; missing: number; reversed: boolean }
  | { kind: 'orphan' };

const turn: fc.Arbitrary<Turn> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('user' as const), words: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('system' as const), words: fc.integer({ min: 1, max: 20 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('assistant' as const), words: fc.integer({ min: 1, max: 400 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('tools' as const),
      calls: fc.integer({ min: 1, max: 3 }),
      missing: fc.oneof(
        { weight: 5, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
      ),
      reversed: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'orphan' as const }) },
);

export const conversationTurns = (maxTurns: number): fc.Arbitrary<Turn[]> =>
  fc.array(turn, { minLength: 0, maxLength: maxTurns });

/** The messages of a list of turns, in order (ids left to the store). */
export function conversation(turns: readonly Turn[]): NewChatMessage[] {
  const messages: NewChatMessage[] = [];
  let call = 0;
  turns.forEach((t, i) => {
    const text = (words: number) => `t${i} ` + 'word '.repeat(words).trim();
    if (t.kind === 'orphan') {
      messages.push({ role: 'tool', toolCallId: `ghost_${i}`, content: 'result of a call nobody made' });
    } else if (t.kind === 'tools') {
      const ids = Array.from({ length: t.calls }, () => `call_${++call}`);
      messages.push({
        role: 'assistant',
        content: '',
        toolCalls: ids.map((id) => ({ id, name: 'lookup', args: { q: id } })),
      });
      const answered = ids.slice(0, Math.max(0, ids.length - t.missing));
      for (const id of t.reversed ? [...answered].reverse() : answered)
        messages.push({ role: 'tool', toolCallId: id, content: `result ${id}` });
    } else {
      messages.push({ role: t.kind, content: text(t.words) });
    }
  });
  return messages;
}

/**
 * An oracle written apart from the implementation: the messages that can be in any window (complete
 * tool-call groups, their results right after the call; no orphan results), then the newest suffix
 * of those that isModelReadyWindow accepts, by brute force.
 */
export function usable(all: readonly ChatMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (let i = 0; i < all.length; i++) {
    const m = all[i];
    if (m.role === 'tool') continue; // consumed below, or an orphan
    if (m.role !== 'assistant' || !m.toolCalls || m.toolCalls.length === 0) {
      out.push(m);
      continue;
    }
    const wanted = new Set(m.toolCalls.map((c) => c.id));
    const results: ChatMessage[] = [];
    let j = i + 1;
    for (; j < all.length && all[j].role === 'tool'; j++) {
      if (wanted.has(all[j].toolCallId as string)) {
        wanted.delete(all[j].toolCallId as string);
        results.push(all[j]);
      }
    }
    if (wanted.size === 0) out.push(m, ...results);
  }
  return out;
}

export function validStarts(kept: readonly ChatMessage[], startWithUser: boolean): number[] {
  const starts: number[] = [];
  for (let p = 0; p < kept.length; p++) {
    const w = kept.slice(p);
    if (isModelReadyWindow(w, { startWithUser }) && (!startWithUser || w[0].role === 'user')) starts.push(p);
  }
  return starts;
}
