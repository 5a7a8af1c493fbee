import { types } from 'cassandra-driver';
import fc from 'fast-check';
import { ChatMessage, DEFAULT_VALIDATION_LIMITS, SESSION_ID_PATTERN, validateMessage } from '../../../src/entities';
import { checkMessageWithClassValidator, fastValidateMessage } from '../../../src/entities/validation';
import { resolveLimits, type ValidationLimits } from '../../../src/entities/rules';
import { MessageValidationError } from '../../../src/errors';
import { validInput } from './message-fixtures';

/**
 * The fast path re-implements the class-validator rules by hand. These properties generate inputs
 * near and across every rule's edge and require the two to reach the same verdict and, on
 * acceptance, the same ChatMessage.
 */

/** Any UTF-16 code units, lone surrogates included. */
const codeUnits = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd800, max: 0xdfff })), { maxLength: 40 })
  .map((units) => String.fromCharCode(...units));
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  codeUnits,
);
const oddValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.date({ noInvalidDate: false }),
  text,
  fc.anything({
    maxDepth: 3,
    withBoxedValues: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withDate: true,
  }),
);
const sessionId = fc.oneof(fc.stringMatching(SESSION_ID_PATTERN), text, fc.constant('x; DROP KEYSPACE y'), oddValue);
const bucket = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constant(2 ** 53), fc.double(), oddValue);
const timeUuidAt = fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true });
const id = fc.oneof(
  timeUuidAt.map((d) => types.TimeUuid.fromDate(d).toString()),
  timeUuidAt.map((d) => types.TimeUuid.fromDate(d).toString().toUpperCase()),
  fc.uuid(),
  oddValue,
);
const role = fc.oneof(
  fc.constantFrom('system', 'user', 'assistant', 'tool'),
  fc.constantFrom('USER', 'bot', ''),
  oddValue,
);
const boundedText = (max: number) =>
  fc.oneof(
    text,
    fc.nat({ max: max + 2 }).map((n) => 'x'.repeat(n)),
    fc.constant(''),
    oddValue,
  );
const jsonObject = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  fc.object({ maxDepth: 3, withBoxedValues: true, withMap: true, withNullPrototype: true, withDate: true }),
);
const toolCall = fc.oneof(
  fc.record(
    {
      id: boundedText(256),
      name: boundedText(256),
      args: fc.oneof(jsonObject, oddValue),
      type: fc.constant('function'),
    },
    { requiredKeys: ['id', 'name', 'args'] },
  ),
  fc.record({ id: boundedText(256), name: boundedText(256), args: jsonObject }, { requiredKeys: [] }),
  oddValue,
);
const limits = fc.oneof(
  fc.constant(DEFAULT_VALIDATION_LIMITS),
  fc.record({
    maxContentBytes: fc.integer({ min: 1, max: 120 }),
    maxMetadataBytes: fc.integer({ min: 1, max: 200 }),
    maxToolCallsBytes: fc.integer({ min: 1, max: 400 }),
  }),
);

const messageInput = fc
  .record(
    {
      sessionId,
      bucket,
      id,
      role,
      content: fc.oneof(text, fc.constant(''), oddValue),
      name: boundedText(256),
      toolCalls: fc.oneof(fc.array(toolCall, { maxLength: 3 }), fc.constant([]), oddValue),
      toolCallId: boundedText(256),
      metadata: fc.oneof(jsonObject, oddValue),
      createdAt: oddValue,
    },
    { requiredKeys: [] },
  )
  .chain((input) =>
    fc.oneof(
      fc.constant<Record<string, unknown>>(input),
      // A createdAt that matches the id, so that the consistency rule is crossed both ways.
      fc.constant<Record<string, unknown>>(
        typeof input.id === 'string' && /^[0-9a-f-]{36}$/i.test(input.id)
          ? { ...input, createdAt: safeTimeOf(input.id) }
          : input,
      ),
      fc
        .dictionary(fc.string({ maxLength: 12 }), oddValue, { minKeys: 1, maxKeys: 2 })
        .map((extra) => ({ ...input, ...extra })),
    ),
  );

/** Valid messages of every shape. */
const wellFormedText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 });
const validMessage = fc
  .record(
    {
      sessionId: fc.stringMatching(SESSION_ID_PATTERN),
      bucket: fc.integer({ min: -1e12, max: 4e12 }),
      at: timeUuidAt,
      role: fc.constantFrom('system', 'user', 'assistant', 'tool'),
      content: wellFormedText,
      name: fc.option(fc.string({ unit: 'grapheme', maxLength: 30 }), { nil: undefined }),
      toolCalls: fc.option(
        fc.array(
          fc.record({
            id: wellFormedText,
            name: wellFormedText,
            args: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
          }),
          {
            maxLength: 3,
          },
        ),
        { nil: undefined },
      ),
      toolCallId: wellFormedText,
      metadata: fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }), {
        nil: undefined,
      }),
      withCreatedAt: fc.boolean(),
    },
    { requiredKeys: ['sessionId', 'bucket', 'at', 'role', 'content', 'toolCallId', 'withCreatedAt'] },
  )
  .map(({ at, withCreatedAt, toolCallId, ...m }) => ({
    ...m,
    id: types.TimeUuid.fromDate(at).toString(),
    ...(m.role === 'tool' ? { toolCallId } : {}),
    ...(withCreatedAt ? { createdAt: at } : {}),
  }));

