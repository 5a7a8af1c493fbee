import type { ChatMessage } from '../entities';

/**
 * Windows a chat model accepts. Providers (OpenAI, Anthropic, Bedrock, ...) refuse a tool result
 * without the assistant message that made the call, and an assistant tool call without all of its
 * results; Bedrock also refuses a conversation that does not start with a user message. A window
 * here is a suffix of the session (the newest messages, in order) that never breaks those rules:
 *
 * - the cut never falls inside a tool-call group (an assistant message with tool calls and the
 *   tool results answering it): it moves back to the group's assistant message;
 * - a group that can never be complete (a call whose result was never stored) is left out whole,
 *   and so is a tool result whose call is nowhere in the session;
 * - with `startWithUser`, the window starts at a user message (system messages kept in front by
 *   `keepSystem` aside).
 */

/** Estimated tokens of one message: about 4 characters a token, plus a few per message. */
export function estimateTokens(message: ChatMessage): number {
  let chars = message.content.length;
  if (message.toolCalls && message.toolCalls.length > 0) chars += JSON.stringify(message.toolCalls).length;
  if (message.name) chars += message.name.length;
  return Math.ceil(chars / 4) + 4;
}

export interface WindowRules {
  readonly startWithUser: boolean;
}

/** Whether `messages` (chronological) is a conversation a chat model accepts, by the rules above. */
export function isModelReadyWindow(messages: readonly ChatMessage[], rules: WindowRules): boolean {
  const open = new Map<string, number>();
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (m.role === 'tool') {
      if (m.toolCallId === undefined || !open.has(m.toolCallId)) return false;
      open.delete(m.toolCallId);
      continue;
    }
    // A new non-tool message: every call still open has no result before it.
    if (open.size > 0) return false;
    for (const call of m.role === 'assistant' ? (m.toolCalls ?? []) : []) open.set(call.id, i);
  }
  if (open.size > 0) return false;
  const first = messages.find((m) => m.role !== 'system');
  return !rules.startWithUser || first === undefined || first.role === 'user';
}

/**
 * The messages of `chronological` that can take part in a window: incomplete tool-call groups and
 * orphan tool results left out. `complete`: the list starts at the session's first message, so a
 * result whose call is not in it has no call at all (otherwise its call may just be older).
 * Returns the kept messages and, per kept message, the index (in the kept list) of the assistant
 * message its group starts at (its own index for non-tool messages; -1: the call is older).
 */
function groupMessages(
  chronological: readonly ChatMessage[],
  complete: boolean,
): { kept: ChatMessage[]; groupStart: number[] } {
  const answered = new Map<number, Set<string>>();
  // A result answers the nearest open call with its id: the call must come first, in one group.
  const resultOf = new Array<number>(chronological.length).fill(-1);
  let openCalls = new Map<string, number>();
  for (let i = 0; i < chronological.length; i++) {
    const m = chronological[i];
    if (m.role === 'tool') {
      const owner = m.toolCallId !== undefined ? openCalls.get(m.toolCallId) : undefined;
      if (owner !== undefined) {
        resultOf[i] = owner;
        openCalls.delete(m.toolCallId as string);
        answered.get(owner)?.add(m.toolCallId as string);
      }
      continue;
    }
    openCalls = new Map();
    if (m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0) {
      answered.set(i, new Set());
      for (const call of m.toolCalls) openCalls.set(call.id, i);
    }
  }
  const incomplete = new Set<number>();
  for (const [owner, ids] of answered) {
    if (ids.size < (chronological[owner].toolCalls?.length ?? 0)) incomplete.add(owner);
  }
  const kept: ChatMessage[] = [];
  const groupStart: number[] = [];
  const keptIndex = new Map<number, number>();
  let leading = true;
  for (let i = 0; i < chronological.length; i++) {
    const m = chronological[i];
    if (m.role !== 'tool') {
      leading = false;
      if (incomplete.has(i)) continue;
      keptIndex.set(i, kept.length);
      groupStart.push(kept.length);
      kept.push(m);
      continue;
    }
    const owner = resultOf[i];
    if (owner >= 0) {
      if (incomplete.has(owner)) continue;
      groupStart.push(keptIndex.get(owner) as number);
      kept.push(m);
    } else if (!complete && leading) {
      // Before any other message of a partial read: its call may be older than what was read.
      groupStart.push(-1);
      kept.push(m);
    }
    // Otherwise an orphan (its call is nowhere before it): never part of a window.
  }
  return { kept, groupStart };
}

/** Valid window starts of the kept list: `valid[p]` when kept[p..] obeys the rules. */
function validStarts(kept: readonly ChatMessage[], groupStart: readonly number[], rules: WindowRules): boolean[] {
  const valid = new Array<boolean>(kept.length).fill(false);
  let earliestGroup = Number.POSITIVE_INFINITY;
  for (let p = kept.length - 1; p >= 0; p--) {
    earliestGroup = Math.min(earliestGroup, groupStart[p]);
    const m = kept[p];
    valid[p] = m.role !== 'tool' && earliestGroup >= p && (!rules.startWithUser || m.role === 'user');
  }
  return valid;
}

export interface WindowRequest extends WindowRules {
  /** Soft target: the window moves back past it to a valid start, by at most `limit` more. */
  readonly limit?: number;
  /** Hard budget, with `countTokens`: the window only ever shrinks to fit it. */
  readonly maxTokens?: number;
  readonly countTokens: (message: ChatMessage) => number;
  /** Tokens already spent (system messages kept in front). */
  readonly reservedTokens: number;
}

/**
 * The newest model-ready window of `chronological` (a suffix of the session; `complete` when it
 * starts at the session's first message).
 * - `limit` only: the nearest valid start at or before the newest `limit` messages, looking back at
 *   most `limit` more messages; if there is none, the nearest valid start after it (fewer messages).
 * - `maxTokens`: the longest valid suffix within the budget (and within `limit`, when given, as a
 *   hard cap too).
 */
export function modelReadyWindow(
  chronological: readonly ChatMessage[],
  complete: boolean,
  request: WindowRequest,
): ChatMessage[] {
  const { kept, groupStart } = groupMessages(chronological, complete);
  const valid = validStarts(kept, groupStart, request);
  const n = kept.length;
  if (request.maxTokens === undefined) {
    const limit = request.limit ?? n;
    const cut = Math.max(0, n - limit);
    for (let p = cut; p >= Math.max(0, cut - limit); p--) if (valid[p]) return kept.slice(p);
    for (let p = cut + 1; p < n; p++) if (valid[p]) return kept.slice(p);
    return [];
  }
  let budget = request.maxTokens - request.reservedTokens;
  let cut = n;
  const floor = request.limit !== undefined ? Math.max(0, n - request.limit) : 0;
  while (cut > floor) {
    const cost = request.countTokens(kept[cut - 1]);
    if (cost > budget) break;
    budget -= cost;
    cut--;
  }
  for (let p = cut; p < n; p++) if (valid[p]) return kept.slice(p);
  return [];
}
