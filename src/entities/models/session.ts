import { Transform } from 'class-transformer';
import { IsDate, isISO8601, IsOptional, Matches } from 'class-validator';
import {
  IsPlainJsonObject,
  IsPrimitiveString,
  type JsonObject,
  MAX_TITLE_LENGTH,
  MaxChars,
  MaxJsonBytes,
  SESSION_ID_PATTERN,
  SESSION_ID_RULE,
  WellFormedUnicode,
} from '../rules';
import { Column, PartitionKey, Table } from '../metadata';

/** Dates may arrive as Date or ISO-8601 text (JSON); anything else is left for @IsDate to refuse. */
function toDate({ value }: { value: unknown }): unknown {
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value === 'string' && isISO8601(value, { strict: true })) return new Date(value);
  return value;
}

/** A chat session: a row of `chat_sessions`. */
@Table('chat_sessions')
export class Session {
  @PartitionKey('text')
  @IsPrimitiveString()
  @Matches(SESSION_ID_PATTERN, { message: `sessionId must be ${SESSION_ID_RULE}` })
  sessionId!: string;

  /** The owner; sessions with a user are also listed in `chat_sessions_by_user`. */
  @Column('text')
  @IsOptional()
  @IsPrimitiveString()
  @Matches(SESSION_ID_PATTERN, { message: `userId must be ${SESSION_ID_RULE}` })
  userId?: string;

  @Column('text', { whenNull: () => '' })
  @IsPrimitiveString()
  @MaxChars(MAX_TITLE_LENGTH)
  @WellFormedUnicode()
  title = '';

  @Column('json', { whenNull: () => ({}) })
  @IsPlainJsonObject()
  @MaxJsonBytes('maxMetadataBytes')
  metadata: JsonObject = {};

  @Column('timestamp')
  @Transform(toDate)
  @IsDate()
  createdAt!: Date;

  @Column('timestamp')
  @Transform(toDate)
  @IsDate()
  lastActivityAt!: Date;

  // Not a column: a private field keeps it out of Object.keys, so the Mapper never tries to write it.
  #messageCount: number | undefined;

  /** Number of messages, when the reader asked for it (computed, never stored). */
  get messageCount(): number | undefined {
    return this.#messageCount;
  }

  set messageCount(count: number | undefined) {
    this.#messageCount = count;
  }

  toJSON(): Record<string, unknown> {
    return { ...(this as unknown as Record<string, unknown>), messageCount: this.#messageCount };
  }
}
