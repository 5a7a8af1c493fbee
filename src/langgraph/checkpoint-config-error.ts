import { ChatHistoryError } from '../errors';

/** A RunnableConfig (or option) the checkpointer cannot use; nothing was written. `field` names what was wrong. */
export class CheckpointConfigError extends ChatHistoryError {
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.field = field;
  }
}
