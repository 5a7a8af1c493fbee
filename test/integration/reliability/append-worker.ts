/**
 * A separate OS process for the concurrency test: connects with the package's createClient(), waits
 * for "go", appends `count` numbered messages to one session as fast as it can (`inFlight` at a
 * time, ids generated in order), and reports back over IPC.
 *
 * argv: keyspace sessionId writer count inFlight path   (path: `facade` or `raw`)
 */
import { types } from 'cassandra-driver';
import { ChatHistoryStore } from '../../../src';
import { createClient } from '../../../src/config';
import { translateDriverError } from '../../../src/driver/driver-errors';
import { insertMessage } from './raw-messages';

export type WorkerMessage =
  | { readonly type: 'ready' }
  | {
      readonly type: 'done';
      readonly acknowledged: number;
      readonly errors: readonly string[];
      readonly elapsedMs: number;
    };

function send(message: WorkerMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const [keyspace, sessionId, writer, countText, inFlightText, path] = process.argv.slice(2);
  const count = Number(countText);
  const inFlight = Number(inFlightText);
  const client = createClient();
  await client.connect();
  const store = new ChatHistoryStore({ client, keyspace });
  const append = (session: string, message: { id: types.TimeUuid; content: string }): Promise<unknown> =>
    path === 'facade'
      ? store.history(session).addMessage({ id: message.id.toString(), role: 'user', content: message.content })
      : insertMessage(client, keyspace, session, message);
  // Prepare before "go" so both writers start at full speed at the same moment.
  await append(`${sessionId}-warm-up`, { id: types.TimeUuid.now(), content: 'warm-up' });
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    send({ type: 'ready' });
  });

  const started = Date.now();
  // Ids are taken in sequence order, so this writer's messages sort by timeuuid in its own order.
  const messages = Array.from({ length: count }, (_, seq) => ({
    id: types.TimeUuid.now(),
    content: `${writer}#${seq}`,
  }));
  const errors: string[] = [];
  let acknowledged = 0;
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < messages.length) {
      const message = messages[next++];
      try {
        await append(sessionId, message);
        acknowledged++;
      } catch (error) {
        errors.push(translateDriverError(error, { operation: 'addMessage', keyspace }).message);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  send({ type: 'done', acknowledged, errors: errors.slice(0, 20), elapsedMs: Date.now() - started });
  await client.shutdown();
  process.disconnect?.();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
