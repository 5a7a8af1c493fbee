import { ChatHistoryError } from '../errors';

/**
 * A stored row of a chat could not be read as an AI SDK UIMessage: it was not written by this entry
 * point (no `metadata.aiSdk` marker), or its JSON is not a UIMessage. Nothing was changed. The message
 * names the row, never its content.
 */
export class StoredUIMessageError extends ChatHistoryError {
  /** The row's message id. */
  readonly rowId: string;

  constructor(message: string, rowId: string, options: { cause?: unknown } = {}) {
    super(`${message} (row ${rowId})`, options);
    this.rowId = rowId;
  }
}
