import { type Client, type ExecutionProfile, mapping } from 'cassandra-driver';
import { buildMappingOptions, ChatMessage, MessageBucket, Session, UserSession } from '../entities';
import { assertIdentifier } from '../identifiers';

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
  assertIdentifier('keyspace', keyspace);
  const mapper = new mapping.Mapper(
    client,
    buildMappingOptions(keyspace, [ChatMessage, MessageBucket, Session, UserSession]),
  );
  return {
    client,
    keyspace,
    mapper,
    profile,
    messages: mapper.forModel<ChatMessage>(ChatMessage.name),
    buckets: mapper.forModel<MessageBucket>(MessageBucket.name),
    sessions: mapper.forModel<Session>(Session.name),
    userSessions: mapper.forModel<UserSession>(UserSession.name),
  };
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
