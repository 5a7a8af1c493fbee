import { EntityValidationError, MessageValidationError } from '../../../src/errors';
import { Session, validateSession } from '../../../src/entities';
import { issuesOf } from './message-fixtures';

const at = new Date('2026-02-03T04:05:06.007Z');
const validSession = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  sessionId: 'session-1',
  userId: 'user@example.org',
  title: 'Planning',
  metadata: { channel: 'web' },
  createdAt: at,
  lastActivityAt: at,
  ...overrides,
});
const without = (key: string) => {
  const input = validSession();
  delete input[key];
  return input;
};

describe('validateSession accepts', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a full session', validSession()],
    ['no user', without('userId')],
    ['a null user (as absent)', validSession({ userId: null })],
    ['no title (defaults to empty)', without('title')],
    ['no metadata (defaults to {})', without('metadata')],
    ['a 512-character title', validSession({ title: 't'.repeat(512) })],
    ['a title with emoji and RTL text', validSession({ title: '📅 תכנון' })],
    ['ISO-8601 dates', validSession({ createdAt: at.toISOString(), lastActivityAt: '2026-02-03T05:00:00Z' })],
  ])('%s', (_label, input) => {
    expect(validateSession(input)).toBeInstanceOf(Session);
  });

  it('returns a Session with defaults and Date values', () => {
    const session = validateSession({ sessionId: 's', createdAt: at.toISOString(), lastActivityAt: at });
    expect({ ...session }).toEqual({
      sessionId: 's',
      userId: undefined,
      title: '',
      metadata: {},
      createdAt: at,
      lastActivityAt: at,
    });
    expect(session.createdAt).toBeInstanceOf(Date);
    expect(session.messageCount).toBeUndefined();
    expect(validateSession(validSession({ userId: null })).userId).toBeUndefined();
  });
});

describe('validateSession refuses with EntityValidationError("Session")', () => {
  it.each<[string, unknown, string, string]>([
    ['a missing sessionId', without('sessionId'), 'sessionId', 'isString'],
    ['a CQL injection in sessionId', validSession({ sessionId: 'x; DROP KEYSPACE y' }), 'sessionId', 'matches'],
    ['a space in userId', validSession({ userId: 'a b' }), 'userId', 'matches'],
    ['a quote in userId', validSession({ userId: "o'brien" }), 'userId', 'matches'],
    ['a numeric userId', validSession({ userId: 7 }), 'userId', 'isString'],
    ['a 513-character title', validSession({ title: 't'.repeat(513) }), 'title', 'maxLength'],
    ['a null title', validSession({ title: null }), 'title', 'isString'],
    ['a lone surrogate in title', validSession({ title: 'a\uD800' }), 'title', 'wellFormedUnicode'],
    ['array metadata', validSession({ metadata: [] }), 'metadata', 'plainJsonObject'],
    ['a function in metadata', validSession({ metadata: { f: () => 1 } }), 'metadata', 'plainJsonObject'],
    ['metadata over 64 KiB', validSession({ metadata: { k: 'x'.repeat(64 * 1024) } }), 'metadata', 'maxJsonBytes'],
    ['a missing createdAt', without('createdAt'), 'createdAt', 'isDate'],
    ['a createdAt that is not a date', validSession({ createdAt: 'yesterday' }), 'createdAt', 'isDate'],
    ['a numeric createdAt', validSession({ createdAt: 1_700_000_000_000 }), 'createdAt', 'isDate'],
    ['an invalid Date', validSession({ lastActivityAt: new Date(Number.NaN) }), 'lastActivityAt', 'isDate'],
    [
      'a messageCount (computed, never stored)',
      validSession({ messageCount: 3 }),
      'messageCount',
      'whitelistValidation',
    ],
    ['an unknown property', validSession({ owner: 'x' }), 'owner', 'whitelistValidation'],
    ['null', null, 'session', 'isObject'],
  ])('%s', (_label, input, property, constraint) => {
    const issues = issuesOf(() => validateSession(input));
    const issue = issues.find((i) => i.property === property);
    expect(issue).toBeDefined();
    expect(Object.keys(issue?.constraints ?? {})).toContain(constraint);
  });

  it('is an EntityValidationError for Session, not a MessageValidationError', () => {
    let error: unknown;
    try {
      validateSession(without('sessionId'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EntityValidationError);
    expect(error).not.toBeInstanceOf(MessageValidationError);
    expect((error as EntityValidationError).entity).toBe('Session');
  });

  it('honours the metadata limit', () => {
    expect(() => validateSession(validSession({ metadata: { k: 'x'.repeat(20) } }), { maxMetadataBytes: 16 })).toThrow(
      EntityValidationError,
    );
  });

  it('lists every failing property', () => {
    const issues = issuesOf(() => validateSession({ sessionId: '', userId: ' ', title: 5, metadata: null, extra: 1 }));
    expect(issues.map((i) => i.property)).toEqual([
      'extra',
      'sessionId',
      'userId',
      'title',
      'metadata',
      'createdAt',
      'lastActivityAt',
    ]);
  });
});
