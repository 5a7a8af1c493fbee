import { types } from 'cassandra-driver';
import {
  ChatMessage,
  compileEntity,
  DEFAULT_VALIDATION_LIMITS,
  MESSAGE_INPUT_KEYS,
  validateMessage,
  validateMessages,
} from '../../../src/entities';
import { checkMessageWithClassValidator, fastValidateMessage } from '../../../src/entities/validation';
import { resolveLimits } from '../../../src/entities/rules';
import { ConfigurationError, MessageValidationError } from '../../../src/errors';
import { issuesOf, nested, validInput, validInputWithout } from './message-fixtures';

const MiB = 1024 * 1024;
const v4 = types.Uuid.random().toString();
const circular: Record<string, unknown> = { a: 1 };
circular.self = circular;
class Custom {
  x = 1;
}
function deepArray(levels: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}
/** `[first, <hole>, second]` */
function sparse(first: unknown, second: unknown): unknown[] {
  const array: unknown[] = [first];
  array[2] = second;
  return array;
}
const call = (overrides: Record<string, unknown> = {}) => ({
  id: 'call_1',
  name: 'search',
  args: { q: 'x' },
  ...overrides,
});

/** Both implementations of the rules must agree on every table row. */
function expectPathsAgree(input: unknown, accepted: boolean): void {
  const limits = DEFAULT_VALIDATION_LIMITS;
  expect(fastValidateMessage(input, limits) !== undefined).toBe(accepted);
  expect(checkMessageWithClassValidator(input, limits).value !== undefined).toBe(accepted);
}

describe('validateMessage accepts', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a plain user message', validInput()],
    [
      'astral characters, NUL, RTL and zero-width marks',
      validInput({ content: '😀 𝄞 \u0000 \u200F\u202E\u200B עברית 中文 e\u0301' }),
    ],
    ['a one-character session id', validInput({ sessionId: 'a' })],
    ['a 128-character session id', validInput({ sessionId: 'a'.repeat(128) })],
    ['every allowed session id symbol', validInput({ sessionId: '0a._:@/+=-Z' })],
    ['bucket 0', validInput({ bucket: 0 })],
    ['a negative bucket (before 1970)', validInput({ bucket: -86_400_000 })],
    ['bucket 2^53 - 1', validInput({ bucket: Number.MAX_SAFE_INTEGER })],
    ['role system', validInput({ role: 'system' })],
    ['role assistant', validInput({ role: 'assistant' })],
    ['role tool with toolCallId', validInput({ role: 'tool', toolCallId: 'call_1' })],
    ['a tool message with empty content', validInput({ role: 'tool', toolCallId: 'call_1', content: '' })],
    [
      'an assistant message with tool calls and empty content',
      validInput({ role: 'assistant', content: '', toolCalls: [call()] }),
    ],
    ['content of exactly 1 MiB', validInput({ content: 'a'.repeat(MiB) })],
    ['content of exactly 1 MiB of 2-byte characters', validInput({ content: 'é'.repeat(MiB / 2) })],
    ['a 256-character name', validInput({ name: 'n'.repeat(256) })],
    ['an empty name', validInput({ name: '' })],
    ['null optional fields (as absent)', validInput({ name: null, toolCalls: null, toolCallId: null })],
    [
      'undefined optional fields',
      validInput({ name: undefined, toolCalls: undefined, toolCallId: undefined, metadata: undefined }),
    ],
    [
      'tool calls with nested JSON args',
      validInput({ role: 'assistant', toolCalls: [call({ args: { a: [1, { b: null, c: true }], d: 'x' } })] }),
    ],
    [
      'a 256-character tool call id and name',
      validInput({ role: 'assistant', toolCalls: [call({ id: 'i'.repeat(256), name: 'n'.repeat(256) })] }),
    ],
    ['an empty tool call list on a user message', validInput({ toolCalls: [] })],
    ['a toolCallId on a non-tool message', validInput({ role: 'assistant', toolCallId: 'call_1' })],
    [
      'metadata with every JSON type',
      validInput({ metadata: { s: 's', n: -1.5e10, t: true, f: false, z: null, a: [1, 'x', [], {}], o: { p: {} } } }),
    ],
    ['metadata nested 32 levels', validInput({ metadata: nested(32) })],
    ['metadata of exactly 64 KiB as JSON', validInput({ metadata: { k: 'x'.repeat(64 * 1024 - 8) } })],
    [
      'metadata with a null prototype',
      validInput({ metadata: Object.assign(Object.create(null) as object, { a: 1 }) }),
    ],
    ['lone surrogates inside metadata (JSON escapes them)', validInput({ metadata: { s: '\uD800' } })],
    [
      'createdAt equal to the time of id (Date)',
      (() => {
        const at = new Date('2026-05-06T07:08:09.123Z');
        return validInput({ id: types.TimeUuid.fromDate(at).toString(), createdAt: at });
      })(),
    ],
    [
      'createdAt equal to the time of id (ISO string)',
      (() => {
        const at = new Date('2026-05-06T07:08:09.123Z');
        return validInput({ id: types.TimeUuid.fromDate(at).toString(), createdAt: at.toISOString() });
      })(),
    ],
    ['createdAt null (as absent)', validInput({ createdAt: null })],
  ])('%s', (_label, input) => {
    const message = validateMessage(input);
    expect(message).toBeInstanceOf(ChatMessage);
    expectPathsAgree(input, true);
  });

  it('with custom limits', () => {
    const limits = { maxContentBytes: 10, maxMetadataBytes: 20, maxToolCallsBytes: 200 };
    expect(() =>
      validateMessage(validInput({ content: 'a'.repeat(10), metadata: { k: 'x'.repeat(12) } }), limits),
    ).not.toThrow();
  });
});

