import { type Client, type ExecutionProfile, mapping } from 'cassandra-driver';
import { buildMappingOptions, ChatMessage, type EntityClass, MessageBucket, Session, UserSession } from '../entities';

/**
 * One driver Mapper per client and keyspace, built from the entity registry, with a typed
 * ModelMapper per entity. The Mapper prepares and caches every statement it generates.
 */
export interface ChatMapper {
  readonly client: Client;
  readonly keyspace: string;
  readonly mapper: mapping.Mapper;
  readonly messages: mapping.ModelMapper<ChatMessage>;
  readonly buckets: mapping.ModelMapper<MessageBucket>;
  readonly sessions: mapping.ModelMapper<Session>;
  readonly userSessions: mapping.ModelMapper<UserSession>;
  /** Carries the store's consistency levels into every Mapper call (see execution-profile.ts). */
  readonly profile: ExecutionProfile;
}

export function createChatMapper(client: Client, keyspace: string, profile: ExecutionProfile): ChatMapper {
  const { mapper, model } = entityMapper(client, keyspace, [ChatMessage, MessageBucket, Session, UserSession]);
  return {
    client,
    keyspace,
    mapper,
    profile,
    messages: model(ChatMessage),
    buckets: model(MessageBucket),
    sessions: model(Session),
    userSessions: model(UserSession),
  };
}

/**
 * A driver Mapper over `entities` in `keyspace` (validated by buildMappingOptions), and the typed
 * ModelMapper of one of them: the package's mappers differ only in their entities.
 */
export function entityMapper(
  client: Client,
  keyspace: string,
  entities: readonly EntityClass[],
): { mapper: mapping.Mapper; model: <C extends EntityClass>(entity: C) => mapping.ModelMapper<InstanceType<C>> } {
  const mapper = new mapping.Mapper(client, buildMappingOptions(keyspace, entities));
  return { mapper, model: (entity) => mapper.forModel(entity.name) };
}

/**
 * Mapper execution options carrying the store's profile. The Mapper's typings declare
 * `executionProfile` as a name, but the driver also takes the profile instance itself.
 */
export function mapperOptions(
  m: { readonly profile: ExecutionProfile },
  extra: mapping.MappingExecutionOptions = {},
): mapping.MappingExecutionOptions {
  return { executionProfile: m.profile as unknown as string, ...extra };
}
