import { validateUIMessages, type UIMessage } from 'ai';
import { MessageValidationError } from '../../../src';
import { AI_SDK_METADATA_KEY, generateMessageId, StoredUIMessageError, UIMessageChatStore } from '../../../src/ai-sdk';
import { createTestStore } from '../../../src/testing';
import { everyPartChat } from './ui-message-fixtures';

const json = (value: unknown) => JSON.stringify(value);

function setup() {
  const { store, mapper } = createTestStore();
  return { store, mapper, chats: new UIMessageChatStore({ store }) };
}

describe('UIMessageChatStore (in-memory store)', () => {
  it('round-trips every part type byte for byte, and the loaded chat passes validateUIMessages', async () => {
    const { chats } = setup();
    const chatId = await chats.createChat();
    const chat = everyPartChat([generateMessageId(), generateMessageId(), generateMessageId()]);
    await chats.saveChat({ chatId, messages: chat });
    const loaded = await chats.loadChat(chatId);
    expect(json(loaded)).toBe(json(chat));
    expect(loaded.map((m, i) => Object.keys(m).join() === Object.keys(chat[i]).join())).toEqual([true, true, true]);
    await expect(validateUIMessages({ messages: loaded })).resolves.toEqual(chat);
  });

  it('stores one row per message: role, the message as JSON, the aiSdk marker', async () => {
    const { store, chats } = setup();
    const ids = [generateMessageId(), generateMessageId(), generateMessageId()];
    const chat = everyPartChat(ids);
    await chats.saveChat({ chatId: 'c1', messages: chat });
    const rows = await store.history('c1').getMessages();
    expect(rows.map((r) => [r.id, r.role, r.content, r.metadata])).toEqual(
      chat.map((m) => [m.id, m.role, json(m), { [AI_SDK_METADATA_KEY]: 1 }]),
    );
  });

  it('updates a message saved again under its id (a continued assistant message is not duplicated)', async () => {
    const { store, mapper, chats } = setup();
    const [u, a] = [generateMessageId(), generateMessageId()];
    const user: UIMessage = { id: u, role: 'user', parts: [{ type: 'text', text: 'hi' }] };
    await chats.saveChat({
      chatId: 'c1',
      messages: [user, { id: a, role: 'assistant', parts: [{ type: 'text', text: 'Hel', state: 'streaming' }] }],
    });
    const continued: UIMessage = { id: a, role: 'assistant', parts: [{ type: 'text', text: 'Hello!', state: 'done' }] };
    const batchesBefore = mapper.calls.filter((c) => c.method === 'batch').length;
    await chats.saveChat({ chatId: 'c1', messages: [user, continued] });
    expect(await chats.loadChat('c1')).toEqual([user, continued]);
    expect(await store.history('c1').count()).toBe(2);
    // Only the changed message was written again: one single-row batch.
    const batches = mapper.calls.filter((c) => c.method === 'batch').slice(batchesBefore);
    expect(batches).toHaveLength(1);
  });

  it('keeps the chat order for client ids: a new user message lands between the stored chat and the new answer', async () => {
    const { store, chats } = setup();
    const turn1: UIMessage[] = [
      { id: 'client-u1', role: 'user', parts: [{ type: 'text', text: 'one' }] },
      { id: generateMessageId(), role: 'assistant', parts: [{ type: 'text', text: 'first' }] },
    ];
    await chats.saveChat({ chatId: 'c1', messages: turn1 });
    // Turn 2: the answer's id is made when the stream starts, the user message is saved after it.
    const answerId = generateMessageId();
    const turn2 = [
      ...turn1,
      { id: 'client-u2', role: 'user', parts: [{ type: 'text', text: 'two' }] },
      { id: answerId, role: 'assistant', parts: [{ type: 'text', text: 'second' }] },
    ] satisfies UIMessage[];
    await chats.saveChat({ chatId: 'c1', messages: turn2 });
    expect(await chats.loadChat('c1')).toEqual(turn2);
    // Saving again maps client ids onto their rows: nothing new.
    await chats.saveChat({ chatId: 'c1', messages: turn2 });
    expect(await store.history('c1').count()).toBe(4);
    const rows = await store.history('c1').getMessages();
    expect(rows[3].id).toBe(answerId);
  });

  it('deletes stored messages the saved chat no longer has (a regenerated answer)', async () => {
    const { store, chats } = setup();
    const user: UIMessage = { id: 'client-u1', role: 'user', parts: [{ type: 'text', text: 'hi' }] };
    await chats.saveChat({
      chatId: 'c1',
      messages: [user, { id: generateMessageId(), role: 'assistant', parts: [{ type: 'text', text: 'old' }] }],
    });
    const regenerated: UIMessage = {
      id: generateMessageId(),
      role: 'assistant',
      parts: [{ type: 'text', text: 'new' }],
    };
    await chats.saveChat({ chatId: 'c1', messages: [user, regenerated] });
    expect(await chats.loadChat('c1')).toEqual([user, regenerated]);
    expect(await store.history('c1').count()).toBe(2);
  });

  it('loads [] for a chat without messages; createChat takes an id and refuses a taken one', async () => {
    const { store, chats } = setup();
    expect(await chats.loadChat('nobody')).toEqual([]);
    expect(await chats.createChat({ chatId: 'mine', userId: 'u1', title: 'T' })).toBe('mine');
    expect((await store.sessions.get('mine'))?.title).toBe('T');
    await expect(chats.createChat({ chatId: 'mine' })).rejects.toThrow('mine');
  });

  it('refuses bad messages with MessageValidationError naming each, and writes nothing', async () => {
    const { store, mapper, chats } = setup();
    const bad = [
      { id: generateMessageId(), role: 'robot', parts: [] },
      { id: '', role: 'user', parts: 'text' },
      { id: 'x', role: 'user', parts: [{ type: 'text', text: 'hi', when: new Date(0) }] },
      { id: 'y', role: 'user', parts: [{ type: 'data-n', data: Number.NaN }] },
      { id: 'y', role: 'user', parts: [{ text: 'no type' }] },
    ] as unknown as UIMessage[];
    const writesBefore = mapper.calls.length;
    const error = await chats.saveChat({ chatId: 'c1', messages: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageValidationError);
    const properties = (error as MessageValidationError).issues.map((i) => i.property);
    expect(properties).toEqual([
      'messages[0].role',
      'messages[1].id',
      'messages[1].parts',
      'messages[2]',
      'messages[3]',
      'messages[4].parts[0]',
      'messages[4].id',
    ]);
    expect((error as MessageValidationError).message).toContain('messages[2].parts[0].when is a Date');
    expect(mapper.calls.slice(writesBefore)).toEqual([]);
    expect(await store.history('c1').count()).toBe(0);
  });

  it('drops object keys holding undefined, as JSON does, and reports facade limits with the caller index', async () => {
    const { store } = createTestStore({ validationLimits: { maxContentBytes: 200 } });
    const chats = new UIMessageChatStore({ store });
    const small: UIMessage = {
      id: generateMessageId(),
      role: 'user',
      metadata: undefined,
      parts: [{ type: 'text', text: 'hi', state: undefined }],
    };
    await chats.saveChat({ chatId: 'c1', messages: [small] });
    expect(json(await chats.loadChat('c1'))).toBe(json([small]));
    const big: UIMessage = {
      id: generateMessageId(),
      role: 'assistant',
      parts: [{ type: 'text', text: 'x'.repeat(300) }],
    };
    const error = await chats.saveChat({ chatId: 'c1', messages: [small, big] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageValidationError);
    expect((error as MessageValidationError).issues.map((i) => i.property)).toEqual(['messages[1].content']);
  });

  it('accepts messages built in another realm (the SDK copies them with structuredClone)', async () => {
    const { chats } = setup();
    const chat = everyPartChat(['client-0', generateMessageId(), 'client-1']);
    const cloned = structuredClone(chat);
    await chats.saveChat({ chatId: 'c1', messages: cloned });
    expect(json(await chats.loadChat('c1'))).toBe(json(chat));
  });

  it('refuses ids that would store the chat in another order', async () => {
    const { chats } = setup();
    const [early, late] = [generateMessageId(), generateMessageId()];
    const error = await chats
      .saveChat({
        chatId: 'c1',
        messages: [
          { id: late, role: 'user', parts: [] },
          { id: early, role: 'assistant', parts: [] },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageValidationError);
    expect((error as MessageValidationError).issues[0].property).toBe('messages[1].id');
  });

  it('refuses a new client-id message between two ids with no timeuuid left between them', async () => {
    const { chats } = setup();
    // Two ids made back to back are one 100-ns tick apart.
    const [first, second] = [generateMessageId(), generateMessageId()];
    const messages: UIMessage[] = [
      { id: first, role: 'user', parts: [] },
      { id: 'client-1', role: 'user', parts: [] },
      { id: second, role: 'assistant', parts: [] },
    ];
    const error = await chats.saveChat({ chatId: 'c1', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MessageValidationError);
    expect((error as MessageValidationError).issues[0].property).toBe('messages[1].id');
    expect(await chats.loadChat('c1')).toEqual([]);
  });

  it('loadChat names a row that was not written as a UIMessage', async () => {
    const { store, chats } = setup();
    const row = await store.history('c1').addUserMessage('plain');
    const error = await chats.loadChat('c1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoredUIMessageError);
    expect((error as StoredUIMessageError).rowId).toBe(row.id);
    expect((error as Error).message).not.toContain('plain');
  });
});
