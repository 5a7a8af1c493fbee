import {
  type ChatMessage,
  type ChatRole,
  fastValidateMessageOf,
  type JsonObject,
  timeOfTimeUuid,
  type ToolCall,
  validateMessage,
  validateMessageList,
  type ValidationLimits,
} from '../entities';
import { bucketOfTime } from './bucket-span';
import { nextMessageId } from './message-ids';

/** A message to add. `id` is optional: pass your own timeuuid to make a retried call idempotent. */
export interface NewChatMessage {
  readonly id?: string;
  readonly role: ChatRole;
  readonly content: string;
  readonly name?: string;
  readonly toolCalls?: readonly ToolCall[];
  readonly toolCallId?: string;
  readonly metadata?: JsonObject;
}

/**
 * The stored shape of a caller's message, still unvalidated: its session, an id (the caller's or a
 * new one) and the bucket that id falls in. The bucket is a pure function of the id, so a retried
 * write lands in the same partition. Unknown keys are carried along for validation to refuse.
 */
export function toStoredShape(sessionId: string, message: NewChatMessage, spanMs: number): Record<string, unknown> {
  if (message === null || typeof message !== 'object') return { sessionId, message };
  let id: unknown = message.id;
  let timeMs: number;
  if (id === undefined) {
    const generated = nextMessageId();
    id = generated.id;
    timeMs = generated.timeMs;
  } else {
    timeMs = timeOfTimeUuid(id).getTime();
  }
  // An invalid id gets bucket 0; validation reports the id, with its property name.
  const bucket = Number.isFinite(timeMs) ? bucketOfTime(timeMs, spanMs) : 0;
  // Own enumerable keys copied one by one, as a spread would, then the stored fields: cheaper than a
  // spread followed by three more properties, on every message written.
  const shape: Record<string, unknown> = {};
  for (const key of Object.keys(message)) shape[key] = (message as unknown as Record<string, unknown>)[key];
  shape.sessionId = sessionId;
  shape.bucket = bucket;
  shape.id = id;
  return shape;
}

/**
 * The ChatMessage stored for a caller's message: `validateMessage(toStoredShape(...))`, with the
 * stored shape built only when the fast path refuses (to explain why). Throws MessageValidationError.
 */
export function toChatMessage(
  sessionId: string,
  message: NewChatMessage,
  spanMs: number,
  limits: ValidationLimits,
): ChatMessage {
  return (
    fastChatMessage(sessionId, message, spanMs, limits) ??
    validateMessage(toStoredShape(sessionId, message, spanMs), limits)
  );
}

/** toChatMessage of every message, as validateMessages checks them (issues named `messages[i]...`). */
export function toChatMessages(
  sessionId: string,
  messages: readonly NewChatMessage[],
  spanMs: number,
  limits: ValidationLimits,
): ChatMessage[] {
  return validateMessageList(
    messages.length,
    (index) => fastChatMessage(sessionId, messages[index], spanMs, limits),
    (index) => toStoredShape(sessionId, messages[index], spanMs),
    limits,
  );
}

/**
 * What fastValidateMessage returns for toStoredShape's output, without building that shape (the
 * same id choice and bucket): the write path's per-message validation, on every message written.
 * Undefined when the fast path refuses or the id is no time UUID.
 */
export function fastChatMessage(
  sessionId: string,
  message: NewChatMessage,
  spanMs: number,
  limits: ValidationLimits,
): ChatMessage | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  const given: unknown = message.id;
  if (given === undefined) {
    const generated = nextMessageId();
    const bucket = bucketOfTime(generated.timeMs, spanMs);
    return fastValidateMessageOf(sessionId, bucket, generated.id, true, message, limits);
  }
  if (typeof given !== 'string') return undefined;
  const timeMs = timeOfTimeUuid(given).getTime();
  if (!Number.isFinite(timeMs)) return undefined;
  return fastValidateMessageOf(sessionId, bucketOfTime(timeMs, spanMs), given, false, message, limits);
}
