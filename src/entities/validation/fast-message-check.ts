import { length, maxLength } from 'class-validator';
import { CHAT_ROLES, ChatMessage, type ChatRole, type ToolCall } from '../models';
import {
  contentMayBeEmpty,
  isPlainObject,
  isWellFormedUnicode,
  type JsonObject,
  jsonProblem,
  MAX_NAME_LENGTH,
  MAX_TOOL_CALL_ID_LENGTH,
  SESSION_ID_PATTERN,
  TIME_UUID_PATTERN,
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

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

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
  let sessionId: unknown, bucket: unknown, id: unknown;
  const fields = new MessageFields();
  // Only own enumerable keys count, as in class-transformer; inherited values are not input.
  for (const key in raw) {
    if (!hasOwn(raw, key)) continue;
    if (key === 'sessionId') sessionId = raw[key];
    else if (key === 'bucket') bucket = raw[key];
    else if (key === 'id') id = raw[key];
    else if (!fields.take(key, raw[key])) return undefined;
  }
  if (typeof sessionId !== 'string' || typeof bucket !== 'number' || typeof id !== 'string') return undefined;
  return acceptKeyed(fields, sessionId, bucket, id, false, limits);
}

/**
 * fastValidateMessage of the stored shape of a caller's message (toStoredShape in src/history),
 * without building that shape: `sessionId`, `bucket` and `id` are given (a given id must be a
 * string; a `generatedId` is trusted), `input`'s own keys supply the rest, and its own `sessionId`,
 * `bucket` and `id` keys are ignored, as the shape overrides them. Accepts exactly what
 * fastValidateMessage accepts on that shape, with the same message (test/unit/history/new-message.test.ts).
 */
export function fastValidateMessageOf(
  sessionId: string,
  bucket: number,
  id: string,
  generatedId: boolean,
  input: object,
  limits: ValidationLimits,
): ChatMessage | undefined {
  if (Array.isArray(input)) return undefined;
  const raw = input as Record<string, unknown>;
  const fields = new MessageFields();
  for (const key in raw) {
    if (!hasOwn(raw, key) || key === 'sessionId' || key === 'bucket' || key === 'id') continue;
    if (!fields.take(key, raw[key])) return undefined;
  }
  return acceptKeyed(fields, sessionId, bucket, id, generatedId, limits);
}

/** The key's rules (an id this process generated is trusted), then the fields' (MessageFields.accept). */
function acceptKeyed(
  fields: MessageFields,
  sessionId: string,
  bucket: number,
  id: string,
  generatedId: boolean,
  limits: ValidationLimits,
): ChatMessage | undefined {
  if (!SESSION_ID_PATTERN.test(sessionId) || !Number.isSafeInteger(bucket)) return undefined;
  let checkedId = id;
  if (!generatedId) {
    checkedId = id.toLowerCase();
    if (!TIME_UUID_PATTERN.test(checkedId)) return undefined;
  }
  return fields.accept(sessionId, bucket, checkedId, limits);
}

/** The fields of a message other than its key (session, bucket, id), gathered from one input. */
class MessageFields {
  private role: unknown;
  private content: unknown;
  private name: unknown;
  private toolCalls: unknown;
  private toolCallId: unknown;
  private metadata: unknown;
  private createdAt: unknown;

  /** Takes one own key's value; false for a key that is no message property. */
  take(key: string, value: unknown): boolean {
    switch (key) {
      case 'role':
        this.role = value;
        return true;
      case 'content':
        this.content = value;
        return true;
      case 'name':
        this.name = value;
        return true;
      case 'toolCalls':
        this.toolCalls = value;
        return true;
      case 'toolCallId':
        this.toolCallId = value;
        return true;
      case 'metadata':
        this.metadata = value;
        return true;
      case 'createdAt':
        this.createdAt = value;
        return true;
      default:
        return false;
    }
  }

  /** The message when every rule holds for these fields and the (checked) key, else undefined. */
  accept(sessionId: string, bucket: number, id: string, limits: ValidationLimits): ChatMessage | undefined {
    const { role, content, name, toolCalls, toolCallId, metadata, createdAt } = this;
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

    if (createdAt !== undefined && createdAt !== null && createdAtConstraint(createdAt, id) !== undefined) {
      return undefined;
    }

    const message = new ChatMessage();
    message.sessionId = sessionId;
    message.bucket = bucket;
    message.id = id;
    message.role = role as ChatRole;
    message.content = content;
    if (typeof name === 'string') message.name = name;
    if (calls !== undefined) message.toolCalls = calls;
    if (typeof toolCallId === 'string') message.toolCallId = toolCallId;
    if (metadata !== undefined) message.metadata = metadata as JsonObject;
    return message;
  }
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
