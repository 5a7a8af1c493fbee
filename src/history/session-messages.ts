import type { HistoryContext } from './history-context';
import { MessageReader } from './message-reader';
import { MessageRemover } from './message-remover';
import { MessageWriter } from './message-writer';
import { SessionActivity } from './session-activity';

/** The three paths over one session's messages, wired together. */
export interface SessionMessages {
  readonly writer: MessageWriter;
  readonly reader: MessageReader;
  readonly remover: MessageRemover;
}

export function sessionMessages(sessionId: string, ctx: HistoryContext, ttlSeconds: number | undefined): SessionMessages {
  const writer = new MessageWriter(sessionId, ctx, new SessionActivity(sessionId, ctx, ttlSeconds), ttlSeconds);
  const reader = new MessageReader(sessionId, ctx);
  return { writer, reader, remover: new MessageRemover(sessionId, ctx, reader) };
}
