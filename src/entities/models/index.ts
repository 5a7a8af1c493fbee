// The domain classes: the decorated entities of the four tables and the values they hold.
export { ChatMessage, timeOfTimeUuid } from './chat-message';
export { CHAT_ROLES, type ChatRole } from './chat-role';
export { Session } from './session';
export { MessageBucket } from './message-bucket';
export { UserSession } from './user-session';
export { type ToolCall, ToolCallRecord } from './tool-call';
export { CheckpointRecord } from './checkpoint-record';
export { CheckpointBlobRecord } from './checkpoint-blob-record';
export { CheckpointWriteRecord } from './checkpoint-write-record';
export { ThreadNamespaceRecord } from './thread-namespace-record';
