import { SchemaNotMigratedError } from '../../errors';

/**
 * The table exists but is not cassio's `(partition_id, row_id, body_blob)`: typically the table of
 * `@langchain/community`'s JS history (`session_id, message_ts, message_type, data`), whose rows this
 * package does not read. Nothing was written.
 */
export class CassioTableLayoutError extends SchemaNotMigratedError {
  readonly columns: readonly string[];

  constructor(keyspace: string, table: string, columns: readonly string[], options?: { cause?: unknown }) {
    super(keyspace, `table ${table} has another layout`, options);
    this.columns = columns;
    const community = ['session_id', 'message_ts', 'message_type', 'data'].every((c) => columns.includes(c));
    this.message =
      `The table ${keyspace}.${table} exists with columns (${columns.join(', ')}), not cassio's ` +
      '(partition_id, row_id, body_blob)' +
      (community ? ": it is @langchain/community's JS history layout, which this package does not read" : '') +
      ". Name a new table (`table`), or leave `table` out to use the package's migrated tables.";
  }
}
