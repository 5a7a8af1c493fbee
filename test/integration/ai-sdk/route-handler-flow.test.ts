import {
  convertToModelMessages,
  jsonSchema,
  isStepCount,
  streamText,
  tool,
  type UIMessage,
  validateUIMessages,
} from 'ai';
import { convertArrayToReadableStream, MockLanguageModelV4 } from 'ai/test';
import { TIME_UUID_PATTERN } from '../../../src/entities';
import { generateMessageId, UIMessageChatStore } from '../../../src/ai-sdk';
import { useMigratedStore } from '../../support/store';
import { everyPartChat } from '../../unit/ai-sdk/ui-message-fixtures';

/** The language model spec's stream part (from the mock's own type: `@ai-sdk/provider` is not a direct dependency). */
type StreamPart =
  Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer T> ? T : never;
const usage = {
  inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const finish = (unified: 'stop' | 'tool-calls') =>
  ({ type: 'finish', finishReason: { unified, raw: unified }, usage }) as const;
const textStream = (id: string, text: string): StreamPart[] => [
  { type: 'text-start', id },
  { type: 'text-delta', id, delta: text.slice(0, 4) },
  { type: 'text-delta', id, delta: text.slice(4) },
  { type: 'text-end', id },
];
const reply = (parts: StreamPart[]) => ({
  stream: convertArrayToReadableStream<StreamPart>([{ type: 'stream-start', warnings: [] }, ...parts]),
});

const weather = tool({
  description: 'The weather in a city',
  inputSchema: jsonSchema<{ city: string }>({
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
  }),
  execute: async ({ city }) => ({ city, tempC: 18 }),
});
/** A client-side tool: no execute, the browser adds its output. */
const confirm = tool({
  description: 'Ask the user to confirm',
  inputSchema: jsonSchema<{ question: string }>({
    type: 'object',
    properties: { question: { type: 'string' } },
    required: ['question'],
  }),
});
const tools = { weather, confirm };

describe('AI SDK persistence in a route handler on a real node', () => {
  const ctx = useMigratedStore('aisdk');

  /** The route handler of the SDK's persistence guide, with this package's loadChat / saveChat. */
  function chatRoute(model: MockLanguageModelV4) {
    const chats = new UIMessageChatStore({ store: ctx.store() });
    const finished: UIMessage[][] = [];
    let saved: Promise<void> = Promise.resolve();
    async function POST(request: Request): Promise<Response> {
      const { id, messages: sent } = (await request.json()) as { id: string; messages: UIMessage[] };
      const messages = await validateUIMessages({ messages: sent, tools });
      const result = streamText({
        model,
        messages: await convertToModelMessages(messages),
        tools,
        stopWhen: isStepCount(3),
      });
      return result.toUIMessageStreamResponse({
        originalMessages: messages,
        generateMessageId,
        sendSources: true,
        onFinish: ({ messages: all }) => {
          finished.push(all);
          saved = chats.saveChat({ chatId: id, messages: all });
        },
      });
    }
    /** Posts like useChat does and drains the stream; resolves once onFinish's save is done. */
    async function send(id: string, messages: UIMessage[]): Promise<UIMessage[]> {
      const response = await POST(
        new Request('http://localhost/api/chat', { method: 'POST', body: JSON.stringify({ id, messages }) }),
      );
      await response.text();
      await saved;
      return finished[finished.length - 1];
    }
    return { chats, send };
  }

  it('streams, saves in onFinish, loads the same chat, and the next turn sees it through convertToModelMessages', async () => {
    const model = new MockLanguageModelV4({
      doStream: [
        reply([
          { type: 'reasoning-start', id: 'r1' },
          { type: 'reasoning-delta', id: 'r1', delta: 'Need the weather.' },
          { type: 'reasoning-end', id: 'r1' },
          { type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: '{"city":"Paris"}' },
          finish('tool-calls'),
        ]),
        reply([
          { type: 'source', sourceType: 'url', id: 'src-1', url: 'https://example.com/w', title: 'Weather' },
          ...textStream('t1', 'It is 18°C in Paris.'),
          finish('stop'),
        ]),
        reply([...textStream('t2', 'You asked about Paris.'), finish('stop')]),
      ],
    });
    const { chats, send } = chatRoute(model);
    const chatId = await chats.createChat({ title: 'weather' });

    const user1: UIMessage = { id: 'client-1', role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] };
    const afterTurn1 = await send(chatId, [user1]);
    const loaded1 = await chats.loadChat(chatId);
    expect(JSON.stringify(loaded1)).toBe(JSON.stringify(afterTurn1));
    expect(loaded1.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(loaded1[1].id).toMatch(TIME_UUID_PATTERN);
    expect(loaded1[1].parts.map((p) => p.type)).toEqual([
      'step-start',
      'reasoning',
      'tool-weather',
      'step-start',
      'source-url',
      'text',
    ]);
    expect(loaded1[1].parts[2]).toMatchObject({
      state: 'output-available',
      input: { city: 'Paris' },
      output: { city: 'Paris', tempC: 18 },
    });
    await expect(validateUIMessages({ messages: loaded1, tools })).resolves.toEqual(loaded1);

    // Turn 2, as a client sends it: the loaded chat plus a new user message.
    const user2: UIMessage = { id: 'client-2', role: 'user', parts: [{ type: 'text', text: 'What did I ask?' }] };
    const afterTurn2 = await send(chatId, [...loaded1, user2]);
    const loaded2 = await chats.loadChat(chatId);
    expect(JSON.stringify(loaded2)).toBe(JSON.stringify(afterTurn2));
    expect(loaded2.map((m) => m.id).slice(0, 3)).toEqual(['client-1', loaded1[1].id, 'client-2']);
    expect(loaded2).toHaveLength(4);

    // The model's third call got the first turn back from Cassandra, tool call and result included.
    const prompt = model.doStreamCalls[2].prompt;
    expect(prompt.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(JSON.stringify(prompt)).toContain('Weather in Paris?');
    expect(JSON.stringify(prompt)).toContain('"tempC":18');
  });

  it('continues an assistant message after a client-side tool output under the same id, without a duplicate', async () => {
    const model = new MockLanguageModelV4({
      doStream: [
        reply([
          { type: 'tool-call', toolCallId: 'ask-1', toolName: 'confirm', input: '{"question":"Book it?"}' },
          finish('tool-calls'),
        ]),
        reply([...textStream('t1', 'Booked, thanks.'), finish('stop')]),
      ],
    });
    const { chats, send } = chatRoute(model);
    const chatId = await chats.createChat();
    const user: UIMessage = { id: generateMessageId(), role: 'user', parts: [{ type: 'text', text: 'Book a table' }] };
    const afterCall = await send(chatId, [user]);
    const pending = (await chats.loadChat(chatId))[1];
    expect(pending.parts.at(-1)).toMatchObject({ type: 'tool-confirm', state: 'input-available' });

    // The browser adds the tool output (useChat's addToolOutput) and sends the chat again.
    const answered: UIMessage = {
      ...pending,
      parts: pending.parts.map((p) =>
        p.type === 'tool-confirm' ? { ...p, state: 'output-available', output: 'yes' } : p,
      ) as UIMessage['parts'],
    };
    const afterContinue = await send(chatId, [user, answered]);
    expect(afterContinue.map((m) => m.id)).toEqual(afterCall.map((m) => m.id));
    const loaded = await chats.loadChat(chatId);
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(afterContinue));
    expect(loaded).toHaveLength(2);
    expect(await ctx.store().history(chatId).count()).toBe(2);
    expect(loaded[1].parts.at(-1)).toMatchObject({ type: 'text', text: 'Booked, thanks.' });
  });

  it('round-trips every part type byte for byte through the real node', async () => {
    const chats = new UIMessageChatStore({ store: ctx.store() });
    const chat = everyPartChat(['client-a', generateMessageId(), 'client-b']);
    await chats.saveChat({ chatId: 'every-part', messages: chat });
    const loaded = await chats.loadChat('every-part');
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(chat));
    await expect(validateUIMessages({ messages: loaded })).resolves.toEqual(chat);
  });
});
