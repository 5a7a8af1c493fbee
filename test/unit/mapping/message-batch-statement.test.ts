import { types } from 'cassandra-driver';
import { ChatMessage } from '../../../src/entities';
import type { ChatMapper } from '../../../src/mapping/chat-mapper';
import { MAX_STATEMENT_MESSAGES, MessageBatchStatement } from '../../../src/mapping/message-batch-statement';

interface Prepared {
  cql: string;
  params: unknown[];
}

/** A ChatMapper whose mapWithQuery records the statement and the parameters it would bind. */
function recordingMapper(): { models: ChatMapper; executed: Prepared[] } {
  const executed: Prepared[] = [];
  const messages = {
    mapWithQuery: (cql: string, paramsHandler: (doc: unknown) => unknown[]) => async (doc: unknown) => {
      executed.push({ cql, params: paramsHandler(doc) });
      return {};
    },
  };
  return { models: { keyspace: 'chat', messages } as unknown as ChatMapper, executed };
}

function message(overrides: Partial<ChatMessage> = {}): ChatMessage {
  return Object.assign(new ChatMessage(), {
    sessionId: 's-1',
    bucket: 1_700_000_000_000,
    id: types.TimeUuid.now().toString(),
    role: 'user',
    content: 'hi',
    ...overrides,
  });
}

describe('MessageBatchStatement: a chunk and its index row as one prepared statement', () => {
  it.each([false, true])('binds one value per marker, for every chunk size (TTL: %s)', async (withTtl) => {
    for (let count = 1; count <= MAX_STATEMENT_MESSAGES; count++) {
      const { models, executed } = recordingMapper();
      const chunk = Array.from({ length: count }, () => message());
      await new MessageBatchStatement(models).execute(
        withTtl
          ? { messages: chunk, ttlSeconds: 60, slot: 1_700_000_360_000, slotTtlSeconds: 420 }
          : { messages: chunk, ttlSeconds: undefined },
        {},
      );
      const [{ cql, params }] = executed;
      expect(cql.match(/\?/g)).toHaveLength(params.length);
      expect(cql.match(/INSERT INTO chat\.chat_messages/g)).toHaveLength(count);
      expect(cql).toMatch(/^BEGIN UNLOGGED BATCH .* APPLY BATCH$/);
      expect(cql).toContain(
        withTtl
          ? 'UPDATE chat.chat_message_buckets USING TTL ? SET expiry_slots = expiry_slots + ? WHERE session_id = ? AND bucket = ?'
          : 'INSERT INTO chat.chat_message_buckets (session_id, bucket) VALUES (?, ?)',
      );
    }
  });

  it('binds what the Mapper would: converted values, and unset (never null) for absent properties', async () => {
    const { models, executed } = recordingMapper();
    const m = message({ name: undefined, toolCallId: 'call-1' });
    await new MessageBatchStatement(models).execute({ messages: [m], ttlSeconds: undefined }, {});
    const [{ cql, params }] = executed;
    const columns = /\(([^)]*)\) VALUES/.exec(cql)![1].split(', ');
    const bound = Object.fromEntries(columns.map((c, i) => [c, params[i]]));
    expect(bound.session_id).toBe('s-1');
    expect(bound.bucket).toEqual(types.Long.fromNumber(1_700_000_000_000));
    expect(bound.message_id).toBeInstanceOf(types.TimeUuid);
    expect(String(bound.message_id)).toBe(m.id);
    expect(bound.metadata).toBe('{}');
    expect(bound.tool_call_id).toBe('call-1');
    expect(bound.name).toBe(types.unset);
    expect(bound.tool_calls).toBe(types.unset);
    expect(params.slice(columns.length)).toEqual(['s-1', types.Long.fromNumber(1_700_000_000_000)]);
  });
});
