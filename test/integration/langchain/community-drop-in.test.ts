import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { BufferMemory } from '@langchain/classic/memory';
import { ConversationChain } from '@langchain/classic/chains';
import { CassandraChatMessageHistory as CommunityHistory } from '@langchain/community/stores/message/cassandra';
import { connectionSettingsFromEnv, MigrationRunner, SchemaNotMigratedError } from '../../../src';
import {
  CassandraChatMessageHistory,
  CassioChatMessageHistory,
  CassioTableLayoutError,
  CassioTableMissingError,
  closeSharedClients,
  createCassioTable,
  sharedClientCount,
} from '../../../src/langchain';
import { dropKeyspace, uniqueKeyspaceName, useFreshKeyspace } from '../../support/cassandra';

// The community docs' "Apache Cassandra" connection document, pointed at the test node.
const settings = connectionSettingsFromEnv();
const configConnection = {
  contactPoints: [...settings.contactPoints],
  localDataCenter: settings.localDataCenter,
  protocolOptions: { port: settings.port },
  ...(settings.username !== undefined
    ? { credentials: { username: settings.username, password: settings.password ?? '' } }
    : {}),
};

describe('CassandraChatMessageHistory as a drop-in for @langchain/community on a real node', () => {
  const ctx = useFreshKeyspace('dropin');
  const created: string[] = [];
  let n = 0;
  const sessionId = () => `dropin-${++n}-${Date.now()}`;

  afterAll(async () => {
    await closeSharedClients();
    for (const keyspace of created) await dropKeyspace(ctx.client(), keyspace).catch(() => undefined);
  });

  it("runs the community docs' usage snippet with only the import changed (table: a cassio-layout table)", async () => {
    // Deploy step (the class never creates tables unasked): the table the snippet names.
    await createCassioTable({ client: ctx.client(), keyspace: ctx.keyspace, table: 'message_history' });
    const keyspace = ctx.keyspace;
    // ---- the documented snippet; ChatOpenAI replaced by a fake model (no API key in CI) ----
    const memory = new BufferMemory({
      chatHistory: new CassandraChatMessageHistory({
        ...configConnection,
        keyspace,
        table: 'message_history',
        sessionId: 'snippet-session',
      }),
    });
    const model = new FakeListChatModel({
      responses: ['Hello Jonathan! How can I assist you today?', 'You said your name was Jonathan.'],
    });
    const chain = new ConversationChain({ llm: model, memory });
    const res1 = await chain.invoke({ input: "Hi! I'm Jonathan." });
    const res2 = await chain.invoke({ input: 'What did I just say my name was?' });
    // ---- end of the snippet ----
    expect(res1.response).toBe('Hello Jonathan! How can I assist you today?');
    expect(res2.response).toBe('You said your name was Jonathan.');
    // A fresh history (another process, say) reads the four turns back, in order, from the cassio table.
    const reread = new CassioChatMessageHistory({
      client: ctx.client(),
      keyspace,
      table: 'message_history',
      sessionId: 'snippet-session',
    });
    expect((await reread.getMessages()).map((m) => [m.type, m.content])).toEqual([
      ['human', "Hi! I'm Jonathan."],
      ['ai', 'Hello Jonathan! How can I assist you today?'],
      ['human', 'What did I just say my name was?'],
      ['ai', 'You said your name was Jonathan.'],
    ]);
  });

  it('without table: the package tables; an unmigrated keyspace says how to migrate and writes nothing', async () => {
    const keyspace = uniqueKeyspaceName('dropin_unmig');
    created.push(keyspace);
    const history = new CassandraChatMessageHistory({ ...configConnection, keyspace, sessionId: sessionId() });
    const error = await history.addMessage(new HumanMessage('hi')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaNotMigratedError);
    expect((error as Error).message).toContain('npm run migrate');
    expect((error as Error).message).toContain('new MigrationRunner({ client, keyspace }).up()');
    expect((error as Error).message).toContain('migrateOnFirstUse: true');
    const keyspaces = await ctx
      .client()
      .execute('SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?', [keyspace], {
        prepare: true,
      });
    expect(keyspaces.rowLength).toBe(0);
    await history.close();
  });

  it('migrateOnFirstUse: migrates a missing keyspace once, however many histories start together', async () => {
    const keyspace = uniqueKeyspaceName('dropin_mig');
    created.push(keyspace);
    const session = sessionId();
    const up = jest.spyOn(MigrationRunner.prototype, 'up');
    const histories = Array.from(
      { length: 4 },
      () =>
        new CassandraChatMessageHistory({ ...configConnection, keyspace, sessionId: session, migrateOnFirstUse: true }),
    );
    await Promise.all(histories.map((h, i) => h.addMessage(new HumanMessage(`m${i}`))));
    expect((await histories[0].getMessages()).map((m) => m.content).sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(up).toHaveBeenCalledTimes(1);
    up.mockRestore();
    const status = await new MigrationRunner({ client: ctx.client(), keyspace }).status();
    expect(status.entries.filter((e) => e.state === 'applied').length).toBeGreaterThan(0);
    expect(status.entries.every((e) => e.state === 'applied')).toBe(true);
    // The package's ChatHistory of the same session (what LangChain's interface lacks).
    expect(await histories[0].history.count()).toBe(4);
    await Promise.all(histories.map((h) => h.close()));
  });

  it('shares one client per configuration and shuts it down when the last history closes', async () => {
    await closeSharedClients();
    await createCassioTable({ client: ctx.client(), keyspace: ctx.keyspace, table: 'shared_store' });
    const options = { ...configConnection, keyspace: ctx.keyspace, table: 'shared_store' };
    const a = new CassandraChatMessageHistory({ ...options, sessionId: 'a' });
    const b = new CassandraChatMessageHistory({ ...options, sessionId: 'b' });
    expect(sharedClientCount()).toBe(1);
    const other = new CassandraChatMessageHistory({ ...options, applicationName: 'other-app', sessionId: 'c' });
    expect(sharedClientCount()).toBe(2);
    await Promise.all([
      a.addMessage(new HumanMessage('to a')),
      b.addMessage(new HumanMessage('to b')),
      other.getMessages(),
    ]);
    await a.close();
    expect(sharedClientCount()).toBe(2);
    expect((await b.getMessages()).map((m) => m.content)).toEqual(['to b']);
    await b.close();
    await other.close();
    expect(sharedClientCount()).toBe(0);
    await expect(a.getMessages()).rejects.toThrow('was closed');
    // A new history of the same configuration opens a new client.
    const again = new CassandraChatMessageHistory({ ...options, sessionId: 'a' });
    expect((await again.getMessages()).map((m) => m.content)).toEqual(['to a']);
    await again.close();
    expect(sharedClientCount()).toBe(0);
  });

  it('with table: a missing table is a typed error; migrateOnFirstUse creates it', async () => {
    const session = sessionId();
    const missing = new CassandraChatMessageHistory({
      ...configConnection,
      keyspace: ctx.keyspace,
      table: 'not_yet',
      sessionId: session,
    });
    const error = await missing.getMessages().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassioTableMissingError);
    expect((error as Error).message).toContain('createCassioTable');
    expect((error as Error).message).toContain('migrateOnFirstUse: true');
    await missing.close();
    const created = new CassandraChatMessageHistory({
      ...configConnection,
      keyspace: ctx.keyspace,
      table: 'not_yet',
      sessionId: session,
      migrateOnFirstUse: true,
    });
    const call = new AIMessage({ content: '', tool_calls: [{ id: 'c1', name: 'weather', args: { city: 'Zürich' } }] });
    await created.addMessages([
      new HumanMessage('Wetter?'),
      call,
      new ToolMessage({ tool_call_id: 'c1', content: '18 °C' }),
    ]);
    const back = await created.getMessages();
    expect(back.map((m) => m.type)).toEqual(['human', 'ai', 'tool']);
    expect((back[1] as AIMessage).tool_calls).toEqual([{ id: 'c1', name: 'weather', args: { city: 'Zürich' } }]);
    await created.close();
  });

  it("refuses a table written by @langchain/community's own class, naming its layout", async () => {
    const table = 'community_history';
    const session = sessionId();
    const community = new CommunityHistory({ ...configConnection, keyspace: ctx.keyspace, table, sessionId: session });
    await community.addMessage(new HumanMessage('written by @langchain/community'));
    const ours = new CassandraChatMessageHistory({
      ...configConnection,
      keyspace: ctx.keyspace,
      table,
      sessionId: session,
    });
    const error = await ours.addMessage(new HumanMessage('must not be written')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CassioTableLayoutError);
    expect((error as Error).message).toContain("@langchain/community's JS history layout");
    expect((error as CassioTableLayoutError).columns).toEqual(
      expect.arrayContaining(['session_id', 'message_ts', 'message_type', 'data']),
    );
    const rows = await ctx
      .client()
      .execute(`SELECT data FROM ${ctx.keyspace}.${table} WHERE session_id = ?`, [session], { prepare: true });
    expect(rows.rowLength).toBe(1);
    await ours.close();
    // The community class never shuts its client down; reach into it so that jest can exit.
    const table_ = (community as unknown as { cassandraTable: { getClient(): Promise<{ shutdown(): Promise<void> }> } })
      .cassandraTable;
    await (await table_.getClient()).shutdown();
  });
});
