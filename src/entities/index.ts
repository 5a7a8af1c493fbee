// The entity layer, in four folders, each entered through its index:
//   rules/       the rules stored values follow (patterns, lengths, limits, JSON) - imports none of the others
//   metadata/    the decorator and metadata machinery (tables, columns, conversions, Mapper options)
//   models/      the decorated domain classes (ChatMessage, Session, MessageBucket, UserSession, and the
//                LangGraph checkpointer's CheckpointRecord, CheckpointBlobRecord, CheckpointWriteRecord,
//                ThreadNamespaceRecord)
//   validation/  untrusted input → entities (fast path, class-validator, issues)
// Arrows run down only: validation → models → metadata → rules.
// This file re-exports what the rest of the package uses.
export {
  CHAT_ROLES,
  type ChatRole,
  ChatMessage,
  CheckpointBlobRecord,
  CheckpointRecord,
  CheckpointWriteRecord,
  MessageBucket,
  Session,
  ThreadNamespaceRecord,
  timeOfTimeUuid,
  type ToolCall,
  UserSession,
} from './models';
export {
  contentMayBeEmpty,
  DEFAULT_VALIDATION_LIMITS,
  resolveLimits,
  isPlainObject,
  isWellFormedUnicode,
  type JsonObject,
  type JsonPrimitive,
  type JsonValue,
  jsonProblem,
  MAX_JSON_DEPTH,
  MAX_NAME_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_TOOL_CALL_ID_LENGTH,
  MESSAGE_INPUT_KEYS,
  SESSION_ID_PATTERN,
  SESSION_ID_RULE,
  TIME_UUID_PATTERN,
  TOOL_CALL_FIELD_LENGTH,
  toolCallIdRequired,
  type ValidationLimits,
} from './rules';
export {
  buildMappingOptions,
  buildModelOptions,
  type ClusteringKeyOptions,
  type ClusteringOrder,
  Column,
  type ColumnKind,
  type ColumnMetadata,
  type ColumnOptions,
  ClusteringKey,
  compileEntity,
  CQL_TYPES,
  type CqlType,
  type EntityClass,
  type EntityMetadata,
  EntityMetadataRegistry,
  type EntityPropertyDecorator,
  entityRegistry,
  EntityTableMappings,
  isCqlType,
  modelNameOf,
  PartitionKey,
  type PartitionKeyOptions,
  type PropertyArgs,
  snakeCase,
  storedCqlType,
  Table,
  type TableArgs,
} from './metadata';
export {
  fastValidateMessageOf,
  validateMessage,
  validateMessageList,
  validateMessages,
  validateSession,
} from './validation';
