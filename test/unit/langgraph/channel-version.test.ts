import fc from 'fast-check';
import { channelVersionKey, nextChannelVersion } from '../../../src/langgraph';

describe('channel versions', () => {
  it('count up: the next version is above the current one and below the next integer after it', () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }), (current) => {
        const next = nextChannelVersion(current);
        expect(next).toBeGreaterThan(current ?? 0);
        expect(Math.floor(next)).toBe((current ?? 0) + 1);
        expect(nextChannelVersion(next)).toBeGreaterThan(next);
      }),
    );
  });

  it('two forks from one version get different versions (what keeps branches apart)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i += 1) seen.add(nextChannelVersion(7));
    expect(seen.size).toBe(1000);
  });

  it('keys sort as text exactly as the versions sort as numbers (so old values go with one range delete)', () => {
    const version = fc.oneof(
      fc.integer({ min: 0, max: 10_000_000 }),
      fc.integer({ min: 0, max: 10_000 }).map((n) => nextChannelVersion(n)),
    );
    fc.assert(
      fc.property(version, version, (a, b) => {
        const byNumber = Math.sign(a - b);
        const [ka, kb] = [channelVersionKey(a), channelVersionKey(b)];
        expect(Math.sign(Buffer.compare(Buffer.from(ka), Buffer.from(kb)))).toBe(byNumber);
      }),
    );
  });

  it("keeps string versions (another saver's) as they are, and counts up from their integer prefix", () => {
    expect(channelVersionKey('00000000000000000000000000000003.42')).toBe('00000000000000000000000000000003.42');
    expect(Math.floor(nextChannelVersion('00000000000000000000000000000003.42'))).toBe(4);
    expect(() => nextChannelVersion('not a version')).toThrow(/Cannot count up from channel version "not a version"/);
  });
});
