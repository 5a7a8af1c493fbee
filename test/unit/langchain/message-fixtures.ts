import {
  AIMessage,
  AIMessageChunk,
  type BaseMessage,
  ChatMessage,
  FunctionMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';

/**
 * What a LangChain message is, read from the object itself (not through the code under test): its
 * class, type and every field a history must keep, normalised through JSON.
 */
export function snapshot(message: BaseMessage): Record<string, unknown> {
  const fields = message as unknown as Record<string, unknown>;
  const keys = [
    'content',
    'id',
    'name',
    'additional_kwargs',
    'response_metadata',
    'tool_calls',
    'invalid_tool_calls',
    'usage_metadata',
    'tool_call_id',
    'artifact',
    'status',
    'role',
  ];
  const picked: Record<string, unknown> = { class: expectedClass(message), type: message.type };
  for (const key of keys) if (fields[key] !== undefined) picked[key] = fields[key];
  return JSON.parse(JSON.stringify(picked)) as Record<string, unknown>;
}

/** Chunks are stored as the whole message they stand for. */
function expectedClass(message: BaseMessage): string {
  return message.constructor.name.replace(/Chunk$/, '');
}

/** One of every message class a history holds, with every field filled in. */
export function everyMessageClass(): Record<string, BaseMessage> {
  return {
    plainHuman: new HumanMessage('Hello there'),
    richHuman: new HumanMessage({
      content: 'What is the weather in Paris?',
      id: 'msg-human-1',
      name: 'alice',
      additional_kwargs: { locale: 'fr-FR', nested: { a: [1, 2, { b: null }] } },
      response_metadata: { source: 'web' },
    }),
    system: new SystemMessage({
      content: 'You are terse.',
      id: 'sys-1',
      additional_kwargs: { __openai_role__: 'developer' },
    }),
    aiWithToolCalls: new AIMessage({
      content: '',
      id: 'chatcmpl-123',
      name: 'planner',
      tool_calls: [
        { id: 'call_1', name: 'get_weather', args: { city: 'Paris', days: 3 }, type: 'tool_call' },
        { id: 'call_2', name: 'get_time', args: {}, type: 'tool_call' },
      ],
      invalid_tool_calls: [
        { id: 'call_3', name: 'broken', args: '{"city": ', error: 'Unterminated JSON', type: 'invalid_tool_call' },
      ],
      usage_metadata: {
        input_tokens: 12,
        output_tokens: 34,
        total_tokens: 46,
        input_token_details: { cache_read: 4 },
        output_token_details: { reasoning: 10 },
      },
      response_metadata: { model_name: 'gpt-test', finish_reason: 'tool_calls', logprobs: null },
      additional_kwargs: { refusal: null },
    }),
    aiUntypedToolCalls: new AIMessage({
      content: 'Let me check.',
      tool_calls: [{ id: 'call_9', name: 'lookup', args: { q: 'x' } }],
    }),
    aiToolCallWithoutId: new AIMessage({
      content: '',
      tool_calls: [{ name: 'anonymous', args: { x: 1 }, type: 'tool_call' }],
    }),
    aiEmpty: new AIMessage(''),
    tool: new ToolMessage({
      content: '18°C, sunny',
      tool_call_id: 'call_1',
      name: 'get_weather',
      artifact: { raw: { temp: 18.5, unit: 'C' }, readings: [18, 19] },
      status: 'success',
      id: 'tool-msg-1',
    }),
    toolError: new ToolMessage({ content: 'boom', tool_call_id: 'call_2', status: 'error' }),
    toolWithoutCallId: new ToolMessage({ content: 'orphan', tool_call_id: '' }),
    chatCustomRole: new ChatMessage({ content: 'I disagree.', role: 'critic', id: 'chat-1' }),
    chatAssistantRole: new ChatMessage({ content: 'Sure.', role: 'assistant' }),
    function: new FunctionMessage({ content: '{"temp": 18}', name: 'get_weather' }),
    multimodal: new HumanMessage({
      content: [
        { type: 'text', text: 'What is in this picture? ' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
      ],
    }),
    imageOnly: new HumanMessage({
      content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }],
    }),
    aiChunk: new AIMessageChunk({
      content: 'streamed',
      id: 'run-1',
      tool_call_chunks: [
        { id: 'call_7', name: 'search', args: '{"q": "cassandra"}', index: 0, type: 'tool_call_chunk' },
      ],
      usage_metadata: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
    }),
    aiOutputV1: new AIMessage({
      content: [{ type: 'text', text: 'Checking.' }],
      response_metadata: { output_version: 'v1', model_provider: 'openai' },
      tool_calls: [{ id: 'call_v1', name: 'search', args: { q: 'v1' }, type: 'tool_call' }],
    }),
    unicode: new HumanMessage({ content: 'Zürich → 東京 😀 "quotes" \\ back\nslash', name: 'Zoë' }),
    longName: new HumanMessage({ content: 'hi', name: 'n'.repeat(300) }),
  };
}
