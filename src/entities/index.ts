// The entity layer: decorated entities, their metadata and driver mapping, and message validation.
export { ChatMessage, timeOfTimeUuid } from './chat-message';
export { CHAT_ROLES, type ChatRole } from './chat-role';
export { Session } from './session';
export { MessageBucket } from './message-bucket';
export { UserSession } from './user-session';
export { type ToolCall } from './tool-call';
export { type JsonObject, type JsonPrimitive, type JsonValue, isPlainObject, jsonProblem, MAX_JSON_DEPTH } from './json';

export { CQL_TYPES, type CqlType, isCqlType, storedCqlType } from './cql-types';
export {
  Column,
  type ColumnOptions,
  ClusteringKey,
  type ClusteringKeyOptions,
  type EntityPropertyDecorator,
  PartitionKey,
  type PartitionKeyOptions,
  Table,
} from './decorators';
export { type ClusteringOrder, entityRegistry, EntityMetadataRegistry, type PropertyArgs, type TableArgs } from './registry';
export type { EntityClass } from './entity-class';
export type { ColumnKind, ColumnMetadata, EntityMetadata } from './entity-metadata';
export { buildMappingOptions, buildModelOptions, compileEntity, EntityTableMappings, modelNameOf } from './compile';
export { columnNameOf, fromRow, toDbValue, toParams, toRow } from './rows';
export { snakeCase } from './naming';

export { validateMessage, validateMessages, validateSession } from './validation';
export { DEFAULT_VALIDATION_LIMITS, type ValidationLimits } from './validation-limits';
export { MESSAGE_INPUT_KEYS } from './message-input';
export { MAX_NAME_LENGTH, MAX_TITLE_LENGTH, MAX_TOOL_CALL_ID_LENGTH, SESSION_ID_PATTERN, TIME_UUID_PATTERN } from './constraints';
