/**
 * cassandra-chat-history/langgraph: a LangGraph.js checkpointer on Cassandra. The only part of the
 * package that imports `@langchain/langgraph-checkpoint` (an optional peer dependency, as is
 * `@langchain/core`: install both to use this entry point).
 */
// Decorator metadata must be available before any entity class is defined (as in the main entry).
import 'reflect-metadata';

export { CassandraSaver } from './cassandra-saver';
export { type ChannelVersion, channelVersionKey, nextChannelVersion } from './channel-version';
export { CheckpointConfigError } from './checkpoint-config-error';
export { metadataMatches } from './metadata-filter';
export { planRetention, type RetentionPlan } from './retention-plan';
export { type CassandraSaverOptions, type CheckpointTtl } from './saver-options';
