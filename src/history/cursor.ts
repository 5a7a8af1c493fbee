import { InvalidCursorError } from '../errors';

/** Where a page ended: the bucket being read and the driver's page state inside it. */
export interface CursorPosition {
  readonly order: 'asc' | 'desc';
  readonly bucket: number;
  readonly pageState?: string;
}

/** An opaque, URL-safe string: callers store and return it, never build it. */
export function encodeCursor(position: CursorPosition): string {
  const payload = [position.order === 'asc' ? 'a' : 'd', position.bucket, position.pageState ?? ''];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  let payload: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) throw new Error('not base64url');
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('The cursor is not one this package produced (it is not a valid cursor string)');
  }
  if (
    !Array.isArray(payload) ||
    payload.length !== 3 ||
    (payload[0] !== 'a' && payload[0] !== 'd') ||
    !Number.isSafeInteger(payload[1]) ||
    typeof payload[2] !== 'string' ||
    !/^[0-9a-f]*$/.test(payload[2])
  ) {
    throw new InvalidCursorError('The cursor is not one this package produced (its content is malformed)');
  }
  return {
    order: payload[0] === 'a' ? 'asc' : 'desc',
    bucket: payload[1] as number,
    pageState: payload[2] === '' ? undefined : (payload[2] as string),
  };
}
