import { AIMessage, ChatMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { types } from 'cassandra-driver';
import { InvalidIdentifierError, MessageValidationError, SchemaNotMigratedError } from '../../../src';
import {
  CassioChatMessageHistory,
  CassioTableMissingError,
  createCassioTable,
  StoredMessageFormatError,
} from '../../../src/langchain';
import { useFreshKeyspace } from '../../support/cassandra';
import { PYTHON_BODIES, PYTHON_MESSAGE_TYPES, PYTHON_MODEL_FIELDS } from '../../unit/langchain/fixtures/python-bodies';
import { everyMessageClass, snapshot } from '../../unit/langchain/message-fixtures';

interface MessageDict {
  type: string;
  data: Record<string, unknown>;
}

describe('CassioChatMessageHistory: sharing LangChain Python histories on a real node', () => {
  const ctx = useFreshKeyspace('cassio');
  const TABLE = 'message_store';
  let n = 0;
  const sessionId = () => `py-${++n}-${Date.now()}`;
  const history = (session: string, extra: Partial<ConstructorParameters<typeof CassioChatMessageHistory>[0]> = {}) =>
    new CassioChatMessageHistory({ client: ctx.client(), keyspace: ctx.keyspace, sessionId: session, ...extra });

  beforeAll(async () => {
    await createCassioTable({ client: ctx.client(), keyspace: ctx.keyspace });
  });

  /** A row as cassio's `table.put(partition_id=..., row_id=uuid.uuid1(), body_blob=..., ttl_seconds=...)` writes it. */
  async function insertAsPython(
    session: string,
    rowId: types.TimeUuid,
    bodyBlob: string,
    table = TABLE,
  ): Promise<void> {
    await ctx
      .client()
      .execute(
        `INSERT INTO ${ctx.keyspace}.${table} (body_blob, row_id, partition_id) VALUES (?, ?, ?)`,
        [bodyBlob, rowId, session],
        { prepare: true },
      );
  }

  /** The Python reader: `get_partition` (newest first), reversed, `json.loads` of each body_blob. */
  async function readAsPython(session: string, table = TABLE): Promise<MessageDict[]> {
    const rs = await ctx.client().execute(`SELECT * FROM ${ctx.keyspace}.${table} WHERE partition_id = ?`, [session], {
      prepare: true,
      fetchSize: 100_000,
    });
    return rs.rows
      .map((row) => row.get('body_blob') as string)
      .reverse()
      .map((blob) => JSON.parse(blob) as MessageDict);
  }

  /** What `messages_from_dict` needs of each dict: a known type and, per type, the fields it reads. */
  function expectReadableByPython(dict: MessageDict): void {
    expect(PYTHON_MESSAGE_TYPES).toContain(dict.type);
    expect(dict.data.type).toBe(dict.type);
    for (const field of PYTHON_MODEL_FIELDS[dict.type] ?? []) expect(dict.data).toHaveProperty(field);
    expect(typeof dict.data.content === 'string' || Array.isArray(dict.data.content)).toBe(true);
    if (dict.type === 'tool') expect(typeof dict.data.tool_call_id).toBe('string');
    if (dict.type === 'chat') expect(typeof dict.data.role).toBe('string');
    if (dict.type === 'function') expect(typeof dict.data.name).toBe('string');
  }

  async function columnsOf(table: string): Promise<string[][]> {
    const rs = await ctx
      .client()
      .execute(
        'SELECT column_name, kind, type, clustering_order, position FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
        [ctx.keyspace, table],
        { prepare: true },
      );
    return rs.rows
      .map((r) => [
        r.get('column_name'),
        r.get('kind'),
        r.get('type'),
        r.get('clustering_order'),
        String(r.get('position')),
      ])
      .sort((a, b) => a[0].localeCompare(b[0]));
  }

  it('creates the exact table cassio provisions, idempotently', async () => {
    // cassio's CREATE_TABLE_CQL_TEMPLATE rendered for ClusteredCassandraTable(primary_key_type=["TEXT", "TIMEUUID"],
    // ordering_in_partition="DESC"), as LangChain Python's CassandraChatMessageHistory creates it.
    await ctx
      .client()
      .execute(
        `CREATE TABLE IF NOT EXISTS ${ctx.keyspace}.py_made (  partition_id TEXT,   row_id TIMEUUID,   body_blob TEXT, ` +
          'PRIMARY KEY ( ( partition_id ) , row_id )) WITH CLUSTERING ORDER BY (row_id DESC);',
      );
    await createCassioTable({ client: ctx.client(), keyspace: ctx.keyspace });
    const expected = [
      ['body_blob', 'regular', 'text', 'none', '-1'],
      ['partition_id', 'partition_key', 'text', 'none', '0'],
      ['row_id', 'clustering', 'timeuuid', 'desc', '0'],
    ];
    expect(await columnsOf(TABLE)).toEqual(expected);
    expect(await columnsOf('py_made')).toEqual(expected);
    // createCassioTable on a table Python already made changes nothing.
    await createCassioTable({ client: ctx.client(), keyspace: ctx.keyspace, table: 'py_made' });
    expect(await columnsOf('py_made')).toEqual(expected);
  });

  it('reads a conversation written by LangChain Python, oldest first', async () => {
    const session = sessionId();
    const start = Date.now() - 60_000;
    const bodies = [
      PYTHON_BODIES.system1,
      PYTHON_BODIES.human03,
      PYTHON_BODIES.aiToolCall03,
      PYTHON_BODIES.tool03,
      PYTHON_BODIES.aiAnswer1,
      PYTHON_BODIES.chat1,
      PYTHON_BODIES.function1,
      PYTHON_BODIES.multimodal1,
      PYTHON_BODIES.aiChunk03,
    ];
    // Written out of order on purpose: the row ids (uuid1 at write time) give the order.
    const rows = bodies.map((body, i) => ({ body, rowId: types.TimeUuid.fromDate(new Date(start + i * 1000)) }));
    for (const { body, rowId } of [...rows].reverse()) await insertAsPython(session, rowId, body);
    // Another session in the same table stays out.
    await insertAsPython(sessionId(), types.TimeUuid.now(), PYTHON_BODIES.human03);

    const messages = await history(session).getMessages();
    expect(messages.map((m) => m.constructor.name)).toEqual([
      'SystemMessage',
      'HumanMessage',
      'AIMessage',
      'ToolMessage',
      'AIMessage',
      'ChatMessage',
      'FunctionMessage',
      'HumanMessage',
      'AIMessage',
    ]);
    expect(messages[1].content).toBe('Bonjour, ça va ? 😀');
    expect((messages[2] as AIMessage).tool_calls).toEqual([
      { name: 'get_weather', args: { city: 'Paris', unit: 'celsius' }, id: 'call_Xk2pQ9', type: 'tool_call' },
    ]);
    expect((messages[2] as AIMessage).usage_metadata?.total_tokens).toBe(35);
    expect((messages[3] as ToolMessage).tool_call_id).toBe('call_Xk2pQ9');
    expect((messages[3] as ToolMessage).artifact).toEqual({ readings: [18.5, 19], station: 'LFPG' });
    expect((messages[5] as ChatMessage).role).toBe('critic');
    expect(Array.isArray(messages[7].content)).toBe(true);
  });

  it('appends messages that LangChain Python reads back, newest last, after its own', async () => {
    const session = sessionId();
    await insertAsPython(session, types.TimeUuid.fromDate(new Date(Date.now() - 5000)), PYTHON_BODIES.human03);
    const all = everyMessageClass();
    const appended = [all.aiWithToolCalls, all.tool, all.chatCustomRole, all.function, all.multimodal, all.unicode];
    await history(session).addMessages(appended);

    const dicts = await readAsPython(session);
    expect(dicts).toHaveLength(1 + appended.length);
    expect(dicts[0]).toEqual(JSON.parse(PYTHON_BODIES.human03));
    dicts.forEach(expectReadableByPython);
    expect(dicts.slice(1).map((d) => d.type)).toEqual(['ai', 'tool', 'chat', 'function', 'human', 'human']);
    expect(dicts[1].data.tool_calls).toEqual([
      { id: 'call_1', name: 'get_weather', args: { city: 'Paris', days: 3 }, type: 'tool_call' },
      { id: 'call_2', name: 'get_time', args: {}, type: 'tool_call' },
    ]);
    expect(dicts[1].data.usage_metadata).toMatchObject({ input_tokens: 12, output_tokens: 34, total_tokens: 46 });
    expect(dicts[2].data).toMatchObject({
      tool_call_id: 'call_1',
      artifact: { raw: { temp: 18.5, unit: 'C' }, readings: [18, 19] },
    });

    // And TypeScript reads the mix back: Python's message first, ours losslessly after it.
    const back = await history(session).getMessages();
    expect(back[0].content).toBe('Bonjour, ça va ? 😀');
    expect(back.slice(1).map(snapshot)).toEqual(appended.map(snapshot));
  });

  it('round-trips every message class losslessly', async () => {
    const session = sessionId();
    const messages = Object.values(everyMessageClass());
    await history(session).addMessages(messages);
    expect((await history(session).getMessages()).map(snapshot)).toEqual(messages.map(snapshot));
  });

  it('writes each row with the TTL, as cassio does with ttl_seconds', async () => {
    const session = sessionId();
    await history(session, { ttlSeconds: 600 }).addMessages([new HumanMessage('a'), new AIMessage('b')]);
    const rs = await ctx
      .client()
      .execute(`SELECT TTL(body_blob) AS ttl FROM ${ctx.keyspace}.${TABLE} WHERE partition_id = ?`, [session], {
        prepare: true,
      });
    expect(rs.rows).toHaveLength(2);
    for (const row of rs.rows) {
      expect(row.get('ttl')).toBeGreaterThan(500);
      expect(row.get('ttl')).toBeLessThanOrEqual(600);
    }
  });

  it('reads sessions longer than one page without truncating them (5,050 messages)', async () => {
    const session = sessionId();
    const total = 5050;
    const messages = Array.from({ length: total }, (_, i) => new HumanMessage(`m${i}`));
    await history(session).addMessages(messages);
    const back = await history(session).getMessages();
    expect(back).toHaveLength(total);
    expect(back[0].content).toBe('m0');
    expect(back[total - 1].content).toBe(`m${total - 1}`);
    expect(back.every((m, i) => m.content === `m${i}`)).toBe(true);

    const small = await history(session, { pageSize: 7, limit: 20 }).getMessages();
    expect(small.map((m) => m.content)).toEqual(Array.from({ length: 20 }, (_, i) => `m${total - 20 + i}`));
  });

  it('writes a call of many large messages as single-partition batches', async () => {
    const session = sessionId();
    const text = 'x'.repeat(2048);
    const messages = Array.from({ length: 150 }, (_, i) => new AIMessage(`${i}:${text}`));
    await history(session).addMessages(messages);
    const back = await history(session).getMessages();
    expect(back.map((m) => String(m.content).split(':')[0])).toEqual(messages.map((_, i) => String(i)));
  });

  it('returns only the newest messages with limit', async () => {
    const session = sessionId();
    await history(session).addMessages([new SystemMessage('s'), new HumanMessage('q'), new AIMessage('a')]);
    expect((await history(session, { limit: 2 }).getMessages()).map((m) => m.content)).toEqual(['q', 'a']);
  });

  it('clears the session partition only', async () => {
    const a = sessionId();
    const b = sessionId();
    await history(a).addUserMessage('a');
    await history(b).addAIMessage('b');
    await history(a).clear();
    expect(await readAsPython(a)).toEqual([]);
    expect((await history(b).getMessages()).map((m) => m.content)).toEqual(['b']);
  });

  it('names the row that is not a message', async () => {
    const session = sessionId();
    const rowId = types.TimeUuid.now();
    await insertAsPython(session, rowId, '{"type": "human", "data": ');
    const error = await history(session)
      .getMessages()
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(StoredMessageFormatError);
    expect((error as StoredMessageFormatError).rowId).toBe(rowId.toString());
  });

  it('fails with typed errors before touching the database, and on a missing table', async () => {
    expect(() => history('s', { table: 'x; DROP TABLE y' })).toThrow(InvalidIdentifierError);
    expect(() => new CassioChatMessageHistory({ client: ctx.client(), keyspace: 'bad-ks', sessionId: 's' })).toThrow(
      InvalidIdentifierError,
    );
    await expect(createCassioTable({ client: ctx.client(), keyspace: ctx.keyspace, table: 'a"b' })).rejects.toThrow(
      InvalidIdentifierError,
    );
    await expect(history('s').addMessages([{ content: 'x' } as unknown as HumanMessage])).rejects.toThrow(
      MessageValidationError,
    );
    const missing = history('s', { table: 'no_such_table' });
    const error = await missing.getMessages().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CassioTableMissingError);
    expect(error).toBeInstanceOf(SchemaNotMigratedError);
    expect((error as Error).message).toContain('createCassioTable');
    await expect(missing.addUserMessage('x')).rejects.toThrow(CassioTableMissingError);
  });
});
