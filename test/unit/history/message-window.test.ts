import fc from 'fast-check';
import type { ChatMessage } from '../../../src/entities';
import { estimateTokens, isModelReadyWindow, modelReadyWindow } from '../../../src/history/message-window';
import type { NewChatMessage } from '../../../src';
import { conversation, conversationTurns, usable, validStarts } from '../../support/conversations';

const asMessages = (messages: readonly NewChatMessage[]): ChatMessage[] =>
  messages.map((m, i) => ({ ...m, id: `m${i}`, metadata: {} }) as unknown as ChatMessage);

const ids = (ms: readonly ChatMessage[]) => ms.map((m) => m.id);

describe('model-ready windows (pure rules)', () => {
  it('the example from the issue: limit 3 never starts at a tool result', () => {
    const session = asMessages([
      { role: 'user', content: 'weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'c1', name: 'w', args: {} },
          { id: 'c2', name: 'w', args: {} },
        ],
      },
      { role: 'tool', toolCallId: 'c1', content: '18' },
      { role: 'tool', toolCallId: 'c2', content: '21' },
      { role: 'assistant', content: 'Paris 18, Rome 21' },
    ]);
    const window = modelReadyWindow(session, true, {
      limit: 3,
      countTokens: estimateTokens,
      reservedTokens: 0,
      startWithUser: false,
    });
    expect(window.map((m) => m.role)).toEqual(['assistant', 'tool', 'tool', 'assistant']);
    const bedrock = modelReadyWindow(session, true, {
      limit: 3,
      countTokens: estimateTokens,
      reservedTokens: 0,
      startWithUser: true,
    });
    expect(bedrock.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(isModelReadyWindow(session.slice(2), { startWithUser: false })).toBe(false);
  });

  it.each([false, true])(
    'limit windows are valid, the newest possible, and at most 2 × limit (startWithUser %s)',
    (startWithUser) => {
      fc.assert(
        fc.property(conversationTurns(40), fc.integer({ min: 1, max: 12 }), (turns, limit) => {
          const all = asMessages(conversation(turns));
          const window = modelReadyWindow(all, true, {
            limit,
            countTokens: estimateTokens,
            reservedTokens: 0,
            startWithUser,
          });
          expect(isModelReadyWindow(window, { startWithUser })).toBe(true);
          expect(window.length).toBeLessThanOrEqual(2 * limit);
          const kept = usable(all);
          const starts = validStarts(kept, startWithUser);
          const cut = Math.max(0, kept.length - limit);
          const back = starts.filter((p) => p <= cut && p >= cut - limit);
          const expected =
            back.length > 0 ? Math.max(...back) : Math.min(...starts.filter((p) => p > cut), kept.length);
          expect(ids(window)).toEqual(ids(kept.slice(expected)));
        }),
        { numRuns: 400 },
      );
    },
  );

  it.each([false, true])(
    'token windows are valid, within budget, and the longest that fits (startWithUser %s)',
    (startWithUser) => {
      fc.assert(
        fc.property(conversationTurns(40), fc.integer({ min: 1, max: 600 }), (turns, maxTokens) => {
          const all = asMessages(conversation(turns));
          const window = modelReadyWindow(all, true, {
            maxTokens,
            countTokens: estimateTokens,
            reservedTokens: 0,
            startWithUser,
          });
          expect(isModelReadyWindow(window, { startWithUser })).toBe(true);
          expect(window.reduce((sum, m) => sum + estimateTokens(m), 0)).toBeLessThanOrEqual(maxTokens);
          const kept = usable(all);
          const fits = validStarts(kept, startWithUser).filter(
            (p) => kept.slice(p).reduce((s, m) => s + estimateTokens(m), 0) <= maxTokens,
          );
          expect(ids(window)).toEqual(ids(kept.slice(fits.length > 0 ? Math.min(...fits) : kept.length)));
        }),
        { numRuns: 400 },
      );
    },
  );

  it('a call whose result never came is left out whole; so is a result nobody asked for', () => {
    const session = asMessages([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'a', name: 'f', args: {} },
          { id: 'b', name: 'f', args: {} },
        ],
      },
      { role: 'tool', toolCallId: 'a', content: 'only one result' },
      { role: 'tool', toolCallId: 'ghost', content: 'nobody asked' },
      { role: 'assistant', content: 'answer' },
    ]);
    const window = modelReadyWindow(session, true, {
      limit: 10,
      countTokens: estimateTokens,
      reservedTokens: 0,
      startWithUser: false,
    });
    expect(window.map((m) => m.content)).toEqual(['q', 'answer']);
  });

  it('a partial read keeps a leading result whose call may be older, but never starts a window there', () => {
    const tail = asMessages([
      { role: 'tool', toolCallId: 'older', content: 'result of an older call' },
      { role: 'assistant', content: 'answer' },
      { role: 'user', content: 'next' },
    ]);
    const window = modelReadyWindow(tail, false, {
      limit: 3,
      countTokens: estimateTokens,
      reservedTokens: 0,
      startWithUser: false,
    });
    expect(window.map((m) => m.content)).toEqual(['answer', 'next']);
  });
});
