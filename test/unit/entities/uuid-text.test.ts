import fc from 'fast-check';
import { types } from 'cassandra-driver';
import { TIME_UUID_PATTERN } from '../../../src/entities';
import { uuidBytes } from '../../../src/entities/metadata/uuid-text';

const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** UUID-shaped text and near misses: one character replaced, case changed, cut or lengthened. */
const nearUuid = fc
  .tuple(
    fc.oneof(
      fc.uuid().map((u) => u),
      fc
        .date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true })
        .map((d) => types.TimeUuid.fromDate(d).toString()),
    ),
    fc.nat({ max: 40 }),
    fc.oneof(
      fc.constantFrom('-', 'g', 'G', 'F', '0', '1', '8', 'b', 'c', ' ', 'é', '\u0660', '\uff11'),
      fc.string({ minLength: 1, maxLength: 1 }),
    ),
    fc.constantFrom('replace', 'upper', 'cut', 'append', 'same'),
  )
  .map(([uuid, at, char, how]) => {
    const i = at % uuid.length;
    if (how === 'replace') return uuid.slice(0, i) + char + uuid.slice(i + 1);
    if (how === 'upper') return uuid.toUpperCase();
    if (how === 'cut') return uuid.slice(0, i);
    if (how === 'append') return uuid + char;
    return uuid;
  });

describe('uuidBytes: UUID text to bytes in one pass', () => {
  it('accepts exactly what the patterns accept, and decodes as the driver does', () => {
    fc.assert(
      fc.property(fc.oneof(nearUuid, fc.string({ maxLength: 40 })), (text) => {
        for (const [timeBased, pattern] of [
          [true, TIME_UUID_PATTERN],
          [false, ANY_UUID],
        ] as const) {
          const bytes = uuidBytes(text, timeBased);
          expect(bytes !== undefined).toBe(pattern.test(text));
          if (bytes !== undefined) expect(bytes).toEqual(types.Uuid.fromString(text.toLowerCase()).getBuffer());
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('and the generated inputs cross both verdicts (the property is not vacuous)', () => {
    const samples = fc.sample(nearUuid, { numRuns: 1000, seed: 7 });
    const timeBased = samples.filter((s) => uuidBytes(s, true) !== undefined).length;
    const any = samples.filter((s) => uuidBytes(s, false) !== undefined).length;
    expect(timeBased).toBeGreaterThan(100);
    expect(any).toBeGreaterThan(timeBased);
    expect(any).toBeLessThan(900);
  });
});
