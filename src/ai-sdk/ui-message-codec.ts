/**
 * AI SDK UIMessages ↔ this package's messages. One UIMessage is one stored message:
 *
 *   message_id = a timeuuid: the UIMessage's own id when it is one (ids from `generateMessageId`),
 *                otherwise one chosen by `assignRowIds` (the order of the chat)
 *   role       = the UIMessage's role (system, user or assistant)
 *   content    = JSON.stringify(uiMessage): the whole message, id, metadata and parts, verbatim
 *   metadata   = { aiSdk: 1 }: marks the row as written by this entry point
 *
 * Keeping the message as one JSON text is what makes the round trip byte for byte: every part type
 * (and any the SDK adds later) reads back with its keys in their order, whatever the SDK's state.
 */
import type { UIMessage } from 'ai' with { 'resolution-mode': 'import' };
import { type ChatMessage, jsonProblem, MAX_JSON_DEPTH } from '../entities';
import type { ValidationIssue } from '../errors';
import type { NewChatMessage } from '../history';
import { StoredUIMessageError } from './stored-ui-message-error';

/** The metadata key marking a row as a UIMessage written by `cassandra-chat-history/ai-sdk`. */
export const AI_SDK_METADATA_KEY = 'aiSdk';
const FORMAT_VERSION = 1;
const UI_ROLES: readonly string[] = ['system', 'user', 'assistant'];

/**
 * The JSON text a UIMessage is stored as, or the issues that keep it from being stored. Object keys
 * holding `undefined` are dropped, as JSON (and the SDK's own wire format) drops them; anything
 * else JSON would change (NaN, Dates, Maps, functions, `undefined` in an array) is refused.
 */
export function uiMessageJson(message: unknown, path: string): { json: string } | { issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const shape = (property: string, constraint: string, text: string) =>
    issues.push({ property: `${path}.${property}`, constraints: { [constraint]: text } });
  if (!isRecord(message)) {
    return {
      issues: [
        { property: path, constraints: { isUIMessage: `${path} must be a UIMessage object ({ id, role, parts })` } },
      ],
    };
  }
  if (typeof message.id !== 'string' || message.id.length === 0)
    shape('id', 'isNotEmpty', 'id must be a non-empty string');
  if (typeof message.role !== 'string' || !UI_ROLES.includes(message.role))
    shape('role', 'isIn', `role must be one of ${UI_ROLES.join(', ')}`);
  if (!Array.isArray(message.parts)) shape('parts', 'isArray', 'parts must be an array of UIMessage parts');
  else
    message.parts.forEach((part, i) => {
      if (!isRecord(part) || typeof part.type !== 'string')
        shape(`parts[${i}]`, 'isPart', 'a part must be an object with a string type');
    });
  const problem = jsonProblem(withoutUndefinedKeys(message, 0), path);
  if (problem !== undefined) issues.push({ property: path, constraints: { isJson: problem } });
  return issues.length > 0 ? { issues } : { json: JSON.stringify(message) };
}

/** The message to write for a UIMessage whose JSON is `json`, under row id `rowId`. */
export function toStoredMessage(message: UIMessage, json: string, rowId: string): NewChatMessage {
  return { id: rowId, role: message.role, content: json, metadata: { [AI_SDK_METADATA_KEY]: FORMAT_VERSION } };
}

/** The UIMessage a stored row holds; StoredUIMessageError for a row this entry point did not write. */
export function toUIMessage<UI_MESSAGE extends UIMessage>(row: ChatMessage): UI_MESSAGE {
  if (row.metadata[AI_SDK_METADATA_KEY] !== FORMAT_VERSION) {
    throw new StoredUIMessageError(
      `The message is not an AI SDK UIMessage (no metadata.${AI_SDK_METADATA_KEY} = ${FORMAT_VERSION}): it was written another way`,
      row.id,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.content);
  } catch (cause) {
    throw new StoredUIMessageError('The stored UIMessage is not valid JSON', row.id, { cause });
  }
  if (!isRecord(parsed) || typeof parsed.id !== 'string' || parsed.role !== row.role || !Array.isArray(parsed.parts)) {
    throw new StoredUIMessageError('The stored UIMessage lacks an id, parts, or the role of its row', row.id);
  }
  return parsed as unknown as UI_MESSAGE;
}

/**
 * A plain object of any realm: its prototype is null or a root prototype. The SDK copies messages with
 * `structuredClone`, which builds them in the main realm; under a VM context (Jest, edge runtimes)
 * their prototype is not this realm's `Object.prototype`, yet they are plain JSON objects.
 */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** A copy without object keys holding `undefined`; stops copying below the depth JSON checks refuse. */
function withoutUndefinedKeys(value: unknown, depth: number): unknown {
  if (depth > MAX_JSON_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => withoutUndefinedKeys(v, depth + 1));
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    if (value[key] !== undefined) copy[key] = withoutUndefinedKeys(value[key], depth + 1);
  return copy;
}