describe('MESSAGE_INPUT_KEYS', () => {
  it('are the stored properties plus createdAt, each one accepted as input', () => {
    const stored = compileEntity(ChatMessage).columns.map((c) => c.propertyName);
    expect([...MESSAGE_INPUT_KEYS].sort()).toEqual([...stored, 'createdAt'].sort());
    for (const key of MESSAGE_INPUT_KEYS) {
      const issues = checkMessageWithClassValidator(validInput({ [key]: undefined }), DEFAULT_VALIDATION_LIMITS).issues;
      expect(issues.filter((i) => 'whitelistValidation' in i.constraints)).toEqual([]);
    }
  });
});

describe('validateMessage returns the stored shape', () => {
  it('a ChatMessage with the input values, metadata {} by default and no unset optionals', () => {
    const input = validInput();
    const message = validateMessage(input);
    expect(message).toBeInstanceOf(ChatMessage);
    expect({ ...message }).toEqual({
      sessionId: 'session-1',
      bucket: 1_700_000_000_000,
      id: input.id,
      role: 'user',
      content: 'Hello there',
      name: undefined,
      toolCalls: undefined,
      toolCallId: undefined,
      metadata: {},
    });
  });

  it('lower-cases the id so it reads back identical', () => {
    const id = types.TimeUuid.now().toString();
    expect(validateMessage(validInput({ id: id.toUpperCase() })).id).toBe(id);
  });

  it('turns null optionals into undefined', () => {
    const message = validateMessage(validInput({ name: null, toolCalls: null, toolCallId: null }));
    expect([message.name, message.toolCalls, message.toolCallId]).toEqual([undefined, undefined, undefined]);
  });

  it('keeps tool calls as plain { id, name, args } objects', () => {
    const message = validateMessage(validInput({ role: 'assistant', toolCalls: [call()] }));
    expect(message.toolCalls).toEqual([{ id: 'call_1', name: 'search', args: { q: 'x' } }]);
    expect(Object.getPrototypeOf(message.toolCalls?.[0])).toBe(Object.prototype);
  });

  it('derives createdAt from the id and never lists it as a stored field', () => {
    const at = new Date('2025-12-31T23:59:59.999Z');
    const message = validateMessage(validInput({ id: types.TimeUuid.fromDate(at).toString(), createdAt: at }));
    expect(message.createdAt).toEqual(at);
    expect(Object.keys(message)).not.toContain('createdAt');
  });
});

