import { InvalidIdentifierError } from './errors';

/** CQL identifiers (keyspace, table, column) cannot be bound: only these pass into a statement. */
export const CQL_IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;

/** Returns `value` when it is a safe, unquoted CQL identifier; throws InvalidIdentifierError otherwise. */
export function assertIdentifier(kind: string, value: unknown): string {
  if (typeof value !== 'string' || !CQL_IDENTIFIER.test(value)) {
    throw new InvalidIdentifierError(kind, typeof value === 'string' ? value : String(value));
  }
  return value;
}
