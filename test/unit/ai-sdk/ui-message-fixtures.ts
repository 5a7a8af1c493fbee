import type { UIMessage } from 'ai';

/** One assistant message carrying a tool part in each state the SDK defines. */
const toolStates: UIMessage['parts'] = [
  {
    type: 'tool-weather',
    toolCallId: 'c1',
    state: 'input-streaming',
    input: { city: 'Par' },
    rawInput: '{"city":"Par',
  },
  {
    type: 'tool-weather',
    toolCallId: 'c2',
    state: 'input-available',
    input: { city: 'Paris' },
    callProviderMetadata: { openai: { itemId: 'i2' } },
  },
  {
    type: 'tool-weather',
    toolCallId: 'c3',
    state: 'approval-requested',
    input: { city: 'Oslo' },
    approval: { id: 'a3' },
  },
  {
    type: 'tool-weather',
    toolCallId: 'c4',
    state: 'approval-responded',
    input: { city: 'Rome' },
    approval: { id: 'a4', approved: true, reason: 'ok' },
  },
  {
    type: 'tool-weather',
    toolCallId: 'c5',
    state: 'output-available',
    input: { city: 'Lima' },
    output: { tempC: 18.5, sky: ['sun', null], nested: { deep: [1, [2, [3]]] } },
    providerExecuted: false,
  },
  { type: 'tool-weather', toolCallId: 'c6', state: 'output-error', input: { city: '??' }, errorText: 'unknown city' },
  {
    type: 'tool-weather',
    toolCallId: 'c7',
    state: 'output-denied',
    input: { city: 'Bern' },
    approval: { id: 'a7', approved: false, reason: 'no' },
  },
  {
    type: 'dynamic-tool',
    toolName: 'search',
    toolCallId: 'd1',
    state: 'output-available',
    input: { q: 'x' },
    output: 'result',
    title: 'Search',
  },
  { type: 'dynamic-tool', toolName: 'search', toolCallId: 'd2', state: 'input-available', input: { q: 'y' } },
];

/** A chat with every part type of UIMessage, message metadata, non-ASCII text and odd JSON. */
export function everyPartChat(ids: readonly string[]): UIMessage[] {
  return [
    { id: ids[0], role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
    {
      id: ids[1],
      role: 'user',
      metadata: { createdAt: 1764566400000, locale: 'fr-FR', tags: ['a', 'b'] },
      parts: [
        { type: 'text', text: 'Héllo 👋 \u2028 "quoted" \\ back\nslash' },
        { type: 'file', mediaType: 'image/png', filename: 'dot.png', url: 'data:image/png;base64,iVBORw0KGgo=' },
        { type: 'file', mediaType: 'application/pdf', url: 'https://example.com/a.pdf' },
      ],
    },
    {
      id: ids[2],
      role: 'assistant',
      metadata: { model: 'mock', usage: { inputTokens: 3, outputTokens: 0.5 } },
      parts: [
        { type: 'step-start' },
        { type: 'reasoning', text: 'Thinking…', state: 'done', providerMetadata: { anthropic: { signature: 'sig' } } },
        { type: 'text', text: 'Partial', state: 'streaming' },
        ...toolStates,
        { type: 'source-url', sourceId: 's1', url: 'https://example.com', title: 'Example' },
        { type: 'source-document', sourceId: 's2', mediaType: 'text/plain', title: 'Doc', filename: 'doc.txt' },
        { type: 'data-weather', id: 'w1', data: { city: 'Paris', status: 'loading' } },
        { type: 'data-progress', data: [1, 'two', { three: true }, null] },
        { type: 'step-start' },
        { type: 'text', text: 'Done.', state: 'done' },
      ],
    },
  ];
}
