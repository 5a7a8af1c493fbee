import { type Client, type ExecutionProfile, mapping } from 'cassandra-driver';
import { CheckpointBlobRecord, CheckpointRecord, CheckpointWriteRecord, ThreadNamespaceRecord } from '../entities';
import { entityMapper } from './chat-mapper';
import type { MapperScope } from './mapper-repository';

/** The driver Mapper over the LangGraph checkpointer's four entities, one ModelMapper each. */
export interface CheckpointMapper extends MapperScope {
  readonly client: Client;
  readonly mapper: mapping.Mapper;
  readonly checkpoints: mapping.ModelMapper<CheckpointRecord>;
  readonly blobs: mapping.ModelMapper<CheckpointBlobRecord>;
  readonly writes: mapping.ModelMapper<CheckpointWriteRecord>;
  readonly namespaces: mapping.ModelMapper<ThreadNamespaceRecord>;
}

export function createCheckpointMapper(client: Client, keyspace: string, profile: ExecutionProfile): CheckpointMapper {
  const { mapper, model } = entityMapper(client, keyspace, [
    CheckpointRecord,
    CheckpointBlobRecord,
    CheckpointWriteRecord,
    ThreadNamespaceRecord,
  ]);
  return {
    client,
    keyspace,
    profile,
    mapper,
    checkpoints: model(CheckpointRecord),
    blobs: model(CheckpointBlobRecord),
    writes: model(CheckpointWriteRecord),
    namespaces: model(ThreadNamespaceRecord),
  };
}
