import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsUUID, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { types } from 'cassandra-driver';
import { CHAT_ROLES, type ChatRole } from './chat-role';
import {
  ContentRequired,
  IsPlainJsonObject,
  IsPrimitiveString,
  IsSafeInteger,
  type JsonObject,
  MAX_NAME_LENGTH,
  MAX_TOOL_CALL_ID_LENGTH,
  MaxChars,
  MaxJsonBytes,
  MaxUtf8Bytes,
  SESSION_ID_PATTERN,
  SESSION_ID_RULE,
  TIME_UUID_PATTERN,
  toolCallIdApplies,
  ToolCallIdRequired,
  WellFormedUnicode,
} from '../rules';
import { ClusteringKey, Column, PartitionKey, Table } from '../metadata';
import { type ToolCall, ToolCallRecord } from './tool-call';

/** The time a version 1 UUID string encodes (ms precision), or an Invalid Date for anything else. */
export function timeOfTimeUuid(id: unknown): Date {
  if (typeof id !== 'string' || !TIME_UUID_PATTERN.test(id)) return new Date(Number.NaN);
  return types.TimeUuid.fromString(id).getDate();
}

/** Lower-cases ids so that an id reads back exactly as it was written (the driver prints lower case). */
function lowerCaseString({ value }: { value: unknown }): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/**
 * One message of a chat session: a row of `chat_messages`, partitioned by (session, time bucket) and
 * clustered newest first by its timeuuid. The class-validator decorators are the rules every
 * write is checked against (see `validateMessage`).
 */
@Table('chat_messages')
export class ChatMessage {
  @PartitionKey('text', { position: 0 })
  @IsPrimitiveString()
  @Matches(SESSION_ID_PATTERN, { message: `sessionId must be ${SESSION_ID_RULE}` })
  sessionId!: string;

  /** Start of the message's time bucket, in ms since the epoch (the second partition key column). */
  @PartitionKey('bigint', { position: 1 })
  @IsSafeInteger({ message: 'bucket must be an integer: the start of the time bucket in ms since the epoch' })
  bucket!: number;

  /** The message id: the string form of a driver `TimeUuid` (version 1), lower case. */
  @ClusteringKey('timeuuid', { name: 'message_id', order: 'DESC' })
  @Transform(lowerCaseString)
  @IsUUID('1', { message: 'id must be a version 1 (time-based) UUID string, e.g. types.TimeUuid.now().toString()' })
  id!: string;

  @Column('text')
  @IsIn(CHAT_ROLES, { message: `role must be one of ${CHAT_ROLES.join(', ')}` })
  role!: ChatRole;

  @Column('text')
  @IsPrimitiveString()
  @ContentRequired()
  @MaxUtf8Bytes('maxContentBytes')
  @WellFormedUnicode()
  content!: string;

  /** The author's name (e.g. a tool's or a participant's). */
  @Column('text')
  @IsOptional()
  @IsPrimitiveString()
  @MaxChars(MAX_NAME_LENGTH)
  @WellFormedUnicode()
  name?: string;

  /** Tool calls requested by an assistant message. */
  @Column('json')
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ToolCallRecord)
  @MaxJsonBytes('maxToolCallsBytes')
  toolCalls?: ToolCall[];

  /** For a `tool` message: the id of the tool call it answers (required then). */
  @Column('text')
  @ValidateIf(toolCallIdApplies)
  @ToolCallIdRequired()
  @IsPrimitiveString()
  @MaxChars(MAX_TOOL_CALL_ID_LENGTH)
  @WellFormedUnicode()
  toolCallId?: string;

  @Column('json', { whenNull: () => ({}) })
  @IsPlainJsonObject()
  @MaxJsonBytes('maxMetadataBytes')
  metadata: JsonObject = {};

  /**
   * When the message was created: the time encoded in its timeuuid `id` (ms precision), never
   * stored. An Invalid Date while `id` is not a time UUID.
   */
  get createdAt(): Date {
    return timeOfTimeUuid(this.id);
  }

  /** JSON of the stored fields plus `createdAt` (a getter, which JSON.stringify would skip). */
  toJSON(): Record<string, unknown> {
    const createdAt = this.createdAt;
    return {
      ...(this as unknown as Record<string, unknown>),
      createdAt: Number.isNaN(createdAt.getTime()) ? undefined : createdAt.toISOString(),
    };
  }
}
