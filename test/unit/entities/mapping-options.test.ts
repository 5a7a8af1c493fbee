import { mapping, types } from 'cassandra-driver';
import {
  buildMappingOptions,
  ChatMessage,
  ClusteringKey,
  Column,
  compileEntity,
  EntityTableMappings,
  MessageBucket,
  modelNameOf,
  PartitionKey,
  Session,
  Table,
  UserSession,
} from '../../../src/entities';
import {
  ChatHistoryError,
  EntityDefinitionError,
  EntityValidationError,
  InvalidIdentifierError,
} from '../../../src/errors';
import { FakeDriverClient } from './fake-driver-client';

const ALL = [ChatMessage, MessageBucket, Session, UserSession];

/** The Mapper double-quotes identifiers; the assertions read better without. */
const unquoted = (query: string) => query.replace(/"/g, '');

describe('buildMappingOptions', () => {
  const options = buildMappingOptions('chat_ks', ALL);

  it('has one model per entity, named by the class name, in the keyspace, on its table', () => {
    expect(Object.keys(options.models)).toEqual(['ChatMessage', 'MessageBucket', 'Session', 'UserSession']);
    expect(options.models.ChatMessage).toMatchObject({ keyspace: 'chat_ks', tables: ['chat_messages'] });
    expect(options.models.MessageBucket).toMatchObject({ keyspace: 'chat_ks', tables: ['chat_message_buckets'] });
    expect(options.models.Session).toMatchObject({ keyspace: 'chat_ks', tables: ['chat_sessions'] });
    expect(options.models.UserSession).toMatchObject({ keyspace: 'chat_ks', tables: ['chat_sessions_by_user'] });
    expect(modelNameOf(ChatMessage)).toBe('ChatMessage');
  });

  it('maps every column to its property', () => {
    const names = (model: string) =>
      Object.fromEntries(
        Object.entries(options.models[model].columns ?? {}).map(([column, c]) => [
          column,
          typeof c === 'string' ? c : c.name,
        ]),
      );
    expect(names('ChatMessage')).toEqual({
      session_id: 'sessionId',
      bucket: 'bucket',
      message_id: 'id',
      role: 'role',
      content: 'content',
      name: 'name',
      tool_calls: 'toolCalls',
      tool_call_id: 'toolCallId',
      metadata: 'metadata',
    });
    expect(names('MessageBucket')).toEqual({
      session_id: 'sessionId',
      bucket: 'bucket',
      bucket_span_ms: 'bucketSpanMs',
      expiry_slots: 'expirySlots',
    });
    expect(names('Session')).toEqual({
      session_id: 'sessionId',
      user_id: 'userId',
      title: 'title',
      metadata: 'metadata',
      created_at: 'createdAt',
      last_activity_at: 'lastActivityAt',
    });
    expect(names('UserSession')).toEqual({
      user_id: 'userId',
      created_at: 'createdAt',
      session_id: 'sessionId',
      title: 'title',
      last_activity_at: 'lastActivityAt',
    });
  });

  it('gives each model TableMappings that create real entity instances', () => {
    for (const entity of ALL) {
      const mappings = options.models[entity.name].mappings;
      // The driver refuses mappings that are not TableMappings instances (a class at runtime, an interface in the typings).
      expect(mappings).toBeInstanceOf((mapping as unknown as { TableMappings: new () => object }).TableMappings);
      expect(mappings).toBeInstanceOf(EntityTableMappings);
      const instance: unknown = mappings?.newObjectInstance();
      expect(instance).toBeInstanceOf(entity);
    }
    const message = options.models.ChatMessage.mappings?.newObjectInstance() as ChatMessage;
    expect(message.metadata).toEqual({});
    expect(options.models.ChatMessage.mappings?.getColumnName('toolCallId')).toBe('tool_call_id');
    expect(options.models.ChatMessage.mappings?.getPropertyName('message_id')).toBe('id');
    expect(options.models.ChatMessage.mappings?.getPropertyName('count')).toBe('count');
  });

  it.each(['', '1ks', 'ks-prod', 'ks; DROP KEYSPACE x', 'a'.repeat(49)])('refuses the keyspace %j', (keyspace) => {
    expect(() => buildMappingOptions(keyspace, ALL)).toThrow(InvalidIdentifierError);
  });

  it('takes the same class twice once, and refuses two classes with one name', () => {
    expect(Object.keys(buildMappingOptions('ks', [ChatMessage, ChatMessage]).models)).toEqual(['ChatMessage']);
    const Other = (() => {
      @Table('other_messages')
      class ChatMessage {
        @PartitionKey('text')
        sessionId!: string;
      }
      return ChatMessage;
    })();
    expect(() => buildMappingOptions('ks', [ChatMessage, Other])).toThrow(EntityDefinitionError);
  });

  it('refuses a class that is not an entity', () => {
    class NotAnEntity {}
    expect(() => buildMappingOptions('ks', [NotAnEntity])).toThrow(EntityDefinitionError);
  });
});

describe('column conversions', () => {
  const message = compileEntity(ChatMessage).byProperty;
  const session = compileEntity(Session).byProperty;
  const id = types.TimeUuid.now();

  it('timeuuid: driver TimeUuid ↔ lower-case string', () => {
    const column = message.get('id');
    expect(column?.toModel(id)).toBe(id.toString());
    const written = column?.fromModel(id.toString().toUpperCase());
    expect(written).toBeInstanceOf(types.TimeUuid);
    expect(String(written)).toBe(id.toString());
    expect(column?.fromModel(id)).toBe(id);
  });

  it('bigint: Long ↔ number, refusing what a number cannot hold exactly', () => {
    const column = message.get('bucket');
    expect(column?.fromModel(1_700_000_000_000)).toEqual(types.Long.fromNumber(1_700_000_000_000));
    expect(column?.toModel(types.Long.fromNumber(1_700_000_000_000))).toBe(1_700_000_000_000);
    expect(() => column?.toModel(types.Long.fromString('9007199254740993'))).toThrow(ChatHistoryError);
    expect(() => column?.fromModel(1.5)).toThrow(EntityValidationError);
    expect(() => column?.fromModel(Number.MAX_SAFE_INTEGER + 2)).toThrow(EntityValidationError);
  });

  it('json: object ↔ JSON text', () => {
    const toolCalls = message.get('toolCalls');
    const calls = [{ id: 'c1', name: 'search', args: { q: 'x', n: [1, 2] } }];
    expect(toolCalls?.fromModel(calls)).toBe(JSON.stringify(calls));
    expect(toolCalls?.toModel(JSON.stringify(calls))).toEqual(calls);
    expect(() => toolCalls?.toModel('{not json')).toThrow(ChatHistoryError);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => message.get('metadata')?.fromModel(circular)).toThrow(EntityValidationError);
  });

  it('null cells: the column default when it has one, else undefined', () => {
    expect(message.get('metadata')?.toModel(null)).toEqual({});
    expect(message.get('metadata')?.toModel(null)).not.toBe(message.get('metadata')?.toModel(null));
    expect(message.get('toolCalls')?.toModel(null)).toBeUndefined();
    expect(message.get('name')?.toModel(null)).toBeUndefined();
    expect(session.get('title')?.toModel(null)).toBe('');
    expect(session.get('userId')?.toModel(undefined)).toBeUndefined();
  });

  it('writes: undefined stays unset, null stays null', () => {
    for (const column of compileEntity(ChatMessage).columns) {
      expect(column.fromModel(undefined)).toBeUndefined();
      expect(column.fromModel(null)).toBeNull();
    }
  });

  it('timestamp: Date as is, ms numbers as Dates, invalid dates refused', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(session.get('createdAt')?.fromModel(at)).toBe(at);
    expect(session.get('createdAt')?.fromModel(at.getTime())).toEqual(at);
    expect(session.get('createdAt')?.toModel(at)).toBe(at);
    expect(() => session.get('createdAt')?.fromModel(new Date(Number.NaN))).toThrow(EntityValidationError);
  });

  it('a wrong JS type is a typed error naming the property and the column', () => {
    let error: unknown;
    try {
      message.get('id')?.fromModel('not-a-uuid');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EntityValidationError);
    expect((error as EntityValidationError).issues).toEqual([
      {
        property: 'id',
        constraints: {
          cqlType: 'id must be a version 1 (time) UUID string to be stored in timeuuid column message_id, got a string',
        },
      },
    ]);
    expect(() => message.get('content')?.fromModel(42)).toThrow(EntityValidationError);
    expect(() => message.get('id')?.fromModel(types.Uuid.random().toString())).toThrow(EntityValidationError);
  });
});

