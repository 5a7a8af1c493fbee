import { EntityValidationError, MessageValidationError, type ValidationIssue } from '../../errors';
import type { ChatMessage, Session } from '../models';
import { checkMessageWithClassValidator, checkSessionWithClassValidator, type Outcome } from './class-validator-check';
import { fastValidateMessage } from './fast-message-check';
import { prefixIssues } from './validation-issues';
import { resolveLimits, type ValidationLimits } from '../rules';

/**
 * Validates an untrusted plain object of the stored message shape
 * `{ sessionId, bucket, id, role, content, name?, toolCalls?, toolCallId?, metadata?, createdAt? }`
 * and returns a ChatMessage instance, or throws MessageValidationError listing every failing property
 * (paths such as `toolCalls[0].name`) with its constraint names and messages.
 *
 * - Unknown properties are refused; optional properties given as `null` are treated as absent.
 * - `id` is lower-cased; `metadata` defaults to `{}`. JSON values (metadata, tool call args) are
 *   kept by reference, not copied.
 * - `createdAt` is optional and never stored: when given it must equal the time inside `id`.
 *
 * The rules are the class-validator decorators on ChatMessage. A hand-written check of the same
 * rules accepts valid messages quickly; class-validator runs only to explain a refusal (and has the
 * last word should the two ever disagree).
 */
export function validateMessage(input: unknown, limits?: Partial<ValidationLimits>): ChatMessage {
  const outcome = checkMessage(input, resolveLimits(limits));
  if (outcome.value === undefined) throw new MessageValidationError('ChatMessage', nameRoot('message', outcome.issues));
  return outcome.value;
}

/**
 * Validates every message; when any fails, throws ONE MessageValidationError whose issues are
 * prefixed with the message's index (`messages[3].content`). Two messages with the same id in one
 * call are refused too (the second would silently overwrite the first).
 */
export function validateMessages(inputs: readonly unknown[], limits?: Partial<ValidationLimits>): ChatMessage[] {
  if (!Array.isArray(inputs)) {
    throw new MessageValidationError('ChatMessage', [
      { property: 'messages', constraints: { isArray: 'messages must be an array' } },
    ]);
  }
  const resolved = resolveLimits(limits);
  return validateMessageList(
    inputs.length,
    (index) => fastValidateMessage(inputs[index], resolved),
    (index) => inputs[index],
    resolved,
  );
}

/**
 * validateMessages over `count` messages given lazily: `fast(i)` is the fast path's verdict on
 * message i (its ChatMessage, or undefined), `input(i)` the plain object class-validator checks when
 * the fast path refused. Lets the write path validate callers' messages without first building the
 * stored shape of each (src/history/new-message.ts).
 */
export function validateMessageList(
  count: number,
  fast: (index: number) => ChatMessage | undefined,
  input: (index: number) => unknown,
  limits: ValidationLimits,
): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const issues: ValidationIssue[] = [];
  // Keyed by id alone (the bucket follows from the id, and one call usually has one session); the
  // full key is built only when two messages share an id. Nothing is allocated per valid message
  // beyond the message itself: this runs for every message written.
  const firstById = new Map<string, number>();
  const validAt: (ChatMessage | undefined)[] = new Array<ChatMessage | undefined>(count);
  let firstByKey: Map<string, number> | undefined;
  for (let index = 0; index < count; index++) {
    let current = fast(index);
    if (current === undefined) {
      const outcome = checkMessageWithClassValidator(input(index), limits);
      if (outcome.value === undefined) {
        issues.push(...prefixIssues(`messages[${index}]`, outcome.issues));
        continue;
      }
      current = outcome.value;
    }
    validAt[index] = current;
    messages.push(current);
    const earlier = firstById.get(current.id);
    if (earlier === undefined) {
      firstById.set(current.id, index);
      continue;
    }
    firstByKey ??= new Map();
    const earlierKey = storageKey(validAt[earlier] as ChatMessage);
    if (!firstByKey.has(earlierKey)) firstByKey.set(earlierKey, earlier);
    const key = storageKey(current);
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, index);
    } else {
      issues.push({
        property: `messages[${index}].id`,
        constraints: { uniqueId: `id repeats the id of messages[${first}]; each message needs its own id` },
      });
    }
  }
  if (issues.length > 0) throw new MessageValidationError('ChatMessage', issues);
  return messages;
}

/**
 * Validates an untrusted plain object `{ sessionId, userId?, title?, metadata?, createdAt,
 * lastActivityAt }` (dates as Date or ISO-8601 text; title defaults to '', metadata to {}) and
 * returns a Session, or throws EntityValidationError('Session', issues). `messageCount` is
 * computed, never accepted.
 */
export function validateSession(input: unknown, limits?: Partial<ValidationLimits>): Session {
  const outcome = checkSessionWithClassValidator(input, resolveLimits(limits));
  if (outcome.value === undefined) throw new EntityValidationError('Session', nameRoot('session', outcome.issues));
  return outcome.value;
}

/** Where a message is stored: two messages with one key would be one row. */
function storageKey(message: ChatMessage): string {
  return `${message.sessionId}\u0000${message.bucket}\u0000${message.id}`;
}

/** The fast path when it accepts, else class-validator (which explains the refusal). */
function checkMessage(input: unknown, limits: ValidationLimits): Outcome<ChatMessage> {
  const fast = fastValidateMessage(input, limits);
  return fast !== undefined ? { value: fast, issues: [] } : checkMessageWithClassValidator(input, limits);
}

/** An issue about the input as a whole (not an object) is reported on `message` / `session`. */
function nameRoot(label: string, issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.map((issue) => (issue.property === '' ? { property: label, constraints: issue.constraints } : issue));
}
