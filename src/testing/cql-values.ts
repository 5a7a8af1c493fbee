import { types } from 'cassandra-driver';

/**
 * Driver-level values (what the entity converters hand the driver: strings, Longs, TimeUuids, Dates,
 * arrays for sets) as the in-memory tables store them: compared as Cassandra orders them, and
 * encoded to strings for map keys and page states.
 */

/** A timeuuid's 60-bit timestamp: Cassandra orders timeuuids by it first (not by their bytes). */
function timeuuidTime(buffer: Buffer): bigint {
  const low = BigInt(buffer.readUInt32BE(0));
  const mid = BigInt(buffer.readUInt16BE(4));
  const high = BigInt(buffer.readUInt16BE(6) & 0x0fff);
  return (high << 48n) | (mid << 32n) | low;
}

/** Cassandra's order of two values of one column type. */
export function compareCql(a: unknown, b: unknown): number {
  if (a instanceof types.Long && b instanceof types.Long) return a.compare(b);
  if (a instanceof types.TimeUuid && b instanceof types.TimeUuid) {
    const [ta, tb] = [timeuuidTime(a.getBuffer()), timeuuidTime(b.getBuffer())];
    if (ta !== tb) return ta < tb ? -1 : 1;
    // Then the clock sequence and node, as signed bytes (TimeUUIDType).
    for (let i = 8; i < 16; i++) {
      const d = a.getBuffer().readInt8(i) - b.getBuffer().readInt8(i);
      if (d !== 0) return d;
    }
    return 0;
  }
  if (a instanceof types.Uuid && b instanceof types.Uuid) return Buffer.compare(a.getBuffer(), b.getBuffer());
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (typeof a === 'string' && typeof b === 'string')
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  if (typeof a === 'number' && typeof b === 'number') return Math.sign(a - b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return Buffer.compare(a, b);
  return encodeCql(a) < encodeCql(b) ? -1 : encodeCql(a) > encodeCql(b) ? 1 : 0;
}

/** A lossless string form of a key value (type-tagged), for map keys and opaque page states. */
export function encodeCql(value: unknown): string {
  if (value === null || value === undefined) return 'n';
  if (value instanceof types.Long) return `L${value.toString()}`;
  if (value instanceof types.TimeUuid) return `T${value.toString()}`;
  if (value instanceof types.Uuid) return `U${value.toString()}`;
  if (value instanceof Date) return `D${value.getTime()}`;
  if (typeof value === 'string') return `S${value}`;
  if (typeof value === 'number') return `N${value}`;
  if (typeof value === 'boolean') return value ? 'b1' : 'b0';
  if (Buffer.isBuffer(value)) return `B${value.toString('hex')}`;
  return `J${JSON.stringify(value)}`;
}

export function decodeCql(text: string): unknown {
  const body = text.slice(1);
  switch (text[0]) {
    case 'n':
      return null;
    case 'L':
      return types.Long.fromString(body);
    case 'T':
      return types.TimeUuid.fromString(body);
    case 'U':
      return types.Uuid.fromString(body);
    case 'D':
      return new Date(Number(body));
    case 'S':
      return body;
    case 'N':
      return Number(body);
    case 'b':
      return body === '1';
    case 'B':
      return Buffer.from(body, 'hex');
    default:
      return JSON.parse(body) as unknown;
  }
}

export function keyOf(values: readonly unknown[]): string {
  return JSON.stringify(values.map(encodeCql));
}
