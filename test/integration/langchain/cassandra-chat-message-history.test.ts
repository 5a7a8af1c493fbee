import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  RemoveMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableLambda, RunnableWithMessageHistory } from '@langchain/core/runnables';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import type { ChatPromptValueInterface } from '@langchain/core/prompt_values';
import { ConfigurationError, MessageValidationError, SchemaNotMigratedError } from '../../../src';
import { CassandraChatMessageHistory, LANGCHAIN_METADATA_KEY } from '../../../src/langchain';
import { useMigratedStore } from '../../support/store';
import { everyMessageClass, snapshot } from '../../unit/langchain/message-fixtures';

describe('CassandraChatMessageHistory on a real node', () => {
  const ctx = useMigratedStore('langchain');
  let n = 0;
  const sessionId = () => `lc-${++n}-${Date.now()}`;

  it('keeps a two-turn conversation of RunnableWithMessageHistory with a chat model', async () => {
    const store = ctx.store();
    const model = new FakeListChatModel({ responses: ['Hello Alice!', 'Your name is Alice.'] });
    const prompts: BaseMessage[][] = [];
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'You are a helpful assistant.'],
      new MessagesPlaceholder('history'),
      ['human', '{question}'],
    ]);
    const recordPrompt = RunnableLambda.from((value: ChatPromptValueInterface) => {
      prompts.push(value.toChatMessages());
      return value;
    });
    const requested: string[] = [];
    const chain = new RunnableWithMessageHistory({
      runnable: prompt.pipe(recordPrompt).pipe(model),
      getMessageHistory: (id: string) => {
        requested.push(id);
        return new CassandraChatMessageHistory({ store, sessionId: id });
      },
      inputMessagesKey: 'question',
      historyMessagesKey: 'history',
    });
    const session = sessionId();
    const config = { configurable: { sessionId: session } };

    const first = await chain.invoke({ question: 'Hi, I am Alice.' }, config);
    const second = await chain.invoke({ question: 'What is my name?' }, config);

    expect(first.content).toBe('Hello Alice!');
    expect(second.content).toBe('Your name is Alice.');
    expect(requested).toEqual([session, session]);
    // The second prompt carried the first turn, read back from Cassandra.
    expect(prompts[1].map((m) => [m.type, m.content])).toEqual([
      ['system', 'You are a helpful assistant.'],
      ['human', 'Hi, I am Alice.'],
      ['ai', 'Hello Alice!'],
      ['human', 'What is my name?'],
    ]);

    const stored = await new CassandraChatMessageHistory({ store: ctx.store(), sessionId: session }).getMessages();
    expect(stored.map((m) => [m.constructor.name, m.content])).toEqual([
      ['HumanMessage', 'Hi, I am Alice.'],
      ['AIMessage', 'Hello Alice!'],
      ['HumanMessage', 'What is my name?'],
      ['AIMessage', 'Your name is Alice.'],
    ]);
    // And the package's own reader sees the same conversation as plain chat messages.
    const plain = await store.history(session).getMessages();
    expect(plain.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hi, I am Alice.'],
      ['assistant', 'Hello Alice!'],
      ['user', 'What is my name?'],
      ['assistant', 'Your name is Alice.'],
    ]);
  });

  it('round-trips every message class losslessly, in order, through one addMessages call', async () => {
    const history = new CassandraChatMessageHistory({ store: ctx.store(), sessionId: sessionId() });
    const messages = Object.values(everyMessageClass());
    await history.addMessages(messages);
    const back = await history.getMessages();
    expect(back.map(snapshot)).toEqual(messages.map(snapshot));
  });

  it('stores tool-call conversations as plain chat messages other readers understand', async () => {
    const store = ctx.store();
    const session = sessionId();
    const history = new CassandraChatMessageHistory({ store, sessionId: session });
    const messages = everyMessageClass();
    await history.addMessages([messages.aiWithToolCalls, messages.tool]);
    const [assistant, tool] = await store.history(session).getMessages();
    expect(assistant).toMatchObject({
      role: 'assistant',
      content: '',
      name: 'planner',
      toolCalls: [
        { id: 'call_1', name: 'get_weather', args: { city: 'Paris', days: 3 } },
        { id: 'call_2', name: 'get_time', args: {} },
      ],
    });
    expect(tool).toMatchObject({ role: 'tool', toolCallId: 'call_1', content: '18°C, sunny', name: 'get_weather' });
    expect(Object.keys(tool.metadata)).toEqual([LANGCHAIN_METADATA_KEY]);
  });

  it('reads messages written through the package facade as LangChain messages', async () => {
    const store = ctx.store();
    const session = sessionId();
    const [user] = await store.history(session).addMessages([
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'weather', args: { city: 'Oslo' } }] },
      { role: 'tool', content: '-3°C', toolCallId: 'c1' },
    ]);
    const back = await new CassandraChatMessageHistory({ store, sessionId: session }).getMessages();
    expect(back.map((m) => m.type)).toEqual(['human', 'ai', 'tool']);
    expect(back[0].id).toBe(user.id);
    expect((back[1] as AIMessage).tool_calls).toEqual([
      { id: 'c1', name: 'weather', args: { city: 'Oslo' }, type: 'tool_call' },
    ]);
  });

  it('returns only the newest messages with limit, still oldest first', async () => {
    const store = ctx.store();
    const session = sessionId();
    const writer = new CassandraChatMessageHistory({ store, sessionId: session });
    for (let i = 0; i < 4; i++) {
      await writer.addMessages([new HumanMessage(`q${i}`), new AIMessage(`a${i}`)]);
    }
    const lastThree = await new CassandraChatMessageHistory({ store, sessionId: session, limit: 3 }).getMessages();
    expect(lastThree.map((m) => m.content)).toEqual(['a2', 'q3', 'a3']);
    expect(await writer.getMessages()).toHaveLength(8);
  });

  /**
   * The rules OpenAI, Anthropic and Bedrock enforce, on LangChain messages: every ToolMessage answers
   * a tool call of the AIMessage just before its run of results, every such call gets its result
   * before the next non-tool message, and (Bedrock) the first non-system message is human.
   * LangChain.js core has no validator of its own for these; this is the check a provider would do.
   */
  function providerAccepts(messages: readonly BaseMessage[], startWithHuman: boolean): boolean {
    const open = new Set<string>();
    for (const m of messages) {
      if (m.type === 'tool') {
        const id = (m as ToolMessage).tool_call_id;
        if (!open.delete(id)) return false;
        continue;
      }
      if (open.size > 0) return false;
      for (const call of m.type === 'ai' ? ((m as AIMessage).tool_calls ?? []) : []) open.add(call.id as string);
    }
    const first = messages.find((m) => m.type !== 'system');
    return open.size === 0 && (!startWithHuman || first === undefined || first.type === 'human');
  }

  it("window 'safe' never hands a model a ToolMessage without its call (the issue's example), and a model run accepts it", async () => {
    const store = ctx.store();
    const session = sessionId();
    const writer = new CassandraChatMessageHistory({ store, sessionId: session });
    await writer.addMessages([
      new SystemMessage('You check the weather.'),
      new HumanMessage('Weather in Paris and Rome?'),
      new AIMessage({
        content: '',
        tool_calls: [
          { id: 'c1', name: 'weather', args: { city: 'Paris' } },
          { id: 'c2', name: 'weather', args: { city: 'Rome' } },
        ],
      }),
      new ToolMessage({ tool_call_id: 'c1', content: '18' }),
      new ToolMessage({ tool_call_id: 'c2', content: '21' }),
      new AIMessage('Paris 18, Rome 21.'),
    ]);
    const plain = await new CassandraChatMessageHistory({ store, sessionId: session, limit: 3 }).getMessages();
    expect(plain.map((m) => m.type)).toEqual(['tool', 'tool', 'ai']);
    expect(providerAccepts(plain, false)).toBe(false);

    const safe = await new CassandraChatMessageHistory({
      store,
      sessionId: session,
      limit: 3,
      window: 'safe',
    }).getMessages();
    expect(safe.map((m) => m.type)).toEqual(['ai', 'tool', 'tool', 'ai']);
    expect(providerAccepts(safe, false)).toBe(true);
    const bedrock = new CassandraChatMessageHistory({
      store,
      sessionId: session,
      limit: 3,
      window: 'safe',
      startWithUser: true,
      keepSystem: true,
    });
    const forBedrock = await bedrock.getMessages();
    expect(forBedrock.map((m) => m.type)).toEqual(['system', 'human', 'ai', 'tool', 'tool', 'ai']);
    expect(providerAccepts(forBedrock, true)).toBe(true);

    // A budget counted on LangChain messages by the caller's own counter.
    const budget = await new CassandraChatMessageHistory({
      store,
      sessionId: session,
      maxTokens: 4,
      countTokens: (m: BaseMessage) => (m.type === 'tool' ? 1 : 2),
    }).getMessages();
    expect(budget.map((m) => m.type)).toEqual(['ai']);

    // The window goes to a model through RunnableWithMessageHistory: what the model sees passes.
    const seen: BaseMessage[][] = [];
    const prompt = ChatPromptTemplate.fromMessages([new MessagesPlaceholder('history'), ['human', '{question}']]);
    const model = new FakeListChatModel({ responses: ['Take an umbrella in neither.'] });
    const chain = prompt
      .pipe(
        RunnableLambda.from((value: ChatPromptValueInterface) => {
          seen.push(value.messages);
          return value;
        }),
      )
      .pipe(model);
    const withHistory = new RunnableWithMessageHistory({
      runnable: chain,
      getMessageHistory: () => bedrock,
      inputMessagesKey: 'question',
      historyMessagesKey: 'history',
    });
    const answer = await withHistory.invoke({ question: 'Umbrella?' }, { configurable: { sessionId: session } });
    expect(answer.content).toBe('Take an umbrella in neither.');
    expect(providerAccepts(seen[0], true)).toBe(true);
    expect(seen[0].map((m) => m.type)).toEqual(['system', 'human', 'ai', 'tool', 'tool', 'ai', 'human']);
  });

  it('supports addUserMessage, addAIMessage and addMessage', async () => {
    const history = new CassandraChatMessageHistory({ store: ctx.store(), sessionId: sessionId() });
    await history.addMessage(new SystemMessage('Be brief.'));
    await history.addUserMessage('Hi');
    await history.addAIMessage('Hello');
    expect((await history.getMessages()).map((m) => [m.type, m.content])).toEqual([
      ['system', 'Be brief.'],
      ['human', 'Hi'],
      ['ai', 'Hello'],
    ]);
  });

  it('writes every message with the TTL', async () => {
    const session = sessionId();
    const history = new CassandraChatMessageHistory({ store: ctx.store(), sessionId: session, ttlSeconds: 3600 });
    await history.addMessages([new HumanMessage('expiring'), new AIMessage('also expiring')]);
    const rs = await ctx
      .client()
      .execute(
        `SELECT TTL(content) AS ttl FROM ${ctx.keyspace}.chat_messages WHERE session_id = ? ALLOW FILTERING`,
        [session],
        { prepare: true },
      );
    expect(rs.rows).toHaveLength(2);
    for (const row of rs.rows) {
      expect(row.get('ttl')).toBeGreaterThan(3500);
      expect(row.get('ttl')).toBeLessThanOrEqual(3600);
    }
  });

  it('clears one session and leaves the others', async () => {
    const store = ctx.store();
    const a = new CassandraChatMessageHistory({ store, sessionId: sessionId() });
    const b = new CassandraChatMessageHistory({ store, sessionId: sessionId() });
    await a.addUserMessage('a');
    await b.addUserMessage('b');
    await a.clear();
    expect(await a.getMessages()).toEqual([]);
    expect((await b.getMessages()).map((m) => m.content)).toEqual(['b']);
  });

  it('writes nothing when one message of a call cannot be stored', async () => {
    const history = new CassandraChatMessageHistory({ store: ctx.store(), sessionId: sessionId() });
    await expect(history.addMessages([new HumanMessage('fine'), new RemoveMessage({ id: 'x' })])).rejects.toThrow(
      MessageValidationError,
    );
    await expect(history.addMessages([new HumanMessage('x'.repeat(1024 * 1024 + 1))])).rejects.toThrow(
      MessageValidationError,
    );
    expect(await history.getMessages()).toEqual([]);
  });

  it('builds histories from a client and keyspace, sharing one store', async () => {
    const session = sessionId();
    const writer = CassandraChatMessageHistory.fromClient({
      client: ctx.client(),
      keyspace: ctx.keyspace,
      sessionId: session,
    });
    const reader = CassandraChatMessageHistory.fromClient({
      client: ctx.client(),
      keyspace: ctx.keyspace,
      sessionId: session,
    });
    await writer.addUserMessage('via fromClient');
    expect((await reader.getMessages()).map((m) => m.content)).toEqual(['via fromClient']);
  });

  it('fails with typed errors on bad options and a keyspace that was never migrated', async () => {
    expect(() => new CassandraChatMessageHistory({ store: ctx.store(), sessionId: 'bad id; DROP' })).toThrow(
      ConfigurationError,
    );
    expect(() => new CassandraChatMessageHistory({ store: ctx.store(), sessionId: 's', limit: 0 })).toThrow(
      ConfigurationError,
    );
    expect(() => new CassandraChatMessageHistory({ store: ctx.store(), sessionId: 's', ttlSeconds: -1 })).toThrow(
      ConfigurationError,
    );
    const unmigrated = CassandraChatMessageHistory.fromClient({
      client: ctx.client(),
      keyspace: 'no_such_keyspace_lc',
      sessionId: 's',
    });
    await expect(unmigrated.getMessages()).rejects.toThrow(SchemaNotMigratedError);
  });
});
