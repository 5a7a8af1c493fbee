import fc from 'fast-check';
import { types } from 'cassandra-driver';
import {
  ChatMessage,
  DEFAULT_VALIDATION_LIMITS,
  timeOfTimeUuid,
  validateMessage,
  validateMessages,
  type ValidationLimits,
} from '../../../src/entities';
import { fastValidateMessage } from '../../../src/entities/validation';
import { MessageValidationError } from '../../../src/errors';
import { bucketOfTime } from '../../../src/history/bucket-span';
import {
  fastChatMessage,
  type NewChatMessage,
  toChatMessage,
  toChatMessages,
  toStoredShape,
} from '../../../src/history/new-message';

/**
 * The write path validates a caller's message without building its stored shape (fastChatMessage).
 * It must answer exactly as the reference, fastValidateMessage(toStoredShape(...)), and fall back to
 * the same issues when it refuses.
 */

const SESSION = 'session-1';
const SPAN = 3_600_000;
const at = fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true });
const odd = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer(), fc.boolean(), fc.object({ maxDepth: 1 }));
const id = fc.oneof(
  at.map((d) => types.TimeUuid.fromDate(d).toString()),
  at.map((d) => types.TimeUuid.fromDate(d).toString().toUpperCase()),
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  odd,
);
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constant(''), fc.constant('\ud800'), odd);
const fields = fc.record(
  {
    id,
    role: fc.oneof(fc.constantFrom('system', 'user', 'assistant', 'tool'), fc.constant('bot'), odd),
    content: fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), text),
    name: text,
    toolCalls: fc.oneof(
      fc.array(fc.record({ id: fc.string({ minLength: 1 }), name: fc.string({ minLength: 1 }), args: fc.object() }), {
        maxLength: 2,
      }),
      odd,
    ),
    toolCallId: text,
    metadata: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), odd),
    createdAt: fc.oneof(at, fc.constant('2025-01-01T00:00:00.000Z'), odd),
    // Keys the stored shape overrides (sessionId, bucket), and one it refuses.
    sessionId: fc.oneof(fc.constant('other-session'), odd),
    bucket: fc.oneof(fc.integer(), odd),
    colour: fc.string(),
  },
  { requiredKeys: [] },
);
/** Messages that should pass, with some optional fields. */
const valid = fc.record(
  {
    role: fc.constantFrom('system', 'user', 'assistant'),
    content: fc.string({ minLength: 1, maxLength: 30 }),
    name: fc.string({ maxLength: 10 }),
    metadata: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    id: at.map((d) => types.TimeUuid.fromDate(d).toString()),
  },
  { requiredKeys: ['role', 'content'] },
);
/** Plain objects, objects inheriting some of their fields, arrays, and values that are no objects. */
const input = fc.oneof(
  { weight: 4, arbitrary: valid },
  { weight: 6, arbitrary: fields },
  fields.chain((own) => fields.map((inherited) => Object.assign(Object.create(inherited) as object, own))),
  fc.constant([]),
  fc.constant(['user']),
  odd,
) as fc.Arbitrary<NewChatMessage>;
const limits = fc.oneof(
  fc.constant(DEFAULT_VALIDATION_LIMITS),
  fc.record({
    maxContentBytes: fc.integer({ min: 1, max: 40 }),
    maxMetadataBytes: fc.integer({ min: 1, max: 60 }),
    maxToolCallsBytes: fc.integer({ min: 1, max: 200 }),
  }),
);

/** The message without the parts a fresh id changes (id and bucket), for inputs without an id. */
function withoutKey(message: ChatMessage | undefined): Record<string, unknown> | undefined {
  if (message === undefined) return undefined;
  const { id: _id, bucket: _bucket, ...rest } = message as unknown as Record<string, unknown>;
  return rest;
}

/** What `run` returns, or the issues of the MessageValidationError it throws. */
function outcome(run: () => unknown): unknown {
  try {
    const value = run();
    return value instanceof ChatMessage ? withoutKey(value) : value;
  } catch (error) {
    expect(error).toBeInstanceOf(MessageValidationError);
    // A fresh id's time differs between two runs: issues that quote it are compared without it.
    return JSON.parse(
      JSON.stringify((error as MessageValidationError).issues).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>'),
    ) as unknown;
  }
}

describe('fastChatMessage: the stored shape, validated without building it', () => {
  it('accepts exactly what fastValidateMessage accepts on toStoredShape, with the same message', () => {
    fc.assert(
      fc.property(input, limits, (message, l: ValidationLimits) => {
        const fast = fastChatMessage(SESSION, message, SPAN, l);
        const reference = fastValidateMessage(toStoredShape(SESSION, message, SPAN), l);
        expect(fast !== undefined).toBe(reference !== undefined);
        if (fast === undefined || reference === undefined) return;
        expect(fast).toBeInstanceOf(ChatMessage);
        if ((message as { id?: unknown }).id !== undefined) {
          expect(fast).toStrictEqual(reference);
        } else {
          expect(withoutKey(fast)).toStrictEqual(withoutKey(reference));
          expect(fast.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          expect(fast.bucket).toBe(bucketOfTime(timeOfTimeUuid(fast.id).getTime(), SPAN));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('and the generated inputs are accepted often enough for that to mean something', () => {
    const samples = fc.sample(input, { numRuns: 2000, seed: 11 });
    const accepted = samples.filter((m) => fastChatMessage(SESSION, m, SPAN, DEFAULT_VALIDATION_LIMITS)).length;
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(1900);
  });

  it('toChatMessage and toChatMessages give the reference verdicts, issues included', () => {
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 3 }), (messages) => {
        const l = DEFAULT_VALIDATION_LIMITS;
        expect(outcome(() => toChatMessage(SESSION, messages[0], SPAN, l))).toEqual(
          outcome(() => validateMessage(toStoredShape(SESSION, messages[0], SPAN), l)),
        );
        const keyless = (list: ChatMessage[]) => list.map(withoutKey);
        expect(outcome(() => keyless(toChatMessages(SESSION, messages, SPAN, l)))).toEqual(
          outcome(() =>
            keyless(
              validateMessages(
                messages.map((m) => toStoredShape(SESSION, m, SPAN)),
                l,
              ),
            ),
          ),
        );
      }),
      { numRuns: 1000 },
    );
  });
});
