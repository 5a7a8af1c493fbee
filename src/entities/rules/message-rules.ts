/**
 * The facts of the message and session rules, declared once. Three checks apply them and import
 * them from here: the class-validator decorators on the models (the reference), the hand-written
 * fast path (validation/fast-message-check.ts) and the LangChain codec (which shapes LangChain
 * messages so that they pass). test/unit/entities/fast-path-agreement.test.ts checks that the first
 * two agree.
 */

/** A version 1 (time) UUID in its string form: the shape of every message id. */
export const TIME_UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Session and user ids: they travel in URLs, logs and CQL, so a conservative charset. Refuses
 * spaces, quotes and semicolons (`x; DROP KEYSPACE y`). At most 128 characters.
 */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/;

/** SESSION_ID_PATTERN in words, for messages: `sessionId must be ${SESSION_ID_RULE}`. */
export const SESSION_ID_RULE = '1 to 128 characters: a letter or digit, then letters, digits or ._:@/+=-';

/** Longest `name` of a message (characters). */
export const MAX_NAME_LENGTH = 256;
/** Longest `toolCallId` of a message (characters). */
export const MAX_TOOL_CALL_ID_LENGTH = 256;
/** Length of the `id` and the `name` of each tool call (characters, at least one). */
export const TOOL_CALL_FIELD_LENGTH = Object.freeze({ min: 1, max: 256 });
/** Longest `title` of a session (characters). */
export const MAX_TITLE_LENGTH = 512;

/**
 * The accepted input of `validateMessage`: the stored fields, plus an optional `createdAt`.
 * `createdAt` is never stored (it is the time inside `id`); it is accepted so that a message read
 * back can be validated again, but only when it equals the time of `id` to the millisecond, so
 * that nobody believes they set a message's time through it.
 */
export const MESSAGE_INPUT_KEY_LIST = [
  'sessionId',
  'bucket',
  'id',
  'role',
  'content',
  'name',
  'toolCalls',
  'toolCallId',
  'metadata',
  'createdAt',
] as const;

export type MessageInputKey = (typeof MESSAGE_INPUT_KEY_LIST)[number];

export const MESSAGE_INPUT_KEYS: ReadonlySet<string> = new Set(MESSAGE_INPUT_KEY_LIST);

/** The keys of one tool call: exactly id, name and args. */
export const TOOL_CALL_KEYS: ReadonlySet<string> = new Set(['id', 'name', 'args']);

/** Empty content is allowed only where the message carries something else: tool calls or a tool result. */
export function contentMayBeEmpty(message: { role?: unknown; toolCalls?: unknown }): boolean {
  if (message.role === 'tool') return true;
  if (message.role === 'assistant') return Array.isArray(message.toolCalls) && message.toolCalls.length > 0;
  return message.role !== 'user' && message.role !== 'system';
}

/** A message of this role must have a non-empty `toolCallId`: a tool result names the call it answers. */
export function toolCallIdRequired(role: unknown): boolean {
  return role === 'tool';
}

/** Whether the `toolCallId` rules apply to a message: when it is required, or given (not null/undefined). */
export function toolCallIdApplies(message: { role?: unknown }, toolCallId: unknown): boolean {
  return toolCallIdRequired(message.role) || (toolCallId !== undefined && toolCallId !== null);
}