/** Valid messages with one field replaced: every rule is crossed from the accepting side. */
const nearlyValid = fc
  .tuple(
    validMessage,
    fc.constantFrom(
      'sessionId',
      'bucket',
      'id',
      'role',
      'content',
      'name',
      'toolCalls',
      'toolCallId',
      'metadata',
      'createdAt',
    ),
    fc.oneof(oddValue, text, jsonObject, fc.array(toolCall, { maxLength: 2 })),
  )
  .map(([message, key, value]) => ({ ...message, [key]: value }));

const anyMessage = fc.oneof(messageInput, validMessage, nearlyValid);

function positiveZeros(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(positiveZeros);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, positiveZeros(v)]));
  }
  return value;
}

function safeTimeOf(uuid: string): Date | undefined {
  try {
    return types.TimeUuid.fromString(uuid.toLowerCase()).getDate();
  } catch {
    return undefined;
  }
}

function verdicts(input: unknown, l: ValidationLimits) {
  const fast = fastValidateMessage(input, l);
  const slow = checkMessageWithClassValidator(input, l);
  return { fast, slow: slow.value, issues: slow.issues };
}

describe('the fast path agrees with class-validator', () => {
  it('on arbitrary inputs', () => {
    fc.assert(
      fc.property(anyMessage, limits, (input, l) => {
        const { fast, slow, issues } = verdicts(input, resolveLimits(l));
        expect(fast !== undefined).toBe(slow !== undefined);
        if (fast !== undefined) expect(fast).toStrictEqual(slow);
        else expect(issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 1500 },
    );
  });

  it('and a good share of the generated inputs are accepted (the property is not vacuous)', () => {
    const samples = fc.sample(anyMessage, { numRuns: 2000, seed: 42 });
    const accepted = samples.filter((s) => fastValidateMessage(s, DEFAULT_VALIDATION_LIMITS) !== undefined).length;
    expect(accepted).toBeGreaterThan(500);
    expect(accepted).toBeLessThan(1500);
  });
});

describe('validateMessage on arbitrary input', () => {
  it('returns a ChatMessage or throws MessageValidationError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(anyMessage, oddValue), (input) => {
        try {
          expect(validateMessage(input)).toBeInstanceOf(ChatMessage);
        } catch (error) {
          expect(error).toBeInstanceOf(MessageValidationError);
          const issues = (error as MessageValidationError).issues;
          expect(issues.length).toBeGreaterThan(0);
          for (const issue of issues) {
            expect(typeof issue.property).toBe('string');
            expect(Object.keys(issue.constraints).length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts content exactly when it is well-formed Unicode, and accepted content survives UTF-8', () => {
    fc.assert(
      fc.property(fc.oneof(codeUnits, fc.string({ unit: 'binary', maxLength: 60 })), (content) => {
        const input = validInput({ content: `>${content}` });
        const wellFormed = Buffer.from(input.content as string, 'utf8').toString('utf8') === input.content;
        if (wellFormed) {
          expect(validateMessage(input).content).toBe(input.content);
        } else {
          let error: unknown;
          try {
            validateMessage(input);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(MessageValidationError);
          expect((error as MessageValidationError).issues).toEqual([
            { property: 'content', constraints: { wellFormedUnicode: expect.any(String) as string } },
          ]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts a session id exactly when it matches the documented pattern', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(SESSION_ID_PATTERN), text, fc.string({ unit: 'grapheme-ascii', maxLength: 130 })),
        (sid) => {
          const accepted = fastValidateMessage(validInput({ sessionId: sid }), DEFAULT_VALIDATION_LIMITS) !== undefined;
          expect(accepted).toBe(/^[A-Za-z0-9][A-Za-z0-9._:@/+=-]{0,127}$/.test(sid));
          if (accepted) expect(sid).not.toMatch(/[\s'";\\]/);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('accepted metadata survives a JSON round trip unchanged', () => {
    fc.assert(
      fc.property(jsonObject, (metadata) => {
        let message: ChatMessage;
        try {
          message = validateMessage(validInput({ metadata }));
        } catch (error) {
          expect(error).toBeInstanceOf(MessageValidationError);
          return;
        }
        // Equal up to prototypes (a null-prototype object comes back as a plain one) and the sign of
        // zero (JSON has no -0; accepted, stored as 0).
        expect(JSON.parse(JSON.stringify(message.metadata))).toEqual(positiveZeros(message.metadata));
      }),
      { numRuns: 1000 },
    );
  });
});
