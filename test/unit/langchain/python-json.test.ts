import fc from 'fast-check';
import { parsePythonJson } from '../../../src/langchain/cassio/python-json';
import { fromCassioBody, StoredMessageFormatError } from '../../../src/langchain';

describe("parsePythonJson: what Python's json.dumps writes", () => {
  it('reads bare NaN, Infinity and -Infinity as those numbers, in objects and arrays', () => {
    expect(parsePythonJson('{"a": NaN, "b": [Infinity, -Infinity, 1.5], "c": {"d": -Infinity}}')).toEqual({
      a: NaN,
      b: [Infinity, -Infinity, 1.5],
      c: { d: -Infinity },
    });
  });

  it('leaves the tokens alone inside strings, escaped quotes included', () => {
    expect(parsePythonJson('{"s": "NaN \\" Infinity", "n": NaN, "t": "-Infinity"}')).toEqual({
      s: 'NaN " Infinity',
      n: NaN,
      t: '-Infinity',
    });
  });

  it('still refuses text that is not JSON, with or without the tokens', () => {
    expect(() => parsePythonJson('{"a": nan}')).toThrow(SyntaxError);
    expect(() => parsePythonJson('{"a": NaN')).toThrow(SyntaxError);
    expect(() => parsePythonJson('{"a": NaNa}')).toThrow(SyntaxError);
  });

  it('agrees with JSON.parse on every strict JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parsePythonJson(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('lets a cassio body with a non-finite float be read; a cut-off body is an error naming its row', () => {
    const body = '{"type": "ai", "data": {"content": "x", "response_metadata": {"logprob": NaN}, "type": "ai"}}';
    expect(fromCassioBody(body, 'row-1').response_metadata).toEqual({ logprob: NaN });
    const error = (() => {
      try {
        return fromCassioBody('{"type": "ai", "data": {"content": NaN', 'row-2');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StoredMessageFormatError);
    expect((error as StoredMessageFormatError).message).toContain('row-2');
  });
});
