import { types } from 'cassandra-driver';
import {
  ChatMessage,
  columnNameOf,
  fromRow,
  MessageBucket,
  Session,
  toDbValue,
  toParams,
  toRow,
  validateMessage,
} from '../../../src/entities';
import { EntityDefinitionError, EntityValidationError } from '../../../src/errors';
import { validInput } from './message-fixtures';

describe('row helpers for hand-written statements', () => {
  const message = validateMessage(
    validInput({ role: 'assistant', name: 'bot', toolCalls: [{ id: 'c', name: 'n', args: { x: 1 } }], metadata: { m: true } }),
  );

  it('toRow: column names and driver values, undefined properties left out', () => {
    const row = toRow(ChatMessage, message);
    expect(Object.keys(row)).toEqual(['session_id', 'bucket', 'message_id', 'role', 'content', 'name', 'tool_calls', 'metadata']);
    expect(row.bucket).toEqual(types.Long.fromNumber(message.bucket));
    expect(row.message_id).toBeInstanceOf(types.TimeUuid);
    expect(row.tool_calls).toBe('[{"id":"c","name":"n","args":{"x":1}}]');
    expect(row.metadata).toBe('{"m":true}');
  });

  it('fromRow: a real instance equal to what was written', () => {
    const back = fromRow(ChatMessage, toRow(ChatMessage, message));
    expect(back).toBeInstanceOf(ChatMessage);
    expect(back).toStrictEqual(message);
    expect(back.createdAt).toEqual(message.createdAt);
  });

  it('fromRow: missing columns keep the class defaults, null cells their column default', () => {
    const back = fromRow(Session, { session_id: 's', title: null });
    expect(back).toBeInstanceOf(Session);
    expect(back.sessionId).toBe('s');
    expect(back.title).toBe('');
    expect(back.metadata).toEqual({});
    expect(back.createdAt).toBeUndefined();
  });

  it('toParams: values in the order asked, for a prepared statement', () => {
    expect(toParams(ChatMessage, message, ['sessionId', 'bucket'])).toEqual([message.sessionId, types.Long.fromNumber(message.bucket)]);
    expect(toParams(MessageBucket, { sessionId: 's' }, ['sessionId', 'bucketSpanMs'])).toEqual(['s', undefined]);
  });

  it('toDbValue and columnNameOf: one property', () => {
    expect(toDbValue(ChatMessage, 'id', message.id)).toBeInstanceOf(types.TimeUuid);
    expect(columnNameOf(ChatMessage, 'id')).toBe('message_id');
    expect(columnNameOf(MessageBucket, 'bucketSpanMs')).toBe('bucket_span_ms');
    expect(() => toDbValue(ChatMessage, 'bucket', 'soon')).toThrow(EntityValidationError);
    expect(() => toDbValue(ChatMessage, 'createdAt', new Date())).toThrow(EntityDefinitionError);
  });
});
