import { metadataMatches } from '../../../src/langgraph';

describe('list({ filter }) matching, as Postgres metadata @> filter', () => {
  const metadata = { source: 'loop', step: 3, parents: { '': 'abc' }, tags: ['a', 'b'], writes: null };

  it.each([
    [undefined, true],
    [{}, true],
    [{ source: 'loop' }, true],
    [{ source: 'input' }, false],
    [{ source: 'loop', step: 3 }, true],
    [{ step: '3' }, false],
    [{ parents: {} }, true],
    [{ parents: { '': 'abc' } }, true],
    [{ parents: { '': 'xyz' } }, false],
    [{ tags: ['b'] }, true],
    [{ tags: ['c'] }, false],
    [{ writes: null }, true],
    [{ missing: undefined }, false],
  ])('filter %j → %s', (filter, expected) => {
    expect(metadataMatches(metadata, filter as Record<string, unknown> | undefined)).toBe(expected);
  });
});
