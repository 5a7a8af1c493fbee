import type { StoreDependencies } from './store-dependencies';
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

export function sessionMessages(sessionId: string, deps: StoreDependencies, ttlSeconds: number | undefined): SessionMessages {
  const writer = new MessageWriter(sessionId, deps, new SessionActivity(sessionId, deps, ttlSeconds), ttlSeconds);
  const reader = new MessageReader(sessionId, deps);
  return { writer, reader, remover: new MessageRemover(sessionId, deps, reader) };
}
