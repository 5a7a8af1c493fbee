import {
  AIMessage,
  type BaseMessage,
  ChatMessage as LangChainChatMessage,
  FunctionMessage,
  HumanMessage,
  RemoveMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { types } from 'cassandra-driver';
import fc from 'fast-check';
import { ChatMessage, validateMessages } from '../../../src/entities';
import { MessageValidationError } from '../../../src/errors';
import type { NewChatMessage } from '../../../src/history/chat-history';
import {
  EMPTY_CONTENT_TEXT,
  LANGCHAIN_METADATA_KEY,
  StoredMessageFormatError,
  toLangChainMessage,
  toNewChatMessage,
  UNKNOWN_TOOL_CALL_ID,
} from '../../../src/langchain';
import { everyMessageClass, snapshot } from './message-fixtures';

/**
 * What the store does to a message, without a network: the facade's validation (so every converted
 * message is one the store accepts), then the trip through the text and JSON columns.
 */
function storeAndLoad(message: NewChatMessage): ChatMessage {
  const [validated] = validateMessages([
    { ...message, sessionId: 'session-1', bucket: 0, id: types.TimeUuid.now().toString() },
  ]);
  const row = new ChatMessage();
  const roundTripped = JSON.parse(JSON.stringify({ ...validated })) as Record<string, unknown>;
  return Object.assign(row, roundTripped);
}

function roundTrip(message: BaseMessage): BaseMessage {
  return toLangChainMessage(storeAndLoad(toNewChatMessage(message)));
}

function payload(stored: NewChatMessage): Record<string, unknown> {
  return (stored.metadata as Record<string, Record<string, unknown>>)[LANGCHAIN_METADATA_KEY];
}

describe('LangChain message ↔ chat message', () => {
  const messages = everyMessageClass();

  describe.each(Object.entries(messages))('%s', (_label, message) => {
    it('round-trips losslessly through a stored row', () => {
      const back = roundTrip(message);
      expect(snapshot(back)).toEqual(snapshot(message));
      expect(back.text).toBe(message.text);
    });

    it('becomes a message the store accepts', () => {
      expect(() => storeAndLoad(toNewChatMessage(message))).not.toThrow();
    });
  });

  it('maps a plain human message onto a user message with an empty LangChain payload', () => {
    const stored = toNewChatMessage(messages.plainHuman);
    expect(stored).toEqual({
      role: 'user',
      content: 'Hello there',
      metadata: { langchain: { type: 'human', data: {} } },
    });
  });

  it('keeps the LangChain id, name, additional_kwargs and response_metadata', () => {
    const stored = toNewChatMessage(messages.richHuman);
    expect(stored.role).toBe('user');
    expect(stored.name).toBe('alice');
    expect(payload(stored)).toEqual({
      type: 'human',
      data: {
        id: 'msg-human-1',
        additional_kwargs: { locale: 'fr-FR', nested: { a: [1, 2, { b: null }] } },
        response_metadata: { source: 'web' },
      },
    });
  });

  it('stores AI tool calls in the toolCalls column, once', () => {
    const stored = toNewChatMessage(messages.aiWithToolCalls);
    expect(stored.role).toBe('assistant');
    expect(stored.content).toBe('');
    expect(stored.name).toBe('planner');
    expect(stored.toolCalls).toEqual([
      { id: 'call_1', name: 'get_weather', args: { city: 'Paris', days: 3 } },
      { id: 'call_2', name: 'get_time', args: {} },
    ]);
    const lc = payload(stored);
    expect(lc.typedToolCalls).toBe(true);
    const data = lc.data as Record<string, unknown>;
    expect(data).not.toHaveProperty('tool_calls');
    expect(data).not.toHaveProperty('content');
    expect(data.usage_metadata).toEqual({
      input_tokens: 12,
      output_tokens: 34,
      total_tokens: 46,
      input_token_details: { cache_read: 4 },
      output_token_details: { reasoning: 10 },
    });
    expect(data.invalid_tool_calls).toHaveLength(1);
  });

  it('restores tool calls exactly as given, with or without their type', () => {
    const typed = roundTrip(messages.aiWithToolCalls) as AIMessage;
    expect(typed.tool_calls).toEqual((messages.aiWithToolCalls as AIMessage).tool_calls);
    expect(typed.tool_calls?.[0]).toHaveProperty('type', 'tool_call');
    const untyped = roundTrip(messages.aiUntypedToolCalls) as AIMessage;
    expect(untyped.tool_calls).toEqual([{ id: 'call_9', name: 'lookup', args: { q: 'x' } }]);
    expect(untyped.tool_calls?.[0]).not.toHaveProperty('type');
  });

  it('keeps tool calls the column cannot hold (no id) in the LangChain payload only', () => {
    const stored = toNewChatMessage(messages.aiToolCallWithoutId);
    expect(stored.toolCalls).toBeUndefined();
    // An assistant message without column tool calls needs text; the payload keeps the real ''.
    expect(stored.content).toBe(EMPTY_CONTENT_TEXT);
    expect((payload(stored).data as Record<string, unknown>).content).toBe('');
    expect((payload(stored).data as Record<string, unknown>).tool_calls).toEqual([
      { name: 'anonymous', args: { x: 1 }, type: 'tool_call' },
    ]);
  });

  it('maps tool messages onto tool messages with their call id', () => {
    const stored = toNewChatMessage(messages.tool);
    expect(stored).toMatchObject({ role: 'tool', content: '18°C, sunny', toolCallId: 'call_1', name: 'get_weather' });
    const data = payload(stored).data as Record<string, unknown>;
    expect(data).toEqual({
      id: 'tool-msg-1',
      artifact: { raw: { temp: 18.5, unit: 'C' }, readings: [18, 19] },
      status: 'success',
    });
    const back = roundTrip(messages.tool) as ToolMessage;
    expect(back).toBeInstanceOf(ToolMessage);
    expect(back.artifact).toEqual({ raw: { temp: 18.5, unit: 'C' }, readings: [18, 19] });
  });

  it('gives a tool message without a usable call id a placeholder column and restores the original', () => {
    const stored = toNewChatMessage(messages.toolWithoutCallId);
    expect(stored.toolCallId).toBe(UNKNOWN_TOOL_CALL_ID);
    expect((roundTrip(messages.toolWithoutCallId) as ToolMessage).tool_call_id).toBe('');
  });

  it('maps system, function and chat messages onto the closest role', () => {
    expect(toNewChatMessage(messages.system).role).toBe('system');
    expect(toNewChatMessage(messages.function)).toMatchObject({
      role: 'tool',
      toolCallId: 'get_weather',
      name: 'get_weather',
    });
    expect(toNewChatMessage(messages.chatCustomRole).role).toBe('user');
    expect(toNewChatMessage(messages.chatAssistantRole).role).toBe('assistant');
    expect(payload(toNewChatMessage(messages.chatCustomRole))).toEqual({
      type: 'generic',
      data: { id: 'chat-1', role: 'critic' },
    });
  });

  it('stores multimodal content as JSON in the payload and a text rendering in content', () => {
    const stored = toNewChatMessage(messages.multimodal);
    expect(stored.content).toBe('What is in this picture? [image]');
    expect((payload(stored).data as Record<string, unknown>).content).toEqual(
      (messages.multimodal as HumanMessage).content,
    );
    expect(toNewChatMessage(messages.imageOnly).content).toBe('[image]');
    expect(roundTrip(messages.multimodal).content).toEqual(messages.multimodal.content);
  });

  it('stores an empty human or AI message with a placeholder text and restores it empty', () => {
    expect(toNewChatMessage(new HumanMessage('')).content).toBe(EMPTY_CONTENT_TEXT);
    expect(toNewChatMessage(messages.aiEmpty).content).toBe(EMPTY_CONTENT_TEXT);
    expect(roundTrip(new HumanMessage('')).content).toBe('');
  });

  it('stores a streamed AIMessageChunk as the AIMessage it adds up to', () => {
    const back = roundTrip(messages.aiChunk) as AIMessage;
    expect(back).toBeInstanceOf(AIMessage);
    expect(back.tool_calls).toEqual([{ id: 'call_7', name: 'search', args: { q: 'cassandra' }, type: 'tool_call' }]);
    expect(back.usage_metadata).toEqual({ input_tokens: 1, output_tokens: 2, total_tokens: 3 });
  });

  it('keeps a name too long for the column in the payload only', () => {
    const stored = toNewChatMessage(messages.longName);
    expect(stored.name).toBeUndefined();
    expect(roundTrip(messages.longName).name).toBe('n'.repeat(300));
  });

  it('uses the live fields of a message changed after construction', () => {
    const message = new HumanMessage('first');
    message.id = 'assigned-later';
    message.name = 'renamed';
    const back = roundTrip(message);
    expect(back.id).toBe('assigned-later');
    expect(back.name).toBe('renamed');
  });

  describe('refuses what is not a history message', () => {
    it.each([
      ['a RemoveMessage', new RemoveMessage({ id: 'x' })],
      ['a plain object', { type: 'human', content: 'hi' }],
      ['null', null],
    ])('%s', (_label, value) => {
      expect(() => toNewChatMessage(value as unknown as BaseMessage, 'messages[0]')).toThrow(MessageValidationError);
    });

    it.each([
      [
        'a tool message without tool_call_id',
        () => new ToolMessage({ content: 'x' } as unknown as ConstructorParameters<typeof ToolMessage>[0]),
      ],
      [
        'a function message without name',
        () => new FunctionMessage({ content: 'x' } as unknown as ConstructorParameters<typeof FunctionMessage>[0]),
      ],
      [
        'a chat message without role',
        () =>
          new LangChainChatMessage({ content: 'x' } as unknown as ConstructorParameters<
            typeof LangChainChatMessage
          >[0]),
      ],
    ])('%s (LangChain could not read it back)', (_label, build) => {
      expect(() => toNewChatMessage(build(), 'messages[1]')).toThrow(MessageValidationError);
    });

    it('a message whose fields are not JSON (circular)', () => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const message = new HumanMessage({ content: 'x', additional_kwargs: { circular } });
      expect(() => toNewChatMessage(message, 'messages[3]')).toThrow(/messages\[3\]/);
    });
  });

  describe('rows written by other writers (no LangChain payload)', () => {
    function foreignRow(fields: Partial<ChatMessage>): ChatMessage {
      return Object.assign(new ChatMessage(), {
        sessionId: 's',
        bucket: 0,
        id: types.TimeUuid.now().toString(),
        metadata: { app: 'other' },
        ...fields,
      });
    }

    it('become the message class of their role, with the row id as LangChain id', () => {
      const user = foreignRow({ role: 'user', content: 'hi', name: 'bob' });
      const human = toLangChainMessage(user);
      expect(human).toBeInstanceOf(HumanMessage);
      expect(snapshot(human)).toEqual({
        class: 'HumanMessage',
        type: 'human',
        content: 'hi',
        id: user.id,
        name: 'bob',
        additional_kwargs: {},
        response_metadata: {},
      });

      const assistant = foreignRow({
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'c1', name: 'f', args: { a: 1 } }],
      });
      const ai = toLangChainMessage(assistant) as AIMessage;
      expect(ai).toBeInstanceOf(AIMessage);
      expect(ai.tool_calls).toEqual([{ id: 'c1', name: 'f', args: { a: 1 }, type: 'tool_call' }]);

      const tool = toLangChainMessage(foreignRow({ role: 'tool', content: 'r', toolCallId: 'c1' })) as ToolMessage;
      expect(tool).toBeInstanceOf(ToolMessage);
      expect(tool.tool_call_id).toBe('c1');

      const system = toLangChainMessage(
        foreignRow({ role: 'system', content: 's', name: undefined, toolCalls: undefined }),
      );
      expect(system.type).toBe('system');
    });

    it('tolerate the null columns the driver returns', () => {
      const row = foreignRow({ role: 'assistant', content: 'x' });
      Object.assign(row, { name: null, toolCalls: null, toolCallId: null });
      const ai = toLangChainMessage(row) as AIMessage;
      expect(ai.name).toBeUndefined();
      expect(ai.tool_calls).toEqual([]);
    });
  });

  describe('a damaged LangChain payload is a StoredMessageFormatError naming the row', () => {
    it.each([
      ['not an object', 'text'],
      ['an unknown type', { type: 'remove', data: {} }],
      ['no data', { type: 'human' }],
      ['a bad absent list', { type: 'human', data: {}, absent: 'content' }],
    ])('%s', (_label, payloadValue) => {
      const row = Object.assign(new ChatMessage(), {
        sessionId: 's',
        bucket: 0,
        id: types.TimeUuid.now().toString(),
        role: 'user',
        content: 'x',
        metadata: { langchain: payloadValue },
      });
      let error: unknown;
      try {
        toLangChainMessage(row);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StoredMessageFormatError);
      expect((error as StoredMessageFormatError).rowId).toBe(row.id);
      expect((error as Error).message).not.toContain('"x"');
    });
  });

  describe('property: any JSON fields round-trip', () => {
    const jsonObject = fc
      .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 })
      .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);
    const wellFormed = fc.string({ unit: 'grapheme', maxLength: 40 });
    const toolCall = fc.record({
      id: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
      name: fc.string({ minLength: 1, maxLength: 12 }),
      args: jsonObject,
      type: fc.constantFrom('tool_call' as const, undefined),
    });
    const message: fc.Arbitrary<BaseMessage> = fc.oneof(
      fc
        .record({
          content: wellFormed,
          id: fc.option(fc.uuid(), { nil: undefined }),
          name: fc.option(wellFormed, { nil: undefined }),
          additional_kwargs: jsonObject,
        })
        .map((fields) => new HumanMessage(fields)),
      fc
        .record({
          content: wellFormed,
          tool_calls: fc.array(toolCall, { maxLength: 3 }),
          response_metadata: jsonObject,
          usage_metadata: fc.option(
            fc.record({ input_tokens: fc.nat(), output_tokens: fc.nat(), total_tokens: fc.nat() }),
            { nil: undefined },
          ),
        })
        .map(
          ({ tool_calls, ...fields }) =>
            new AIMessage({
              ...fields,
              tool_calls: tool_calls.map(({ id, type, ...rest }) => ({
                ...rest,
                ...(id !== undefined ? { id } : {}),
                ...(type !== undefined ? { type } : {}),
              })),
            }),
        ),
      fc
        .record({
          content: wellFormed,
          tool_call_id: fc.string({ maxLength: 10 }),
          artifact: fc.jsonValue({ maxDepth: 2 }),
        })
        .map(
          (fields) => new ToolMessage({ ...fields, artifact: JSON.parse(JSON.stringify(fields.artifact)) as unknown }),
        ),
    );

    it('and the stored form is always valid', () => {
      fc.assert(
        fc.property(message, (original) => {
          expect(snapshot(roundTrip(original))).toEqual(snapshot(original));
        }),
        { numRuns: 300 },
      );
    });
  });
});
