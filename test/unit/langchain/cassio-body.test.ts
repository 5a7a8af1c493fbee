import {
  AIMessage,
  ChatMessage,
  FunctionMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from '@langchain/core/messages';
import { fromCassioBody, StoredMessageFormatError, toCassioBody } from '../../../src/langchain';
import { PYTHON_BODIES, PYTHON_MESSAGE_TYPES, PYTHON_MODEL_FIELDS } from './fixtures/python-bodies';
import { everyMessageClass, snapshot } from './message-fixtures';

describe('cassio body_blob (LangChain Python message_to_dict JSON)', () => {
  describe('reads what Python writes', () => {
    it('a langchain-core 0.3 human message (example field, \\u escapes, surrogate pairs)', () => {
      const message = fromCassioBody(PYTHON_BODIES.human03);
      expect(message).toBeInstanceOf(HumanMessage);
      expect(snapshot(message)).toEqual({
        class: 'HumanMessage',
        type: 'human',
        content: 'Bonjour, ça va ? 😀',
        additional_kwargs: {},
        response_metadata: {},
      });
    });

    it('an AI message with tool calls, invalid tool calls, usage and response metadata', () => {
      const message = fromCassioBody(PYTHON_BODIES.aiToolCall03) as AIMessage;
      expect(message).toBeInstanceOf(AIMessage);
      expect(message.id).toBe('run-8f1c2a4e-6d3b-4a8e-9c1f-2b7d5e9a0c31-0');
      expect(message.content).toBe('');
      expect(message.tool_calls).toEqual([
        { name: 'get_weather', args: { city: 'Paris', unit: 'celsius' }, id: 'call_Xk2pQ9', type: 'tool_call' },
      ]);
      expect(message.invalid_tool_calls).toEqual([
        {
          name: 'get_time',
          args: '{"tz": ',
          id: 'call_Bad1',
          error: 'Function get_time arguments:\n\n{"tz": \n\nare not valid JSON.',
          type: 'invalid_tool_call',
        },
      ]);
      expect(message.usage_metadata).toEqual({
        input_tokens: 20,
        output_tokens: 15,
        total_tokens: 35,
        input_token_details: { audio: 0, cache_read: 0 },
        output_token_details: { audio: 0, reasoning: 0 },
      });
      expect(message.response_metadata).toMatchObject({
        model_name: 'gpt-4o-mini-2024-07-18',
        finish_reason: 'tool_calls',
      });
      expect(message.additional_kwargs).toEqual({ refusal: null });
      expect(message.name).toBeUndefined();
    });

    it('a tool message with its artifact and status', () => {
      const message = fromCassioBody(PYTHON_BODIES.tool03) as ToolMessage;
      expect(message).toBeInstanceOf(ToolMessage);
      expect(snapshot(message)).toEqual({
        class: 'ToolMessage',
        type: 'tool',
        content: '18°C and sunny',
        name: 'get_weather',
        tool_call_id: 'call_Xk2pQ9',
        artifact: { readings: [18.5, 19], station: 'LFPG' },
        status: 'success',
        additional_kwargs: {},
        response_metadata: {},
      });
    });

    it('a langchain-core 1.x AI answer (usage_metadata null, no example field)', () => {
      const message = fromCassioBody(PYTHON_BODIES.aiAnswer1) as AIMessage;
      expect(message).toBeInstanceOf(AIMessage);
      expect(message.content).toBe('It is 18°C in Paris.');
      expect(message.usage_metadata).toBeUndefined();
      expect(message.tool_calls).toEqual([]);
    });

    it('system, multimodal, chat ("chat" is JS "generic") and function messages', () => {
      expect(fromCassioBody(PYTHON_BODIES.system1)).toBeInstanceOf(SystemMessage);
      const multimodal = fromCassioBody(PYTHON_BODIES.multimodal1);
      expect(multimodal.content).toEqual([
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ]);
      expect(multimodal.name).toBe('alice');
      expect(multimodal.id).toBe('m-42');
      const chat = fromCassioBody(PYTHON_BODIES.chat1) as ChatMessage;
      expect(chat).toBeInstanceOf(ChatMessage);
      expect(chat.role).toBe('critic');
      const fn = fromCassioBody(PYTHON_BODIES.function1);
      expect(fn).toBeInstanceOf(FunctionMessage);
      expect(fn.name).toBe('get_weather');
    });

    it('a streamed AIMessageChunk as an AIMessage', () => {
      const message = fromCassioBody(PYTHON_BODIES.aiChunk03);
      expect(message).toBeInstanceOf(AIMessage);
      expect(message.content).toBe('Streamed answer');
      expect(message.id).toBe('run-77aa');
    });
  });

  describe('writes what Python reads', () => {
    const messages = everyMessageClass();

    it.each(Object.entries(messages))('%s: a {"type", "data"} dict with every model_dump field', (_label, message) => {
      const body = JSON.parse(toCassioBody(message)) as { type: string; data: Record<string, unknown> };
      expect(Object.keys(body)).toEqual(['type', 'data']);
      expect(PYTHON_MESSAGE_TYPES).toContain(body.type);
      expect(body.data.type).toBe(body.type);
      const fields = PYTHON_MODEL_FIELDS[body.type];
      expect(Object.keys(body.data).slice(0, fields.length)).toEqual(fields);
      if (body.type === 'ai') {
        // Python's ToolCall / InvalidToolCall TypedDicts require these keys (values may be null).
        for (const call of body.data.tool_calls as Record<string, unknown>[]) {
          expect(call).toHaveProperty('id');
          expect(call).toHaveProperty('name');
          expect(call).toHaveProperty('args');
        }
        for (const call of body.data.invalid_tool_calls as Record<string, unknown>[]) {
          for (const key of ['name', 'args', 'id', 'error']) expect(call).toHaveProperty(key);
        }
      }
    });

    it('writes ChatMessage as Python\'s "chat" and absent optional fields as null', () => {
      expect(JSON.parse(toCassioBody(messages.chatCustomRole))).toEqual({
        type: 'chat',
        data: {
          content: 'I disagree.',
          additional_kwargs: {},
          response_metadata: {},
          type: 'chat',
          name: null,
          id: 'chat-1',
          role: 'critic',
        },
      });
      const ai = JSON.parse(toCassioBody(messages.aiToolCallWithoutId)) as { data: Record<string, unknown> };
      expect(ai.data.tool_calls).toEqual([{ name: 'anonymous', args: { x: 1 }, type: 'tool_call', id: null }]);
      expect(ai.data.usage_metadata).toBeNull();
    });
  });

  describe('round trips', () => {
    it.each(Object.entries(everyMessageClass()))(
      '%s: TypeScript → body → TypeScript is lossless',
      (_label, message) => {
        expect(snapshot(fromCassioBody(toCassioBody(message)))).toEqual(snapshot(message));
      },
    );

    it.each(['aiAnswer1', 'system1', 'multimodal1', 'chat1', 'tool03'] as const)(
      '%s: Python body → TypeScript → body gives Python the same dict back',
      (key) => {
        const original = PYTHON_BODIES[key];
        expect(JSON.parse(toCassioBody(fromCassioBody(original)))).toEqual(JSON.parse(original));
      },
    );

    it('a 0.3 body comes back without its default example=false only', () => {
      const original = JSON.parse(PYTHON_BODIES.aiToolCall03) as { data: Record<string, unknown> };
      delete original.data.example;
      expect(JSON.parse(toCassioBody(fromCassioBody(PYTHON_BODIES.aiToolCall03)))).toEqual(original);
    });
  });

  describe('a body that is not a message is a StoredMessageFormatError naming the row', () => {
    it.each([
      ['not JSON', '{"type": "human", "data": '],
      ['not a message dict', '["human", "hi"]'],
      ['no data', '{"type": "human"}'],
      ['an unknown type', '{"type": "remove", "data": {"id": "x", "content": ""}}'],
      ['a type on the prototype chain', '{"type": "constructor", "data": {}}'],
      ['a tool message without tool_call_id', '{"type": "tool", "data": {"content": "secret text"}}'],
      ['null', null],
    ])('%s', (_label, body) => {
      let error: unknown;
      try {
        fromCassioBody(body, 'row-1');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StoredMessageFormatError);
      expect((error as StoredMessageFormatError).rowId).toBe('row-1');
      expect((error as Error).message).not.toContain('secret text');
    });
  });

  it('refuses to write what is not a history message', () => {
    expect(() => toCassioBody({ content: 'x' } as unknown as BaseMessage)).toThrow(/LangChain message/);
  });

  it('keeps a human message written by TypeScript readable when it has no id or name', () => {
    expect(JSON.parse(toCassioBody(new HumanMessage('hi')))).toEqual({
      type: 'human',
      data: { content: 'hi', additional_kwargs: {}, response_metadata: {}, type: 'human', name: null, id: null },
    });
  });
});
