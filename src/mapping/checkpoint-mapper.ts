import { type Client, type ExecutionProfile, mapping } from 'cassandra-driver';
import {
  buildMappingOptions,
  CheckpointBlobRecord,
  CheckpointRecord,
  CheckpointWriteRecord,
  ThreadNamespaceRecord,
} from '../entities';
import { assertIdentifier } from '../identifiers';
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
  assertIdentifier('keyspace', keyspace);
  const mapper = new mapping.Mapper(
    client,
    buildMappingOptions(keyspace, [
      CheckpointRecord,
      CheckpointBlobRecord,
      CheckpointWriteRecord,
      ThreadNamespaceRecord,
    ]),
  );
  return {
    client,
    keyspace,
    profile,
    mapper,
    checkpoints: mapper.forModel<CheckpointRecord>(CheckpointRecord.name),
    blobs: mapper.forModel<CheckpointBlobRecord>(CheckpointBlobRecord.name),
    writes: mapper.forModel<CheckpointWriteRecord>(CheckpointWriteRecord.name),
    namespaces: mapper.forModel<ThreadNamespaceRecord>(ThreadNamespaceRecord.name),
  };
}
