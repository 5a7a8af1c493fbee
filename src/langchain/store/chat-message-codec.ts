/**
 * LangChain messages ↔ this package's messages. A LangChain message becomes a plain chat message that
 * any reader of the history understands (role, text content, name, tool calls, tool call id), and
 * whatever those columns cannot express is kept under the reserved `metadata.langchain` key, so the
 * message reads back exactly as it was written:
 *
 *   metadata.langchain = { type, data, typedToolCalls?, absent? }
 *
 * `type` is LangChain's message type; `data` holds only the LangChain fields that differ from what the
 * columns give back (the LangChain id, additional_kwargs, response_metadata, usage_metadata, artifacts,
 * array content, ...), so a plain message costs a few bytes of metadata; `typedToolCalls` says the tool
 * calls carried `type: "tool_call"`; `absent` lists fields the columns would supply but the message
 * did not have. Rows written by other writers (no `metadata.langchain`) are read by their role.
 */
import type { BaseMessage } from '@langchain/core/messages';
import {
  type ChatMessage,
  type ChatRole,
  contentMayBeEmpty,
  isPlainObject,
  isWellFormedUnicode,
  type JsonObject,
  type JsonValue,
  MAX_NAME_LENGTH,
  MAX_TOOL_CALL_ID_LENGTH,
  TOOL_CALL_FIELD_LENGTH,
  type ToolCall,
  toolCallIdRequired,
} from '../../entities';
import type { NewChatMessage } from '../../history';
import { contentText } from './content-text';
import { jsonEqual } from './json-equal';
import {
  fromLangChainRecord,
  isLangChainMessageType,
  type LangChainMessageType,
  toLangChainRecord,
} from '../langchain-record';
import { StoredMessageFormatError } from '../stored-message-format-error';

/** The metadata key reserved for the LangChain payload. */
export const LANGCHAIN_METADATA_KEY = 'langchain';

/** Content of a message whose text is empty where the schema wants text (a user message of images only has `[image]`). */
export const EMPTY_CONTENT_TEXT = '[empty]';

/** `toolCallId` of a tool message whose LangChain id cannot be stored as one (empty, too long). */
export const UNKNOWN_TOOL_CALL_ID = 'unknown';

const ROLE_OF_TYPE: Readonly<Record<Exclude<LangChainMessageType, 'generic'>, ChatRole>> = {
  human: 'user',
  ai: 'assistant',
  system: 'system',
  tool: 'tool',
  // A legacy function result answers the call of a function, named by the function's name.
  function: 'tool',
};

const TYPE_OF_ROLE: Readonly<Record<ChatRole, LangChainMessageType>> = {
  user: 'human',
  assistant: 'ai',
  system: 'system',
  tool: 'tool',
};

/** A ChatMessage's free-form role (`new ChatMessage({ role })`) onto ours; anyone else is a participant. */
function roleOfGenericMessage(role: JsonValue | undefined): ChatRole {
  switch (typeof role === 'string' ? role.toLowerCase() : '') {
    case 'assistant':
    case 'ai':
      return 'assistant';
    case 'system':
    case 'developer':
      return 'system';
    case 'tool':
    case 'function':
      return 'tool';
    default:
      return 'user';
  }
}

/** `value` when a text column accepts it as is, otherwise undefined (the LangChain data keeps it). */
function columnString(value: JsonValue | undefined, maxLength: number): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength && isWellFormedUnicode(value)
    ? value
    : undefined;
}

/** The tool calls as the `tool_calls` column holds them, or undefined when one of them does not fit it. */
function columnToolCalls(value: JsonValue | undefined): ToolCall[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const calls: ToolCall[] = [];
  for (const call of value) {
    if (!isPlainObject(call)) return undefined;
    const id = columnString(call.id, TOOL_CALL_FIELD_LENGTH.max);
    const name = columnString(call.name, TOOL_CALL_FIELD_LENGTH.max);
    if (id === undefined || name === undefined || !isPlainObject(call.args)) return undefined;
    calls.push({ id, name, args: call.args });
  }
  return calls;
}

/** The columns of a stored message that the LangChain fields are derived from. */
type MessageColumns = Pick<ChatMessage, 'content' | 'name' | 'toolCalls' | 'toolCallId'>;

/**
 * The LangChain fields the columns give back for a message of `type`: written and read with the same
 * function, so that only the difference has to be stored.
 */
function fieldsFromColumns(type: LangChainMessageType, row: MessageColumns, typedToolCalls: boolean): JsonObject {
  const data: JsonObject = { content: row.content, additional_kwargs: {}, response_metadata: {} };
  if (typeof row.name === 'string') data.name = row.name;
  if (type === 'ai') {
    data.tool_calls = (row.toolCalls ?? []).map((call): JsonObject => {
      const plain: JsonObject = { id: call.id, name: call.name, args: call.args };
      return typedToolCalls ? { ...plain, type: 'tool_call' } : plain;
    });
    data.invalid_tool_calls = [];
  }
  if (type === 'tool' && typeof row.toolCallId === 'string') data.tool_call_id = row.toolCallId;
  return data;
}

