/**
 * cassandra-chat-history/ai-sdk: persistence for the Vercel AI SDK's `UIMessage`s (`ai` is an
 * optional peer dependency; this entry point only uses its types, so it loads without it).
 *
 * ```ts
 * import { UIMessageChatStore, generateMessageId } from 'cassandra-chat-history/ai-sdk';
 * const { createChat, loadChat, saveChat } = new UIMessageChatStore({ store });
 * // in the route handler:
 * return result.toUIMessageStreamResponse({ originalMessages: messages, generateMessageId,
 *   onFinish: ({ messages }) => saveChat({ chatId, messages }) });
 * ```
 *
 * How a UIMessage is stored, ids and order: src/ai-sdk/README.md.
 */
// Decorator metadata must be available before any entity class is defined (as in the main entry).
import 'reflect-metadata';

export {
  type CreateChatInput,
  generateMessageId,
  type SaveChatInput,
  UIMessageChatStore,
  type UIMessageChatStoreOptions,
} from './ui-message-chat-store';
export { AI_SDK_METADATA_KEY } from './ui-message-codec';
export { StoredUIMessageError } from './stored-ui-message-error';
