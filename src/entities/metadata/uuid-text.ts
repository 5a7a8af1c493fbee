/**
 * UUID text to the 16 bytes the driver binds, checked and parsed in one pass. Every message write
 * binds its id this way; the driver's own `Uuid.fromString` (a regex test, a `replace`, then a hex
 * decode) was a tenth of an append's client CPU beyond the raw driver's.
 */

const NOT_HEX = -1;
/** Value of each ASCII hex digit, NOT_HEX for every other code below 128. */
const HEX_VALUE: Int8Array = (() => {
  const table = new Int8Array(128).fill(NOT_HEX);
  for (let d = 0; d < 10; d++) table[0x30 + d] = d;
  for (let d = 0; d < 6; d++) {
    table[0x61 + d] = 10 + d;
    table[0x41 + d] = 10 + d;
  }
  return table;
})();

const HYPHEN = 0x2d;
const VERSION_1 = 0x31;

function hexValue(code: number): number {
  return code < 128 ? HEX_VALUE[code] : NOT_HEX;
}

/**
 * The bytes of `text` when it is a UUID in its 36-character form (either case), else undefined. With
 * `timeBased`, only a version 1 UUID of the RFC 4122 variant is accepted: exactly what
 * TIME_UUID_PATTERN accepts (test/unit/entities/uuid-text.test.ts).
 */
export function uuidBytes(text: string, timeBased: boolean): Buffer | undefined {
  if (text.length !== 36) return undefined;
  if (
    text.charCodeAt(8) !== HYPHEN ||
    text.charCodeAt(13) !== HYPHEN ||
    text.charCodeAt(18) !== HYPHEN ||
    text.charCodeAt(23) !== HYPHEN
  ) {
    return undefined;
  }
  if (timeBased && (text.charCodeAt(14) !== VERSION_1 || !isRfc4122Variant(text.charCodeAt(19)))) return undefined;
  const bytes = Buffer.allocUnsafe(16);
  let at = 0;
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) i += 1;
    const high = hexValue(text.charCodeAt(i));
    const low = hexValue(text.charCodeAt(i + 1));
    if (high === NOT_HEX || low === NOT_HEX) return undefined;
    bytes[at++] = (high << 4) | low;
  }
  return bytes;
}

/** 8, 9, a or b (either case): the high bits 10 of the clock sequence. */
function isRfc4122Variant(code: number): boolean {
  const value = hexValue(code);
  return value >= 8 && value <= 11;
}
