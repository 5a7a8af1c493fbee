import { SchemaNotMigratedError } from '../../errors';

/**
 * The cassio message table (or its keyspace) does not exist. A {@link SchemaNotMigratedError}, but the
 * remedy is not the package's migrations: the table belongs to the LangChain Python layout.
 */
export class CassioTableMissingError extends SchemaNotMigratedError {
  constructor(keyspace: string, table: string, options?: { cause?: unknown }) {
    super(keyspace, `table ${table} is missing`, options);
    this.message =
      `The cassio message table ${keyspace}.${table} does not exist. Create it with ` +
      'createCassioTable({ client, keyspace, table }) (the keyspace must exist), or let a LangChain Python ' +
      'CassandraChatMessageHistory provision it.';
  }
}
