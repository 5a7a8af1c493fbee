/**
 * The text rendering of a LangChain message content stored in the `content` column when the content
 * is an array of blocks (multimodal). It follows LangChain's own `getBufferString`: text blocks as
 * their text, media as short placeholders (`[image]`), tool-call and reasoning blocks left out, so
 * readers of the plain history see what was said without base64 payloads.
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map(blockText).join('');
}

const SILENT_BLOCKS: ReadonlySet<string> = new Set([
  'reasoning',
  'tool_call',
  'tool_call_chunk',
  'invalid_tool_call',
  'server_tool_call',
  'server_tool_call_chunk',
  'server_tool_call_result',
  'non_standard',
]);

const MEDIA_PLACEHOLDERS: Readonly<Record<string, string>> = {
  image: '[image]',
  image_url: '[image]',
  audio: '[audio]',
  input_audio: '[audio]',
  video: '[video]',
  file: '[file]',
};

function blockText(block: unknown): string {
  if (typeof block === 'string') return block;
  if (block === null || typeof block !== 'object') return '';
  const { type, text } = block as { type?: unknown; text?: unknown };
  if (typeof type !== 'string') return '';
  if (type === 'text') return typeof text === 'string' ? text : '';
  if (type === 'text-plain') return typeof text === 'string' ? text : '[text-plain file]';
  if (SILENT_BLOCKS.has(type)) return '';
  return MEDIA_PLACEHOLDERS[type] ?? `[${type}]`;
}
