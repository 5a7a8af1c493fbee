/**
 * The `body_blob` of LangChain Python's Cassandra history (langchain_community
 * chat_message_histories/cassandra.py): `json.dumps(message_to_dict(message))`, where
 * `message_to_dict(m) = {"type": m.type, "data": m.model_dump()}` (langchain_core messages/base.py),
 * read back with `messages_from_dict` (messages/utils.py `_message_from_dict`: human, ai, system,
 * chat, function, tool, and the `...MessageChunk` variants).
 *
 * Python and JS LangChain name their fields alike; the differences handled here: JS's ChatMessage type
 * is `generic` (Python: `chat`); Python's model_dump writes every field, absent ones as `null`, repeats
 * the type inside `data`, and (before langchain-core 1.0) adds `example: false` to human and AI messages.
 */
import type { BaseMessage } from '@langchain/core/messages';
import { isPlainObject, type JsonObject, type JsonValue } from '../../entities';
import { fromLangChainRecord, type LangChainMessageType, toLangChainRecord } from '../langchain-record';
import { StoredMessageFormatError } from '../stored-message-format-error';
import { parsePythonJson } from './python-json';

/** Python's `message.type` for each JS type. */
const PYTHON_TYPE: Readonly<Record<LangChainMessageType, string>> = {
  human: 'human',
  ai: 'ai',
  system: 'system',
  tool: 'tool',
  function: 'function',
  generic: 'chat',
};

/** Python types (messages_from_dict) onto JS types; the chunks are read as whole messages. */
const JS_TYPE: Readonly<Record<string, LangChainMessageType>> = {
  ...(Object.fromEntries(Object.entries(PYTHON_TYPE).map(([js, python]) => [python, js])) as Record<
    string,
    LangChainMessageType
  >),
  HumanMessageChunk: 'human',
  AIMessageChunk: 'ai',
  SystemMessageChunk: 'system',
  ToolMessageChunk: 'tool',
  FunctionMessageChunk: 'function',
  ChatMessageChunk: 'generic',
};

/** Fields that Python writes as `null` when unset and JS leaves out. */
const NULLABLE_FIELDS = ['name', 'id', 'usage_metadata', 'artifact'] as const;

function withNullIds(call: JsonValue, fields: readonly string[]): JsonValue {
  if (!isPlainObject(call)) return call;
  const filled: JsonObject = { ...(call as JsonObject) };
  for (const field of fields) if (filled[field] === undefined) filled[field] = null;
  return filled;
}

function withoutNulls(call: JsonValue): JsonValue {
  if (!isPlainObject(call)) return call;
  return Object.fromEntries(Object.entries(call as JsonObject).filter(([, value]) => value !== null)) as JsonObject;
}

/**
 * The body a Python service reads with `messages_from_dict`: `{"type", "data"}` with the fields in
 * model_dump's order and its nulls; JS-only fields follow (pydantic keeps extra fields on messages).
 */
export function toCassioBody(message: BaseMessage, property = 'message'): string {
  const { type, data } = toLangChainRecord(message, property);
  const pythonType = PYTHON_TYPE[type];
  const body: JsonObject = {
    content: data.content ?? '',
    additional_kwargs: data.additional_kwargs ?? {},
    response_metadata: data.response_metadata ?? {},
    type: pythonType,
    name: data.name ?? null,
    id: data.id ?? null,
  };
  if (type === 'ai') {
    // Python's ToolCall and InvalidToolCall TypedDicts require these keys (Optional, but present).
    const calls = Array.isArray(data.tool_calls) ? data.tool_calls : [];
    const invalid = Array.isArray(data.invalid_tool_calls) ? data.invalid_tool_calls : [];
    body.tool_calls = calls.map((call) => withNullIds(call, ['id']));
    body.invalid_tool_calls = invalid.map((call) => withNullIds(call, ['name', 'args', 'id', 'error']));
    body.usage_metadata = data.usage_metadata ?? null;
  }
  if (type === 'tool') {
    body.tool_call_id = data.tool_call_id ?? null;
    body.artifact = data.artifact ?? null;
  }
  for (const [key, value] of Object.entries(data)) if (!(key in body)) body[key] = value;
  return JSON.stringify({ type: pythonType, data: body });
}

/** Reads a body written by Python (or by {@link toCassioBody}); StoredMessageFormatError when it is not one. */
export function fromCassioBody(bodyBlob: unknown, rowId?: string): BaseMessage {
  if (typeof bodyBlob !== 'string') throw new StoredMessageFormatError('body_blob is empty', { rowId });
  let parsed: unknown;
  try {
    // Python's json.dumps may write NaN/Infinity: read as those numbers (see python-json.ts).
    parsed = parsePythonJson(bodyBlob);
  } catch (error) {
    throw new StoredMessageFormatError('body_blob is not JSON', { rowId, cause: error });
  }
  if (!isPlainObject(parsed) || typeof parsed.type !== 'string' || !isPlainObject(parsed.data)) {
    throw new StoredMessageFormatError('body_blob is not a {"type", "data"} message dict', { rowId });
  }
  const type = Object.prototype.hasOwnProperty.call(JS_TYPE, parsed.type) ? JS_TYPE[parsed.type] : undefined;
  if (type === undefined) {
    throw new StoredMessageFormatError(`Unknown message type ${JSON.stringify(parsed.type)} in body_blob`, { rowId });
  }
  const data: JsonObject = { ...(parsed.data as JsonObject) };
  delete data.type;
  for (const field of NULLABLE_FIELDS) if (data[field] === null) delete data[field];
  if (data.example === false) delete data.example;
  if (Array.isArray(data.tool_calls)) data.tool_calls = data.tool_calls.map(withoutNulls);
  if (Array.isArray(data.invalid_tool_calls)) data.invalid_tool_calls = data.invalid_tool_calls.map(withoutNulls);
  return fromLangChainRecord({ type, data }, rowId);
}
