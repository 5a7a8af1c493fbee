import fc from 'fast-check';
import { type JsonObject, MessageValidationError, type NewChatMessage } from '../../../src';
import { useMigratedStore } from '../../support/store';

/**
 * Property-based: any input either round-trips byte for byte or is refused with the typed validation
 * error, and a refused input leaves no partial write. Each property runs against the real node.
 */
describe('hostile and malformed input', () => {
  const ctx = useMigratedStore('hostile');
  let counter = 0;

  async function storedRows(sessionId: string): Promise<number> {
    const rs = await ctx
      .client()
      .execute(`SELECT count(*) FROM ${ctx.keyspace}.chat_messages WHERE session_id = ? ALLOW FILTERING`, [sessionId], {
        prepare: true,
      });
    return Number(rs.first().get('count'));
  }

  /** Adds `input`; returns 'stored' after checking the round trip, or 'refused' after checking nothing was written. */
  async function roundTripOrRefuse(input: unknown): Promise<'stored' | 'refused'> {
    const sessionId = `hostile-${++counter}`;
    const history = ctx.store().history(sessionId);
    let stored;
    try {
      stored = await history.addMessage(input as NewChatMessage);
    } catch (error) {
      expect(error).toBeInstanceOf(MessageValidationError);
      expect((error as MessageValidationError).issues.length).toBeGreaterThan(0);
      expect(await storedRows(sessionId)).toBe(0);
      return 'refused';
    }
    const [read] = await history.getMessages({ limit: 1 });
    expect(read.id).toBe(stored.id);
    expect(Buffer.from(read.content, 'utf8').equals(Buffer.from(stored.content, 'utf8'))).toBe(true);
    expect(read.content).toBe((input as NewChatMessage).content);
    expect(read.role).toBe(stored.role);
    expect(read.name).toBe(stored.name);
    expect(read.metadata).toEqual(stored.metadata);
    expect(read.toolCalls).toEqual(stored.toolCalls);
    return 'stored';
  }

  const cqlMeta = fc.constantFrom("'", "''", '"', ';', '--', '//', '/*', '*/', '$$', '\\', '%', '?', ':x', '\u0000');
  const nasty = fc.constantFrom(
    '\u202e\u200f', // RTL override and mark
    '\ud83d\ude80', // astral plane (a surrogate pair)
    '\ud800', // lone high surrogate
    '\udc00', // lone low surrogate
    '\ufeff',
    '\u0000\u0001\u001f',
    'e\u0301', // combining accent
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  );
  const hostileText = fc
    .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), cqlMeta, nasty), { maxLength: 12 })
    .map((parts) => parts.join(''));

  it('random unicode and CQL metacharacters: stored exactly or refused, never partially', async () => {
    const outcomes = { stored: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        hostileText,
        fc.option(hostileText, { nil: undefined }),
        fc.dictionary(hostileText, hostileText, { maxKeys: 3 }),
        async (content, name, metadata) => {
          outcomes[await roundTripOrRefuse({ role: 'user', content, name, metadata })]++;
        },
      ),
      { numRuns: 120 },
    );
    // Both branches were exercised: the property is not vacuous.
    expect(outcomes.stored).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(5);
  });

  it('lone surrogates in text are refused (UTF-8 cannot hold them), astral characters are kept', async () => {
    expect(await roundTripOrRefuse({ role: 'user', content: 'ok \ud83d\ude80 \u0000 \u202e' })).toBe('stored');
    expect(await roundTripOrRefuse({ role: 'user', content: 'broken \ud800 half' })).toBe('refused');
    expect(await roundTripOrRefuse({ role: 'user', content: 'x', name: 'n\udfff' })).toBe('refused');
    // In metadata they survive: JSON.stringify escapes a lone surrogate as \udfff, which parses back.
    expect(await roundTripOrRefuse({ role: 'user', content: 'x', metadata: { ['k\udfff']: '\ud800' } })).toBe('stored');
  });

  it('wrong types anywhere: refused with the typed error, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            role: fc.oneof(fc.constantFrom('user', 'assistant', 'system', 'tool'), fc.anything()),
            content: fc.oneof(fc.string(), fc.anything()),
            name: fc.anything(),
            metadata: fc.anything(),
            toolCalls: fc.anything(),
            extra: fc.anything(),
          },
          { requiredKeys: [] },
        ),
        async (input) => {
          await roundTripOrRefuse(input);
        },
      ),
      { numRuns: 80 },
    );
    for (const input of [null, undefined, 42, 'text', [], [{ role: 'user', content: 'x' }]]) {
      expect(await roundTripOrRefuse(input)).toBe('refused');
    }
  });

  it('contents around the 1 MiB limit: the limit is in UTF-8 bytes, exactly', async () => {
    const limit = 1024 * 1024;
    expect(await roundTripOrRefuse({ role: 'user', content: 'a'.repeat(limit) })).toBe('stored');
    expect(await roundTripOrRefuse({ role: 'user', content: 'a'.repeat(limit + 1) })).toBe('refused');
    // 4-byte characters: 262,144 of them are exactly 1 MiB; one more byte is over.
    expect(await roundTripOrRefuse({ role: 'user', content: '🚀'.repeat(limit / 4) })).toBe('stored');
    expect(await roundTripOrRefuse({ role: 'user', content: `${'🚀'.repeat(limit / 4 - 1)}abcd!` })).toBe('refused');
  });

  it('deep and circular metadata are refused; deep-but-allowed metadata round-trips', async () => {
    const nest = (depth: number): JsonObject => (depth === 0 ? { leaf: true } : { next: nest(depth - 1) });
    expect(await roundTripOrRefuse({ role: 'user', content: 'x', metadata: nest(20) })).toBe('stored');
    expect(await roundTripOrRefuse({ role: 'user', content: 'x', metadata: nest(200) })).toBe('refused');
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(await roundTripOrRefuse({ role: 'user', content: 'x', metadata: circular })).toBe('refused');
    const sharedLoop: unknown[] = [];
    sharedLoop.push({ list: sharedLoop });
    expect(await roundTripOrRefuse({ role: 'user', content: 'x', metadata: { loop: sharedLoop } })).toBe('refused');
    for (const bad of [
      { n: Number.NaN },
      { n: Infinity },
      { b: BigInt(1) },
      { u: undefined },
      { d: new Date() },
      { s: Symbol('x') },
    ]) {
      expect(await roundTripOrRefuse({ role: 'user', content: 'x', metadata: bad })).toBe('refused');
    }
    expect(await roundTripOrRefuse({ role: 'user', content: 'x', metadata: { big: 'm'.repeat(70 * 1024) } })).toBe(
      'refused',
    );
  });

  it('a batch with one hostile message writes none of them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileText, { minLength: 2, maxLength: 30 }), async (contents) => {
        const sessionId = `hostile-batch-${++counter}`;
        const history = ctx.store().history(sessionId);
        const messages: NewChatMessage[] = contents.map((content) => ({ role: 'user', content }));
        messages.push({ role: 'user', content: 'bad \ud800' });
        await expect(history.addMessages(messages)).rejects.toBeInstanceOf(MessageValidationError);
        expect(await storedRows(sessionId)).toBe(0);
      }),
      { numRuns: 25 },
    );
  });
});
