import { ChatHistoryError } from '../errors';

/**
 * A stored row could not be turned back into a LangChain message: its LangChain payload (our
 * `metadata.langchain`, or a cassio `body_blob`) is not valid JSON, names an unknown message type, or
 * LangChain refused the fields. Nothing was changed. The message names the row, never its content.
 */
export class StoredMessageFormatError extends ChatHistoryError {
  /** The id of the offending row (message id or cassio `row_id`), when known. */
  readonly rowId?: string;

  constructor(message: string, options: { rowId?: string; cause?: unknown } = {}) {
    super(options.rowId !== undefined ? `${message} (row ${options.rowId})` : message, { cause: options.cause });
    this.rowId = options.rowId;
  }
}