describe('through the driver Mapper (fake client, no network)', () => {
  function setup() {
    const client = new FakeDriverClient(ALL);
    const mapper = new mapping.Mapper(client.asClient(), buildMappingOptions('ks', ALL));
    return { client, mapper };
  }

  it('inserts a ChatMessage instance with driver values bound, unset optionals and no createdAt', async () => {
    const { client, mapper } = setup();
    const message = new ChatMessage();
    Object.assign(message, {
      sessionId: 's-1',
      bucket: 1_700_000_000_000,
      id: types.TimeUuid.now().toString(),
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'c1', name: 'search', args: { q: 'x' } }],
      metadata: { turn: 3 },
    });
    await mapper.forModel<ChatMessage>('ChatMessage').insert(message);
    const [sent] = client.sent;
    expect(unquoted(sent.query)).toMatch(/^INSERT INTO ks\.chat_messages \(/);
    expect(unquoted(sent.query)).not.toMatch(/created_at|createdAt/);
    const columns = /\(([^)]*)\)/.exec(unquoted(sent.query))?.[1].split(', ') ?? [];
    const bound = Object.fromEntries(columns.map((c, i) => [c, sent.params[i]]));
    expect(bound.session_id).toBe('s-1');
    expect(bound.bucket).toEqual(types.Long.fromNumber(1_700_000_000_000));
    expect(bound.message_id).toBeInstanceOf(types.TimeUuid);
    expect(String(bound.message_id)).toBe(message.id);
    expect(bound.tool_calls).toBe('[{"id":"c1","name":"search","args":{"q":"x"}}]');
    expect(bound.metadata).toBe('{"turn":3}');
    expect(bound.name).toBeUndefined();
  });

  it('reads rows back as real ChatMessage instances with converted values and createdAt', async () => {
    const { client, mapper } = setup();
    const id = types.TimeUuid.fromDate(new Date('2026-03-04T05:06:07.089Z'));
    client.answerNext([
      {
        session_id: 's-1',
        bucket: types.Long.fromNumber(1_772_582_400_000),
        message_id: id,
        role: 'user',
        content: 'hello',
        name: null,
        tool_calls: null,
        tool_call_id: null,
        metadata: '{"a":[1,{"b":null}]}',
      },
    ]);
    const result = await mapper
      .forModel<ChatMessage>('ChatMessage')
      .find({ sessionId: 's-1', bucket: 1_772_582_400_000 });
    const [read] = result.toArray();
    expect(read).toBeInstanceOf(ChatMessage);
    expect(read).toMatchObject({
      sessionId: 's-1',
      bucket: 1_772_582_400_000,
      id: id.toString(),
      role: 'user',
      content: 'hello',
    });
    expect(read.name).toBeUndefined();
    expect(read.toolCalls).toBeUndefined();
    expect(read.metadata).toEqual({ a: [1, { b: null }] });
    expect(read.createdAt).toEqual(new Date('2026-03-04T05:06:07.089Z'));
    // The filter values were converted for the driver too.
    expect(client.sent[0].params).toEqual(['s-1', types.Long.fromNumber(1_772_582_400_000)]);
    expect(unquoted(client.sent[0].query)).toMatch(/WHERE session_id = \? AND bucket = \?/);
  });

  it('converts the values inside query operators (q.lt on the timeuuid)', async () => {
    const { client, mapper } = setup();
    const before = types.TimeUuid.now().toString();
    client.answerNext([]);
    await mapper
      .forModel<ChatMessage>('ChatMessage')
      .find({ sessionId: 's', bucket: 0, id: mapping.q.lt(before) }, { orderBy: { id: 'desc' }, limit: 10 });
    expect(unquoted(client.sent[0].query)).toMatch(/message_id < \?/);
    expect(client.sent[0].params[2]).toBeInstanceOf(types.TimeUuid);
  });

  it('reads Session, MessageBucket and UserSession rows as instances; messageCount is never written', async () => {
    const { client, mapper } = setup();
    const at = new Date('2026-01-01T00:00:00.000Z');
    client.answerNext([
      { session_id: 's', user_id: 'u', title: null, metadata: null, created_at: at, last_activity_at: at },
    ]);
    const session = await mapper.forModel<Session>('Session').get({ sessionId: 's' });
    expect(session).toBeInstanceOf(Session);
    expect(session).toMatchObject({
      sessionId: 's',
      userId: 'u',
      title: '',
      metadata: {},
      createdAt: at,
      lastActivityAt: at,
    });
    if (session === null) throw new Error('unreachable');
    session.messageCount = 12;
    expect(session.messageCount).toBe(12);
    expect(Object.keys(session)).not.toContain('messageCount');
    await mapper.forModel<Session>('Session').insert(session);
    expect(unquoted(client.sent[1].query)).not.toMatch(/message_?count/i);
    expect(JSON.parse(JSON.stringify(session))).toMatchObject({ messageCount: 12, createdAt: at.toISOString() });

    client.answerNext([
      { session_id: 's', bucket: types.Long.fromNumber(86_400_000), bucket_span_ms: types.Long.fromNumber(86_400_000) },
    ]);
    const [bucket] = (await mapper.forModel<MessageBucket>('MessageBucket').find({ sessionId: 's' })).toArray();
    expect(bucket).toBeInstanceOf(MessageBucket);
    expect(bucket).toEqual(
      Object.assign(new MessageBucket(), { sessionId: 's', bucket: 86_400_000, bucketSpanMs: 86_400_000 }),
    );

    client.answerNext([{ user_id: 'u', created_at: at, session_id: 's', title: 'T', last_activity_at: at }]);
    const [row] = (await mapper.forModel<UserSession>('UserSession').find({ userId: 'u' })).toArray();
    expect(row).toBeInstanceOf(UserSession);
    expect(row).toMatchObject({ userId: 'u', createdAt: at, sessionId: 's', title: 'T', lastActivityAt: at });
  });

  it('inserts the static bucket span with the partition key only', async () => {
    const { client, mapper } = setup();
    await mapper
      .forModel<MessageBucket>('MessageBucket')
      .insert({ sessionId: 's', bucketSpanMs: 86_400_000 }, { ifNotExists: true });
    expect(unquoted(client.sent[0].query)).toBe(
      'INSERT INTO ks.chat_message_buckets (session_id, bucket_span_ms) VALUES (?, ?) IF NOT EXISTS',
    );
    expect(client.sent[0].params).toEqual(['s', types.Long.fromNumber(86_400_000)]);
  });
});

describe('a custom entity through the Mapper', () => {
  @Table('things')
  class Thing {
    @PartitionKey('uuid')
    thingId!: string;

    @ClusteringKey('int', { order: 'DESC' })
    version!: number;

    @Column('boolean', { name: 'is_live' })
    live = false;
  }

  it('maps renamed columns and uuid strings', async () => {
    const client = new FakeDriverClient([Thing]);
    const mapper = new mapping.Mapper(client.asClient(), buildMappingOptions('ks', [Thing]));
    const thingId = types.Uuid.random().toString();
    await mapper.forModel<Thing>('Thing').insert({ thingId, version: 2, live: true });
    expect(unquoted(client.sent[0].query)).toBe('INSERT INTO ks.things (thing_id, version, is_live) VALUES (?, ?, ?)');
    expect(client.sent[0].params[0]).toBeInstanceOf(types.Uuid);
    client.answerNext([{ thing_id: types.Uuid.fromString(thingId), version: 2, is_live: true }]);
    const found = await mapper.forModel<Thing>('Thing').get({ thingId, version: 2 });
    expect(found).toBeInstanceOf(Thing);
    expect(found).toEqual(Object.assign(new Thing(), { thingId, version: 2, live: true }));
  });
});
