import { SESSION_ID_PATTERN } from '../entities';
import { MessageValidationError } from '../errors';
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

/**
 * The paths of one session. The id is refused here, before any statement, for every caller (the
 * facade and `sessions.delete`): even a read would claim the session's bucket span.
 */
export function sessionMessages(
  sessionId: string,
  deps: StoreDependencies,
  ttlSeconds: number | undefined,
): SessionMessages {
  if (typeof sessionId !== 'string' || !SESSION_ID_PATTERN.test(sessionId)) {
    throw new MessageValidationError('ChatMessage', [
      {
        property: 'sessionId',
        constraints: { matches: `sessionId must match ${SESSION_ID_PATTERN.source} (1 to 128 characters)` },
      },
    ]);
  }
  const writer = new MessageWriter(sessionId, deps, new SessionActivity(sessionId, deps, ttlSeconds), ttlSeconds);
  const reader = new MessageReader(sessionId, deps);
  return { writer, reader, remover: new MessageRemover(sessionId, deps, reader) };
}
