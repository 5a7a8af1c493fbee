import type { UIMessage } from 'ai' with { 'resolution-mode': 'import' };
import { type ChatMessage, type JsonObject } from '../entities';
import { MessageValidationError, type ValidationIssue } from '../errors';
import { type ChatHistory, type ChatHistoryStore, type NewChatMessage, newMessageId } from '../history';
import { assignRowIds } from './row-ids';
import { toStoredMessage, toUIMessage, uiMessageJson } from './ui-message-codec';

export interface UIMessageChatStoreOptions {
  /** The store the chats live in: one chat is one session of it. */
  readonly store: ChatHistoryStore;
  /** Every message saved expires after this many seconds (the store's default otherwise). */
  readonly ttlSeconds?: number;
}

export interface CreateChatInput {
  /** Defaults to a random UUID. */
  readonly chatId?: string;
  readonly userId?: string;
  readonly title?: string;
  readonly metadata?: JsonObject;
}

export interface SaveChatInput<UI_MESSAGE extends UIMessage> {
  readonly chatId: string;
  /** The whole chat, in order, as the SDK hands it to `onFinish`. */
  readonly messages: readonly UI_MESSAGE[];
}

/**
 * AI SDK chat persistence on a {@link ChatHistoryStore}: the `createChat` / `loadChat` / `saveChat`
 * trio of the SDK's persistence guide. The methods are bound, so `const { loadChat, saveChat } = chats`
 * works. Messages round-trip byte for byte (ui-message-codec.ts); the store keeps the chat's order.
 */
export class UIMessageChatStore<UI_MESSAGE extends UIMessage = UIMessage> {
  private readonly store: ChatHistoryStore;
  private readonly ttlSeconds?: number;

  constructor(options: UIMessageChatStoreOptions) {
    this.store = options.store;
    this.ttlSeconds = options.ttlSeconds;
    // Validates the TTL now rather than at the first save.
    if (this.ttlSeconds !== undefined) this.store.history('ttl-check', { ttlSeconds: this.ttlSeconds });
  }

  /** Creates an empty chat (a session record) and returns its id. */
  readonly createChat = async (input: CreateChatInput = {}): Promise<string> => {
    const { chatId, ...rest } = input;
    const session = await this.store.sessions.create({ ...rest, sessionId: chatId });
    return session.sessionId;
  };

  /** The chat's messages in order; `[]` for a chat without messages. */
  readonly loadChat = async (chatId: string): Promise<UI_MESSAGE[]> => {
    const rows = await this.history(chatId).getMessages();
    return rows.map((row) => toUIMessage<UI_MESSAGE>(row));
  };

  /**
   * Makes the stored chat equal to `messages`, as the SDK's guide does by overwriting a file: new
   * and changed messages are written (a message whose id is stored already is updated in place, so
   * a continued or resumed assistant message is never duplicated), unchanged ones are not, and stored
   * messages missing from `messages` (a regenerated answer, a truncated edit) are deleted after the
   * writes. Invalid input: MessageValidationError naming `messages[i]`, and nothing is written.
   */
  readonly saveChat = async ({ chatId, messages }: SaveChatInput<UI_MESSAGE>): Promise<void> => {
    const history = this.history(chatId);
    const jsons = encodeAll(messages);
    const stored = await history.getMessages();
    const storedByUiId = new Map<string, ChatMessage>();
    for (const row of stored) storedByUiId.set(toUIMessage(row).id, row);
    const rowIds = assignRowIds(
      messages.map((m) => m.id),
      new Map([...storedByUiId].map(([uiId, row]) => [uiId, row.id])),
    );
    const writes: NewChatMessage[] = [];
    const callerIndexOf: number[] = [];
    messages.forEach((message, i) => {
      const previous = storedByUiId.get(message.id);
      if (previous !== undefined && previous.content === jsons[i] && previous.role === message.role) return;
      writes.push(toStoredMessage(message, jsons[i], rowIds[i]));
      callerIndexOf.push(i);
    });
    if (writes.length > 0) {
      await history.addMessages(writes).catch((error: unknown) => {
        throw withCallerIndexes(error, callerIndexOf);
      });
    }
    const kept = new Set(rowIds);
    const removed = stored.filter((row) => !kept.has(row.id));
    await Promise.all(removed.map((row) => history.deleteMessage(row.id)));
  };

  private history(chatId: string): ChatHistory {
    return this.store.history(chatId, { ttlSeconds: this.ttlSeconds });
  }
}

/**
 * A new message id for the SDK's `generateMessageId` hook (`toUIMessageStreamResponse`,
 * `createUIMessageStream`): a timeuuid, which becomes the message's row id as it is, so the chat is
 * stored in the order its messages were made.
 */
export function generateMessageId(): string {
  return newMessageId();
}

/** Every message's JSON text, or one MessageValidationError listing every bad message. */
function encodeAll(messages: readonly UIMessage[]): string[] {
  if (!Array.isArray(messages)) {
    throw new MessageValidationError('ChatMessage', [
      { property: 'messages', constraints: { isArray: 'messages must be an array of UIMessages' } },
    ]);
  }
  const jsons: string[] = [];
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  messages.forEach((message, i) => {
    const encoded = uiMessageJson(message, `messages[${i}]`);
    if ('issues' in encoded) issues.push(...encoded.issues);
    else jsons.push(encoded.json);
    if (seen.has(message?.id))
      issues.push({
        property: `messages[${i}].id`,
        constraints: { isUnique: `id ${JSON.stringify(message.id)} appears twice in the chat` },
      });
    seen.add(message?.id);
  });
  if (issues.length > 0) throw new MessageValidationError('ChatMessage', issues);
  return jsons;
}

/** Re-throws the facade's validation error of the written subset with the indexes of the caller's array. */
function withCallerIndexes(error: unknown, callerIndexOf: readonly number[]): unknown {
  if (!(error instanceof MessageValidationError)) return error;
  const issues = error.issues.map((issue) => ({
    ...issue,
    property: issue.property.replace(/^messages\[(\d+)\]/, (_, k: string) => `messages[${callerIndexOf[Number(k)]}]`),
  }));
  return new MessageValidationError('ChatMessage', issues);
}
