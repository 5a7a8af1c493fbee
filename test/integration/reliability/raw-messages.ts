import { policies, types, type Client, type ClientOptions } from 'cassandra-driver';

/**
 * Raw-driver access to the chat_messages table of migrations/V0001, for harnesses that must not
 * depend on the history facade: idempotent prepared inserts with client-generated timeuuids, and a
 * full read of a partition through every page.
 */

/** Client options that notice a dead node fast: short timeouts, reconnection every 200 ms. */
export function fastFailureOptions(readTimeoutMs = 2_000): Partial<ClientOptions> {
  return {
    socketOptions: { readTimeout: readTimeoutMs, connectTimeout: 1_000 },
    policies: { reconnection: new policies.reconnection.ConstantReconnectionPolicy(200) },
    pooling: { heartBeatInterval: 1_000 },
  };
}

/** The raw harness keeps every session in one bucket. */
export const RAW_BUCKET = types.Long.fromNumber(0);

export interface RawMessage {
  readonly id: types.TimeUuid;
  readonly content: string;
}

export async function insertMessage(
  client: Client,
  keyspace: string,
  sessionId: string,
  message: RawMessage,
  options: { idempotent?: boolean } = {},
): Promise<void> {
  await client.execute(
    `INSERT INTO ${keyspace}.chat_messages (session_id, bucket, message_id, role, content) VALUES (?, ?, ?, ?, ?)`,
    [sessionId, RAW_BUCKET, message.id, 'user', message.content],
    { prepare: true, isIdempotent: options.idempotent ?? true },
  );
}

/** Every message of a session, oldest first (the table clusters newest first). */
export async function readAllMessages(client: Client, keyspace: string, sessionId: string): Promise<RawMessage[]> {
  const messages: RawMessage[] = [];
  let pageState: string | undefined;
  do {
    const rs = await client.execute(
      `SELECT message_id, content FROM ${keyspace}.chat_messages WHERE session_id = ? AND bucket = ?`,
      [sessionId, RAW_BUCKET],
      { prepare: true, fetchSize: 5_000, pageState },
    );
    for (const row of rs.rows) {
      messages.push({ id: row.get('message_id') as types.TimeUuid, content: row.get('content') as string });
    }
    pageState = rs.pageState ?? undefined;
  } while (pageState);
  return messages.reverse();
}
