import { isUUID, length, maxLength, matches } from 'class-validator';
import { CHAT_ROLES, ChatMessage, type ChatRole, type ToolCall } from '../models';
import {
  contentMayBeEmpty,
  isPlainObject,
  isWellFormedUnicode,
  type JsonObject,
  jsonProblem,
  MAX_NAME_LENGTH,
  MAX_TOOL_CALL_ID_LENGTH,
  MESSAGE_INPUT_KEYS,
  type MessageInputKey,
  SESSION_ID_PATTERN,
  TOOL_CALL_FIELD_LENGTH,
  TOOL_CALL_KEYS,
  toolCallIdApplies,
  toolCallIdRequired,
  utf8Bytes,
  type ValidationLimits,
} from '../rules';
import { createdAtConstraint } from './message-input';

/** Largest UTF-8 size of one UTF-16 code unit: below limit/3 units a string cannot exceed the limit. */
const MAX_UTF8_BYTES_PER_UNIT = 3;

const EMPTY_OBJECT_JSON_BYTES = 2;

const isOwnEnumerable = (object: object, key: string): boolean =>
  Object.prototype.propertyIsEnumerable.call(object, key);

function fitsBytes(value: string, limit: number): boolean {
  return value.length * MAX_UTF8_BYTES_PER_UNIT <= limit || utf8Bytes(value) <= limit;
}

function isOptionalText(value: unknown, maxChars: number): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && maxLength(value, maxChars) && isWellFormedUnicode(value))
  );
}

/**
 * The ChatMessage rules (the class-validator decorators on ChatMessage, ToolCallRecord and the
 * custom constraints) checked by hand, without class-transformer or class-validator's per-call
 * metadata lookups. Returns the validated message, or undefined when ANY rule fails: the caller then
 * runs class-validator to list the issues. Must accept exactly what class-validator accepts
 * (test/unit/entities/fast-path-agreement.test.ts).
 */
export function fastValidateMessage(input: unknown, limits: ValidationLimits): ChatMessage | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const raw = input as Record<string, unknown>;
  // Only own enumerable keys count, as in class-transformer; inherited values are not input.
  for (const key of Object.keys(raw)) if (!MESSAGE_INPUT_KEYS.has(key)) return undefined;
  const field = (key: MessageInputKey): unknown => (isOwnEnumerable(raw, key) ? raw[key] : undefined);
  const sessionId = field('sessionId'),
    bucket = field('bucket'),
    id = field('id'),
    role = field('role');
  const content = field('content'),
    name = field('name'),
    toolCalls = field('toolCalls');
  const toolCallId = field('toolCallId'),
    metadata = field('metadata'),
    createdAt = field('createdAt');

  if (typeof sessionId !== 'string' || !matches(sessionId, SESSION_ID_PATTERN)) return undefined;
  if (typeof bucket !== 'number' || !Number.isSafeInteger(bucket)) return undefined;
  if (typeof id !== 'string') return undefined;
  const lowerId = id.toLowerCase();
  if (!isUUID(lowerId, '1')) return undefined;
  if (!(CHAT_ROLES as readonly unknown[]).includes(role)) return undefined;

  let calls: ToolCall[] | undefined;
  if (toolCalls !== undefined && toolCalls !== null) {
    if (!Array.isArray(toolCalls)) return undefined;
    calls = new Array<ToolCall>(toolCalls.length);
    for (let i = 0; i < toolCalls.length; i++) {
      const call = checkToolCall(i in toolCalls ? (toolCalls[i] as unknown) : undefined);
      if (call === undefined) return undefined;
      calls[i] = call;
    }
    const text = JSON.stringify(calls);
    if (!fitsBytes(text, limits.maxToolCallsBytes)) return undefined;
  }

  if (typeof content !== 'string') return undefined;
  if (content === '' && !contentMayBeEmpty({ role, toolCalls })) return undefined;
  if (!fitsBytes(content, limits.maxContentBytes) || !isWellFormedUnicode(content)) return undefined;

  if (!isOptionalText(name, MAX_NAME_LENGTH)) return undefined;

  if (toolCallIdApplies({ role }, toolCallId)) {
    if (typeof toolCallId !== 'string') return undefined;
    if (toolCallIdRequired(role) && toolCallId === '') return undefined;
    if (!maxLength(toolCallId, MAX_TOOL_CALL_ID_LENGTH) || !isWellFormedUnicode(toolCallId)) return undefined;
  }

  if (metadata !== undefined) {
    if (!isPlainObject(metadata) || jsonProblem(metadata, '') !== undefined) return undefined;
    if (!fitsBytes(JSON.stringify(metadata), limits.maxMetadataBytes)) return undefined;
  } else if (limits.maxMetadataBytes < EMPTY_OBJECT_JSON_BYTES) {
    // The default {} is checked like given metadata.
    return undefined;
  }

  if (createdAt !== undefined && createdAt !== null && createdAtConstraint(createdAt, lowerId) !== undefined) {
    return undefined;
  }

  const message = new ChatMessage();
  message.sessionId = sessionId;
  message.bucket = bucket;
  message.id = lowerId;
  message.role = role as ChatRole;
  message.content = content;
  if (typeof name === 'string') message.name = name;
  if (calls !== undefined) message.toolCalls = calls;
  if (typeof toolCallId === 'string') message.toolCallId = toolCallId;
  if (metadata !== undefined) message.metadata = metadata as JsonObject;
  return message;
}

function checkToolCall(call: unknown): ToolCall | undefined {
  if (!isPlainObject(call)) return undefined;
  let id: unknown, name: unknown, args: unknown;
  for (const key of Object.keys(call)) {
    if (!TOOL_CALL_KEYS.has(key)) return undefined;
    if (key === 'id') id = call[key];
    else if (key === 'name') name = call[key];
    else args = call[key];
  }
  const { min, max } = TOOL_CALL_FIELD_LENGTH;
  if (typeof id !== 'string' || !length(id, min, max)) return undefined;
  if (typeof name !== 'string' || !length(name, min, max)) return undefined;
  if (!isPlainObject(args) || jsonProblem(args, '') !== undefined) return undefined;
  return { id, name, args: args as ToolCall['args'] };
}
