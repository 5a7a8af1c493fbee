import {
  type BaseMessage,
  isBaseMessage,
  mapStoredMessageToChatMessage,
  type StoredMessage,
} from '@langchain/core/messages';
import type { JsonObject } from '../entities';
import { MessageValidationError } from '../errors';
import { StoredMessageFormatError } from './stored-message-format-error';

/** The LangChain message types a chat history can hold (`BaseMessage.type`; `generic` is ChatMessage). */
export const LANGCHAIN_MESSAGE_TYPES = ['human', 'ai', 'system', 'tool', 'function', 'generic'] as const;
export type LangChainMessageType = (typeof LANGCHAIN_MESSAGE_TYPES)[number];

/**
 * A LangChain message as JSON: LangChain's own `StoredMessage` shape (`message.toDict()`, read back by
 * `mapStoredMessageToChatMessage`), with `data` normalised to plain JSON.
 */
export interface LangChainRecord {
  readonly type: LangChainMessageType;
  readonly data: JsonObject;
}

const COMMON_FIELDS = ['content', 'id', 'name', 'additional_kwargs', 'response_metadata'] as const;

/**
 * Fields read from the message object itself. `toDict()` serialises the constructor arguments
 * (`lc_kwargs`), which miss later changes: an id assigned after construction, the tool calls an
 * AIMessageChunk collapses from its chunks. The live values win.
 */
const LIVE_FIELDS: Readonly<Record<LangChainMessageType, readonly string[]>> = {
  human: COMMON_FIELDS,
  system: COMMON_FIELDS,
  function: COMMON_FIELDS,
  generic: [...COMMON_FIELDS, 'role'],
  ai: [...COMMON_FIELDS, 'tool_calls', 'invalid_tool_calls', 'usage_metadata'],
  tool: [...COMMON_FIELDS, 'tool_call_id', 'artifact', 'status', 'metadata'],
};

export function isLangChainMessageType(value: unknown): value is LangChainMessageType {
  return typeof value === 'string' && (LANGCHAIN_MESSAGE_TYPES as readonly string[]).includes(value);
}

function invalid(property: string, constraint: string, explanation: string): MessageValidationError {
  return new MessageValidationError('ChatMessage', [{ property, constraints: { [constraint]: explanation } }]);
}

/** Both histories take an array of LangChain messages; anything else is refused before any write. */
function assertMessageArray(messages: unknown): asserts messages is BaseMessage[] {
  if (!Array.isArray(messages)) throw invalid('messages', 'isArray', 'messages must be an array of LangChain messages');
}

/** Every message of `addMessages(messages)` converted, each named `messages[i]` in errors (throws on a non-array). */
export function convertMessages<T>(messages: unknown, convert: (message: BaseMessage, property: string) => T): T[] {
  assertMessageArray(messages);
  return messages.map((message, i) => convert(message, `messages[${i}]`));
}

/** `value` through JSON and back: undefined members dropped, Dates as strings, class instances as their JSON. */
export function toPlainJson(value: unknown, property: string): JsonObject {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const reason = error instanceof Error ? error.name : 'error';
    throw invalid(property, 'json', `${property} cannot be serialised as JSON (${reason}: circular or bigint values?)`);
  }
  const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid(property, 'json', `${property} must serialise to a JSON object`);
  }
  return parsed as JsonObject;
}

/**
 * The JSON form of a LangChain message. Throws MessageValidationError for anything that is not a
 * history message (a RemoveMessage, a plain object, ...), naming `property`.
 */
export function toLangChainRecord(message: BaseMessage, property: string): LangChainRecord {
  if (!isBaseMessage(message)) {
    throw invalid(property, 'isBaseMessage', `${property} must be a LangChain message (HumanMessage, AIMessage, ...)`);
  }
  const type: unknown = message.type;
  if (!isLangChainMessageType(type)) {
    throw invalid(
      property,
      'messageType',
      `${property} has type ${JSON.stringify(type)}; a chat history stores ${LANGCHAIN_MESSAGE_TYPES.join(', ')} messages`,
    );
  }
  const fields: Record<string, unknown> = { ...message.toDict().data };
  // Python-style data (read from a cassio row, say) repeats the type inside `data`; it is not a field.
  delete fields.type;
  const live = message as unknown as Record<string, unknown>;
  for (const key of LIVE_FIELDS[type]) {
    if (live[key] !== undefined) fields[key] = live[key];
  }
  const data = toPlainJson(fields, property);
  // What LangChain's reader insists on (mapStoredMessageToChatMessage): refuse now, not at read time.
  const required = REQUIRED_STRING_FIELD[type];
  if (required !== undefined && typeof data[required] !== 'string') {
    throw invalid(property, 'requiredField', `${property} is a "${type}" message without its ${required} string`);
  }
  return { type, data };
}

const REQUIRED_STRING_FIELD: Readonly<Partial<Record<LangChainMessageType, string>>> = {
  tool: 'tool_call_id',
  function: 'name',
  generic: 'role',
};

/** Rebuilds the message with LangChain's own reader; StoredMessageFormatError when LangChain refuses it. */
export function fromLangChainRecord(record: { type: unknown; data: unknown }, rowId?: string): BaseMessage {
  if (!isLangChainMessageType(record.type)) {
    throw new StoredMessageFormatError(`Unknown LangChain message type ${JSON.stringify(record.type)}`, { rowId });
  }
  if (record.data === null || typeof record.data !== 'object' || Array.isArray(record.data)) {
    throw new StoredMessageFormatError(`The stored "${record.type}" message has no data object`, { rowId });
  }
  // LangChain's constructors adopt and modify the object they are given: hand them a copy.
  const data = structuredClone(record.data) as unknown as StoredMessage['data'];
  try {
    return mapStoredMessageToChatMessage({ type: record.type, data });
  } catch (error) {
    throw new StoredMessageFormatError(`LangChain could not rebuild the stored "${record.type}" message`, {
      rowId,
      cause: error,
    });
  }
}