describe('validateMessage refuses, naming the property and the constraint', () => {
  it.each<[string, unknown, string, string]>([
    ['a missing sessionId', validInputWithout('sessionId'), 'sessionId', 'isString'],
    ['a numeric sessionId', validInput({ sessionId: 42 }), 'sessionId', 'isString'],
    ['an empty sessionId', validInput({ sessionId: '' }), 'sessionId', 'matches'],
    ['a CQL injection in sessionId', validInput({ sessionId: 'x; DROP KEYSPACE y' }), 'sessionId', 'matches'],
    ['a quote in sessionId', validInput({ sessionId: "a'b" }), 'sessionId', 'matches'],
    ['a double quote in sessionId', validInput({ sessionId: 'a"b' }), 'sessionId', 'matches'],
    ['a space in sessionId', validInput({ sessionId: 'a b' }), 'sessionId', 'matches'],
    ['a 129-character sessionId', validInput({ sessionId: 'a'.repeat(129) }), 'sessionId', 'matches'],
    ['a sessionId starting with a symbol', validInput({ sessionId: '-abc' }), 'sessionId', 'matches'],
    ['a non-ASCII sessionId', validInput({ sessionId: 'café' }), 'sessionId', 'matches'],
    ['a newline in sessionId', validInput({ sessionId: 'a\nb' }), 'sessionId', 'matches'],
    ['a missing bucket', validInputWithout('bucket'), 'bucket', 'isSafeInteger'],
    ['a string bucket', validInput({ bucket: '1' }), 'bucket', 'isSafeInteger'],
    ['a fractional bucket', validInput({ bucket: 1.5 }), 'bucket', 'isSafeInteger'],
    ['a NaN bucket', validInput({ bucket: Number.NaN }), 'bucket', 'isSafeInteger'],
    ['an infinite bucket', validInput({ bucket: Number.POSITIVE_INFINITY }), 'bucket', 'isSafeInteger'],
    ['a bucket beyond 2^53 - 1', validInput({ bucket: 2 ** 53 }), 'bucket', 'isSafeInteger'],
    ['a missing id', validInputWithout('id'), 'id', 'isUuid'],
    ['a malformed id', validInput({ id: 'abc' }), 'id', 'isUuid'],
    ['a version 4 id', validInput({ id: v4 }), 'id', 'isUuid'],
    ['a numeric id', validInput({ id: 42 }), 'id', 'isUuid'],
    ['an unknown role', validInput({ role: 'admin' }), 'role', 'isIn'],
    ['an upper-case role', validInput({ role: 'USER' }), 'role', 'isIn'],
    ['a null role', validInput({ role: null }), 'role', 'isIn'],
    ['a missing role', validInputWithout('role'), 'role', 'isIn'],
    ['numeric content', validInput({ content: 42 }), 'content', 'isString'],
    ['null content', validInput({ content: null }), 'content', 'isString'],
    ['boxed string content', validInput({ content: Object('boxed') as object }), 'content', 'isString'],
    ['missing content', validInputWithout('content'), 'content', 'isString'],
    ['empty user content', validInput({ content: '' }), 'content', 'contentRequired'],
    ['empty system content', validInput({ role: 'system', content: '' }), 'content', 'contentRequired'],
    [
      'empty assistant content without tool calls',
      validInput({ role: 'assistant', content: '' }),
      'content',
      'contentRequired',
    ],
    [
      'empty assistant content with an empty tool call list',
      validInput({ role: 'assistant', content: '', toolCalls: [] }),
      'content',
      'contentRequired',
    ],
    ['content over 1 MiB', validInput({ content: 'a'.repeat(MiB + 1) }), 'content', 'maxUtf8Bytes'],
    [
      'content over 1 MiB in bytes but not in characters',
      validInput({ content: 'é'.repeat(MiB / 2 + 1) }),
      'content',
      'maxUtf8Bytes',
    ],
    ['a lone high surrogate in content', validInput({ content: 'abc\uD800' }), 'content', 'wellFormedUnicode'],
    ['a lone low surrogate in content', validInput({ content: '\uDC00abc' }), 'content', 'wellFormedUnicode'],
    ['reversed surrogates in content', validInput({ content: '\uDE00\uD83D' }), 'content', 'wellFormedUnicode'],
    ['a 257-character name', validInput({ name: 'n'.repeat(257) }), 'name', 'maxLength'],
    ['a numeric name', validInput({ name: 42 }), 'name', 'isString'],
    ['a lone surrogate in name', validInput({ name: '\uD800' }), 'name', 'wellFormedUnicode'],
    ['toolCalls as a string', validInput({ toolCalls: 'x' }), 'toolCalls', 'isArray'],
    ['toolCalls as an object', validInput({ toolCalls: { 0: call() } }), 'toolCalls', 'isArray'],
    ['toolCalls as a Set', validInput({ toolCalls: new Set([call()]) }), 'toolCalls', 'isArray'],
    ['a tool call that is a number', validInput({ toolCalls: [1] }), 'toolCalls[0]', 'isToolCall'],
    ['a tool call that is null', validInput({ toolCalls: [null] }), 'toolCalls[0]', 'isToolCall'],
    ['a tool call that is a Map', validInput({ toolCalls: [new Map()] }), 'toolCalls[0]', 'isToolCall'],
    ['a hole in toolCalls', validInput({ toolCalls: sparse(call(), call()) }), 'toolCalls[1]', 'isToolCall'],
    ['a tool call with an empty id', validInput({ toolCalls: [call({ id: '' })] }), 'toolCalls[0].id', 'isLength'],
    [
      'a tool call with a 257-character name',
      validInput({ toolCalls: [call(), call({ name: 'n'.repeat(257) })] }),
      'toolCalls[1].name',
      'isLength',
    ],
    ['a tool call without name', validInput({ toolCalls: [{ id: 'c', args: {} }] }), 'toolCalls[0].name', 'isString'],
    [
      'a tool call with array args',
      validInput({ toolCalls: [call({ args: [] })] }),
      'toolCalls[0].args',
      'plainJsonObject',
    ],
    [
      'a tool call without args',
      validInput({ toolCalls: [{ id: 'c', name: 'n' }] }),
      'toolCalls[0].args',
      'plainJsonObject',
    ],
    [
      'a tool call with a function in args',
      validInput({ toolCalls: [call({ args: { f: () => 1 } })] }),
      'toolCalls[0].args',
      'plainJsonObject',
    ],
    [
      'a tool call with circular args',
      validInput({ toolCalls: [call({ args: circular })] }),
      'toolCalls[0].args',
      'plainJsonObject',
    ],
    [
      'a tool call with an unknown property',
      validInput({ toolCalls: [call({ type: 'function' })] }),
      'toolCalls[0].type',
      'whitelistValidation',
    ],
    [
      'a tool call with a constructor property',
      validInput({ toolCalls: [call({ constructor: 'x' })] }),
      'toolCalls[0].constructor',
      'whitelistValidation',
    ],
    ['a tool message without toolCallId', validInput({ role: 'tool' }), 'toolCallId', 'toolCallIdRequired'],
    [
      'a tool message with an empty toolCallId',
      validInput({ role: 'tool', toolCallId: '' }),
      'toolCallId',
      'toolCallIdRequired',
    ],
    [
      'a 257-character toolCallId',
      validInput({ role: 'tool', toolCallId: 't'.repeat(257) }),
      'toolCallId',
      'maxLength',
    ],
    ['a numeric toolCallId', validInput({ toolCallId: 42 }), 'toolCallId', 'isString'],
    [
      'a lone surrogate in toolCallId',
      validInput({ role: 'tool', toolCallId: 'a\uDFFF' }),
      'toolCallId',
      'wellFormedUnicode',
    ],
    ['null metadata', validInput({ metadata: null }), 'metadata', 'plainJsonObject'],
    ['array metadata', validInput({ metadata: [] }), 'metadata', 'plainJsonObject'],
    ['string metadata', validInput({ metadata: '{}' }), 'metadata', 'plainJsonObject'],
    ['Date metadata', validInput({ metadata: new Date() }), 'metadata', 'plainJsonObject'],
    ['class instance metadata', validInput({ metadata: new Custom() }), 'metadata', 'plainJsonObject'],
    ['undefined inside metadata', validInput({ metadata: { a: undefined } }), 'metadata', 'plainJsonObject'],
    ['NaN inside metadata', validInput({ metadata: { a: Number.NaN } }), 'metadata', 'plainJsonObject'],
    [
      'Infinity inside metadata',
      validInput({ metadata: { a: [Number.NEGATIVE_INFINITY] } }),
      'metadata',
      'plainJsonObject',
    ],
    ['a bigint inside metadata', validInput({ metadata: { a: BigInt(1) } }), 'metadata', 'plainJsonObject'],
    ['a symbol inside metadata', validInput({ metadata: { a: Symbol('s') } }), 'metadata', 'plainJsonObject'],
    ['a symbol key in metadata', validInput({ metadata: { [Symbol('k')]: 1 } }), 'metadata', 'plainJsonObject'],
    ['a function inside metadata', validInput({ metadata: { a: { b: () => 1 } } }), 'metadata', 'plainJsonObject'],
    ['a Date inside metadata', validInput({ metadata: { at: new Date() } }), 'metadata', 'plainJsonObject'],
    ['a Map inside metadata', validInput({ metadata: { m: new Map() } }), 'metadata', 'plainJsonObject'],
    ['a sparse array inside metadata', validInput({ metadata: { a: sparse(1, 3) } }), 'metadata', 'plainJsonObject'],
    ['circular metadata', validInput({ metadata: circular }), 'metadata', 'plainJsonObject'],
    ['metadata nested 33 levels', validInput({ metadata: nested(33) }), 'metadata', 'plainJsonObject'],
    ['metadata nested 100000 levels', validInput({ metadata: nested(100_000) }), 'metadata', 'plainJsonObject'],
    [
      'metadata over 64 KiB as JSON',
      validInput({ metadata: { k: 'x'.repeat(64 * 1024 - 7) } }),
      'metadata',
      'maxJsonBytes',
    ],
    ['an unknown property', validInput({ extra: 1 }), 'extra', 'whitelistValidation'],
    ['deeply nested content', validInput({ content: deepArray(100_000) }), 'content', 'isString'],
    ['a deeply nested tool call', validInput({ toolCalls: [deepArray(100_000)] }), 'toolCalls[0]', 'isToolCall'],
    [
      'a deeply nested tool call id',
      validInput({ toolCalls: [call({ id: nested(100_000) })] }),
      'toolCalls[0].id',
      'isString',
    ],
    ['a deeply nested unknown property', validInput({ extra: nested(100_000) }), 'extra', 'whitelistValidation'],
    ['deeply nested toolCalls object', validInput({ toolCalls: nested(100_000) }), 'toolCalls', 'isArray'],
    ['a constructor property', validInput({ constructor: 'x' }), 'constructor', 'whitelistValidation'],
    ['a toJSON property', validInput({ toJSON: 'x' }), 'toJSON', 'whitelistValidation'],
    [
      'an own __proto__ property (from JSON.parse)',
      { ...validInput(), ...(JSON.parse('{"__proto__": {"x": 1}}') as object) },
      '__proto__',
      'whitelistValidation',
    ],
    [
      'a createdAt that differs from the id time',
      validInput({ createdAt: new Date(0) }),
      'createdAt',
      'createdAtMatchesId',
    ],
    ['a createdAt that is not a date', validInput({ createdAt: 'yesterday' }), 'createdAt', 'isDate'],
    ['an invalid createdAt Date', validInput({ createdAt: new Date(Number.NaN) }), 'createdAt', 'isDate'],
    ['null', null, 'message', 'isObject'],
    ['undefined', undefined, 'message', 'isObject'],
    ['a string', 'hello', 'message', 'isObject'],
    ['an array', [validInput()], 'message', 'isObject'],
  ])('%s', (_label, input, property, constraint) => {
    const issues = issuesOf(() => validateMessage(input), MessageValidationError);
    const issue = issues.find((i) => i.property === property);
    expect(issue).toBeDefined();
    expect(Object.keys(issue?.constraints ?? {})).toContain(constraint);
    expect(typeof issue?.constraints[constraint]).toBe('string');
    expectPathsAgree(input, false);
  });

  it('an inherited property is not input', () => {
    const input = Object.create(validInput()) as object;
    const issues = issuesOf(() => validateMessage(input), MessageValidationError);
    expect(issues.map((i) => i.property)).toEqual(['sessionId', 'bucket', 'id', 'role', 'content']);
    expectPathsAgree(input, false);
  });

  it('size limits are per call, and the message states the limit', () => {
    const limits = { maxContentBytes: 10, maxMetadataBytes: 20, maxToolCallsBytes: 60 };
    const input = validInput({
      role: 'assistant',
      content: 'a'.repeat(11),
      metadata: { k: 'x'.repeat(13) },
      toolCalls: [call({ args: { q: 'x'.repeat(20) } })],
    });
    const issues = issuesOf(() => validateMessage(input, limits), MessageValidationError);
    expect(issues).toEqual([
      {
        property: 'content',
        constraints: { maxUtf8Bytes: 'content must be at most 10 UTF-8 bytes (limit maxContentBytes)' },
      },
      {
        property: 'toolCalls',
        constraints: { maxJsonBytes: 'toolCalls must be at most 60 bytes as JSON (limit maxToolCallsBytes)' },
      },
      {
        property: 'metadata',
        constraints: { maxJsonBytes: 'metadata must be at most 20 bytes as JSON (limit maxMetadataBytes)' },
      },
    ]);
    expect(() => validateMessage(input)).not.toThrow();
  });

  it.each<[string, unknown]>([
    ['zero', { maxContentBytes: 0 }],
    ['negative', { maxMetadataBytes: -1 }],
    ['fractional', { maxToolCallsBytes: 1.5 }],
    ['a string', { maxContentBytes: '100' }],
    ['an unknown limit', { maxContentLength: 100 }],
  ])('limits that are %s are a ConfigurationError', (_label, limits) => {
    expect(() => validateMessage(validInput(), limits as never)).toThrow(ConfigurationError);
    expect(() => resolveLimits(limits as never)).toThrow(ConfigurationError);
  });
});