/** Turns one LangChain message into a message for `ChatHistory.addMessages`. `property` names it in errors. */
export function toNewChatMessage(message: BaseMessage, property = 'message'): NewChatMessage {
  const { type, data } = toLangChainRecord(message, property);
  const role = type === 'generic' ? roleOfGenericMessage(data.role) : ROLE_OF_TYPE[type];
  const toolCalls = type === 'ai' ? columnToolCalls(data.tool_calls) : undefined;
  const name = columnString(data.name, MAX_NAME_LENGTH);
  let toolCallId: string | undefined;
  if (toolCallIdRequired(role)) {
    const answered = type === 'function' ? data.name : data.tool_call_id;
    toolCallId = columnString(answered, MAX_TOOL_CALL_ID_LENGTH) ?? UNKNOWN_TOOL_CALL_ID;
  }
  let content = contentText(data.content);
  if (content === '' && !contentMayBeEmpty({ role, toolCalls })) content = EMPTY_CONTENT_TEXT;

  const originalCalls = data.tool_calls;
  const typedToolCalls =
    toolCalls !== undefined &&
    Array.isArray(originalCalls) &&
    originalCalls.every((call) => isPlainObject(call) && call.type === 'tool_call');
  const derived = fieldsFromColumns(type, { content, name, toolCalls, toolCallId }, typedToolCalls);

  const residual: JsonObject = {};
  for (const [key, value] of Object.entries(data)) {
    if (!jsonEqual(value, derived[key])) residual[key] = value;
  }
  const absent = Object.keys(derived).filter((key) => !(key in data));
  const payload: JsonObject = { type, data: residual };
  if (typedToolCalls) payload.typedToolCalls = true;
  if (absent.length > 0) payload.absent = absent;

  const stored: { -readonly [K in keyof NewChatMessage]: NewChatMessage[K] } = {
    role,
    content,
    metadata: { [LANGCHAIN_METADATA_KEY]: payload },
  };
  if (name !== undefined) stored.name = name;
  if (toolCalls !== undefined) stored.toolCalls = toolCalls;
  if (toolCallId !== undefined) stored.toolCallId = toolCallId;
  return stored;
}

interface LangChainPayload {
  readonly type: LangChainMessageType;
  readonly data: JsonObject;
  readonly typedToolCalls: boolean;
  readonly absent: readonly string[];
}

function payloadOf(row: ChatMessage): LangChainPayload | undefined {
  const metadata: unknown = row.metadata;
  if (!isPlainObject(metadata) || !(LANGCHAIN_METADATA_KEY in metadata)) return undefined;
  const payload = metadata[LANGCHAIN_METADATA_KEY];
  if (!isPlainObject(payload)) {
    throw new StoredMessageFormatError(`metadata.${LANGCHAIN_METADATA_KEY} is not an object`, { rowId: row.id });
  }
  const { type, data, typedToolCalls, absent } = payload;
  if (!isLangChainMessageType(type)) {
    throw new StoredMessageFormatError(`Unknown LangChain message type ${JSON.stringify(type)}`, { rowId: row.id });
  }
  if (
    !isPlainObject(data) ||
    (absent !== undefined && !(Array.isArray(absent) && absent.every((k) => typeof k === 'string')))
  ) {
    throw new StoredMessageFormatError(`metadata.${LANGCHAIN_METADATA_KEY} is malformed`, { rowId: row.id });
  }
  return {
    type,
    data: data as JsonObject,
    typedToolCalls: typedToolCalls === true,
    absent: (absent as string[] | undefined) ?? [],
  };
}

/**
 * Turns a stored message back into a LangChain message. Messages written through the adapter come
 * back exactly as they were added; messages written by other means become the message class of their
 * role, with the stored message id as their LangChain id.
 */
export function toLangChainMessage(row: ChatMessage): BaseMessage {
  const payload = payloadOf(row);
  if (payload === undefined) {
    const type = TYPE_OF_ROLE[row.role];
    if (type === undefined) {
      throw new StoredMessageFormatError(`Unknown role ${JSON.stringify(row.role)}`, { rowId: row.id });
    }
    return fromLangChainRecord({ type, data: { ...fieldsFromColumns(type, row, true), id: row.id } }, row.id);
  }
  const data: JsonObject = { ...fieldsFromColumns(payload.type, row, payload.typedToolCalls), ...payload.data };
  for (const key of payload.absent) delete data[key];
  return fromLangChainRecord({ type: payload.type, data }, row.id);
}
