// The Cassandra side of the store: the driver Mapper over the entities, the repositories of the
// four tables (their statements and options), batch and TTL limits and write timestamps.
export { chunkForBatches, MAX_BATCH_BYTES, MAX_BATCH_ITEMS, MAX_TTL_SECONDS } from './batch-limits';
export { BucketRepository, type IndexExpiry } from './bucket-repository';
export { type ChatMapper, createChatMapper } from './chat-mapper';
export { buildExecutionProfile } from './execution-profile';
export { type MessagePartition, MessageRepository, type WriteTimestamp } from './message-repository';
export { SessionRepository } from './session-repository';
export { writeClock } from './write-clock';
export { type CheckpointMapper, createCheckpointMapper } from './checkpoint-mapper';
export {
  type BlobKey,
  type CheckpointPage,
  type CheckpointPartition,
  CheckpointRepository,
} from './checkpoint-repository';