describe('every failing property is listed', () => {
  it('in one error, each with all its failing constraints and messages', () => {
    const input = {
      sessionId: 'x; DROP KEYSPACE y',
      bucket: 'soon',
      id: 'nope',
      role: null,
      content: 42,
      name: 'n'.repeat(300),
      toolCalls: [call(), call({ id: '', name: 7, args: [], extra: true })],
      toolCallId: 5,
      metadata: { fn: () => 1 },
      surprise: 'x',
    };
    const error = (() => {
      try {
        validateMessage(input);
      } catch (e) {
        return e as MessageValidationError;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(MessageValidationError);
    expect(error.entity).toBe('ChatMessage');
    expect(error.issues).toEqual([
      { property: 'surprise', constraints: { whitelistValidation: 'property surprise should not exist' } },
      {
        property: 'sessionId',
        constraints: {
          matches: 'sessionId must be 1 to 128 characters: a letter or digit, then letters, digits or ._:@/+=-',
        },
      },
      {
        property: 'bucket',
        constraints: { isSafeInteger: 'bucket must be an integer: the start of the time bucket in ms since the epoch' },
      },
      {
        property: 'id',
        constraints: {
          isUuid: 'id must be a version 1 (time-based) UUID string, e.g. types.TimeUuid.now().toString()',
        },
      },
      { property: 'role', constraints: { isIn: 'role must be one of system, user, assistant, tool' } },
      { property: 'content', constraints: { isString: 'content must be a string' } },
      { property: 'name', constraints: { maxLength: 'name must be at most 256 characters' } },
      { property: 'toolCalls[1].extra', constraints: { whitelistValidation: 'property extra should not exist' } },
      { property: 'toolCalls[1].id', constraints: { isLength: 'id must be 1 to 256 characters' } },
      { property: 'toolCalls[1].name', constraints: { isString: 'name must be a string' } },
      {
        property: 'toolCalls[1].args',
        constraints: { plainJsonObject: 'args must be a plain object ({ ... }) of JSON values' },
      },
      { property: 'toolCallId', constraints: { isString: 'toolCallId must be a string' } },
      {
        property: 'metadata',
        constraints: {
          plainJsonObject:
            'metadata must hold only JSON values: metadata.fn is a function, which JSON cannot represent',
        },
      },
    ]);
    // The summary names every property but never echoes the values.
    for (const issue of error.issues) expect(error.message).toContain(`${issue.property}:`);
    expect(error.message).not.toContain('DROP KEYSPACE');
  });
});

describe('validateMessages', () => {
  it('returns every message when all are valid', () => {
    const messages = validateMessages([validInput(), validInput({ role: 'assistant', content: 'Hi' })]);
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m).toBeInstanceOf(ChatMessage);
  });

  it('throws one error listing the issues of every failing message under messages[i]', () => {
    const issues = issuesOf(
      () =>
        validateMessages([
          validInput(),
          validInput({ content: 42 }),
          validInput(),
          validInput({ role: 'x', name: 1 }),
          null,
        ]),
      MessageValidationError,
    );
    expect(issues.map((i) => [i.property, Object.keys(i.constraints)])).toEqual([
      ['messages[1].content', ['isString']],
      ['messages[3].role', ['isIn']],
      ['messages[3].name', ['isString']],
      ['messages[4]', ['isObject']],
    ]);
  });

  it('prefixes nested paths', () => {
    const issues = issuesOf(
      () => validateMessages([validInput({ toolCalls: [call({ id: '' })] })]),
      MessageValidationError,
    );
    expect(issues.map((i) => i.property)).toEqual(['messages[0].toolCalls[0].id']);
  });

  it('refuses the same id twice in one call', () => {
    const id = types.TimeUuid.now().toString();
    const issues = issuesOf(
      () => validateMessages([validInput({ id }), validInput(), validInput({ id: id.toUpperCase() })]),
      MessageValidationError,
    );
    expect(issues).toEqual([
      {
        property: 'messages[2].id',
        constraints: { uniqueId: 'id repeats the id of messages[0]; each message needs its own id' },
      },
    ]);
  });

  it('tells a repeated id from the same id in another session', () => {
    const a = types.TimeUuid.now().toString();
    const b = types.TimeUuid.now().toString();
    const issues = issuesOf(
      () =>
        validateMessages([
          validInput({ id: a, sessionId: 's1' }),
          validInput({ id: a, sessionId: 's2' }),
          validInput({ id: b, sessionId: 's1' }),
          validInput({ id: a, sessionId: 's2' }),
          validInput({ id: b, sessionId: 's1' }),
        ]),
      MessageValidationError,
    );
    expect(issues.map((i) => [i.property, i.constraints.uniqueId])).toEqual([
      ['messages[3].id', 'id repeats the id of messages[1]; each message needs its own id'],
      ['messages[4].id', 'id repeats the id of messages[2]; each message needs its own id'],
    ]);
    expect(
      validateMessages([validInput({ id: a, sessionId: 's1' }), validInput({ id: a, sessionId: 's2' })]),
    ).toHaveLength(2);
  });

  it('refuses something that is not an array', () => {
    const issues = issuesOf(() => validateMessages({} as never), MessageValidationError);
    expect(issues).toEqual([{ property: 'messages', constraints: { isArray: 'messages must be an array' } }]);
  });

  it('accepts an empty list', () => {
    expect(validateMessages([])).toEqual([]);
  });
});

describe('createdAt', () => {
  it('is the time inside the timeuuid id', () => {
    const at = new Date('2024-02-29T12:34:56.789Z');
    const message = new ChatMessage();
    message.id = types.TimeUuid.fromDate(at).toString();
    expect(message.createdAt).toEqual(at);
  });

  it('follows the id', () => {
    const message = new ChatMessage();
    message.id = types.TimeUuid.fromDate(new Date(1000)).toString();
    expect(message.createdAt.getTime()).toBe(1000);
    message.id = types.TimeUuid.fromDate(new Date(2000)).toString();
    expect(message.createdAt.getTime()).toBe(2000);
  });

  it('is an Invalid Date while the id is not a time UUID', () => {
    const message = new ChatMessage();
    expect(Number.isNaN(message.createdAt.getTime())).toBe(true);
    message.id = v4;
    expect(Number.isNaN(message.createdAt.getTime())).toBe(true);
  });

  it('is included by JSON.stringify, although it is not stored', () => {
    const at = new Date('2024-02-29T12:34:56.789Z');
    const message = validateMessage(validInput({ id: types.TimeUuid.fromDate(at).toString() }));
    expect(JSON.parse(JSON.stringify(message))).toMatchObject({ createdAt: at.toISOString(), content: 'Hello there' });
  });
});
