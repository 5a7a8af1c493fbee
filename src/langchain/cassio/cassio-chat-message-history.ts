import { BaseListChatMessageHistory } from '@langchain/core/chat_history';
import type { BaseMessage } from '@langchain/core/messages';
import { type Client, types } from 'cassandra-driver';
import { isWellFormedUnicode } from '../../entities';
import { withDriverErrors } from '../../driver';
import { chunkForBatches, MAX_TTL_SECONDS } from '../../mapping';
import { ConfigurationError, SchemaNotMigratedError } from '../../errors';
import { assertIdentifier } from '../../identifiers';
import { fromCassioBody, toCassioBody } from './cassio-body';
import { CASSIO_DEFAULT_TABLE } from './cassio-table';
import { convertMessages } from '../langchain-record';
import { CassioTableMissingError } from './cassio-table-missing-error';
import { CassioTableLayoutError } from './cassio-table-layout-error';
import { StoredMessageFormatError } from '../stored-message-format-error';

export interface CassioChatMessageHistoryOptions {
  readonly client: Client;
  readonly keyspace: string;
  /** Default `message_store`, LangChain Python's default. */
  readonly table?: string;
  /** The `partition_id`: the same session id the Python services use. */
  readonly sessionId: string;
  /** Each message written expires after this many seconds (`USING TTL`, as cassio's `ttl_seconds`). */
  readonly ttlSeconds?: number;
  /** When set, `getMessages()` returns only the newest `limit` messages (a LIMIT on the newest-first rows). */
  readonly limit?: number;
  /** Rows per page when reading a session. Default 1000. */
  readonly pageSize?: number;
  /** Default LOCAL_QUORUM: a message written by one service is seen by the next read anywhere in the DC. */
  readonly consistency?: types.consistencies;
  /**
   * A row that is not a readable message (not JSON, an unknown type, fields LangChain refuses) fails
   * `getMessages()` with StoredMessageFormatError naming its row_id. With this callback, such rows are
   * handed to it and skipped instead, so one corrupt row does not make the session unreadable.
   */
  readonly onUnreadableRow?: (error: StoredMessageFormatError) => void;
}

/**
 * A LangChain history on the table of LangChain Python's `CassandraChatMessageHistory` (cassio):
 * `(partition_id text, row_id timeuuid, body_blob text)`, one row per message, `body_blob` =
 * `json.dumps(message_to_dict(message))`. TypeScript and Python services can share sessions on the
 * same table: each reads what the other appends.
 *
 * Differs from the Python reader only where that one is weak: sessions of any length are read page by
 * page (never truncated), `limit` reads only the newest messages, `addMessages` writes one
 * single-partition batch instead of one insert per message, row ids are client-generated timeuuids
 * (in the order given), and every statement is prepared.
 */
export class CassioChatMessageHistory extends BaseListChatMessageHistory {
  lc_namespace = ['langchain', 'stores', 'message', 'cassio'];

  readonly sessionId: string;
  readonly keyspace: string;
  readonly table: string;
  private readonly client: Client;
  private readonly ttlSeconds?: number;
  private readonly limit?: number;
  private readonly pageSize: number;
  private readonly consistency: types.consistencies;
  private readonly onUnreadableRow?: (error: StoredMessageFormatError) => void;
  private readonly cql: { insert: string; select: string; selectNewest: string; deleteSession: string };

  constructor(options: CassioChatMessageHistoryOptions) {
    super();
    if (!options || !options.client)
      throw new ConfigurationError('CassioChatMessageHistory needs a cassandra-driver client');
    this.client = options.client;
    this.keyspace = assertIdentifier('keyspace', options.keyspace);
    this.table = assertIdentifier('table', options.table ?? CASSIO_DEFAULT_TABLE);
    const { sessionId } = options;
    if (typeof sessionId !== 'string' || sessionId.length === 0 || !isWellFormedUnicode(sessionId)) {
      throw new ConfigurationError('sessionId must be a non-empty string (the partition_id of the session)');
    }
    this.sessionId = sessionId;
    this.ttlSeconds = positiveInteger('ttlSeconds', options.ttlSeconds, MAX_TTL_SECONDS);
    this.limit = positiveInteger('limit', options.limit);
    this.pageSize = positiveInteger('pageSize', options.pageSize) ?? 1000;
    this.consistency = options.consistency ?? types.consistencies.localQuorum;
    if (options.onUnreadableRow !== undefined && typeof options.onUnreadableRow !== 'function') {
      throw new ConfigurationError('onUnreadableRow must be a function (error) => void');
    }
    this.onUnreadableRow = options.onUnreadableRow;
    const target = `${this.keyspace}.${this.table}`;
    this.cql = {
      insert:
        `INSERT INTO ${target} (partition_id, row_id, body_blob) VALUES (?, ?, ?)` +
        (this.ttlSeconds !== undefined ? ' USING TTL ?' : ''),
      select: `SELECT row_id, body_blob FROM ${target} WHERE partition_id = ?`,
      selectNewest: `SELECT row_id, body_blob FROM ${target} WHERE partition_id = ? LIMIT ?`,
      deleteSession: `DELETE FROM ${target} WHERE partition_id = ?`,
    };
  }

  /**
   * The session's messages, oldest first (rows are stored newest first and reversed, as cassio's
   * reader does). Reads every page; with `limit`, only the newest `limit` rows.
   */
  async getMessages(): Promise<BaseMessage[]> {
    const rows = await this.run('getMessages', () => this.readRows());
    const messages: BaseMessage[] = [];
    for (const row of rows.reverse()) {
      try {
        messages.push(fromCassioBody(row.get('body_blob'), String(row.get('row_id'))));
      } catch (error) {
        if (!(error instanceof StoredMessageFormatError) || !this.onUnreadableRow) throw error;
        this.onUnreadableRow(error);
      }
    }
    return messages;
  }

  private async readRows(): Promise<types.Row[]> {
    const query = this.limit !== undefined ? this.cql.selectNewest : this.cql.select;
    const params: unknown[] = this.limit !== undefined ? [this.sessionId, this.limit] : [this.sessionId];
    const rows: types.Row[] = [];
    let pageState: string | undefined;
    do {
      const result = await this.client.execute(query, params, {
        prepare: true,
        fetchSize: this.pageSize,
        pageState,
        consistency: this.consistency,
        isIdempotent: true,
      });
      rows.push(...result.rows);
      // The typings say string, but the last page has none.
      pageState = (result.pageState as string | null | undefined) ?? undefined;
    } while (pageState !== undefined);
    return rows;
  }

  async addMessage(message: BaseMessage): Promise<void> {
    await this.addMessages([message]);
  }

  /**
   * Serialises every message first (one bad message: MessageValidationError, nothing written), then
   * writes them with increasing timeuuids in single-partition batches: one round trip for a usual call.
   */
  override async addMessages(messages: BaseMessage[]): Promise<void> {
    const bodies = convertMessages(messages, toCassioBody);
    const inserts = bodies.map((body) => {
      const params: unknown[] = [this.sessionId, types.TimeUuid.now(), body];
      if (this.ttlSeconds !== undefined) params.push(this.ttlSeconds);
      return { query: this.cql.insert, params, bytes: Buffer.byteLength(body, 'utf8') };
    });
    const options = { prepare: true, consistency: this.consistency, isIdempotent: true };
    await this.run('addMessages', async () => {
      for (const chunk of chunkForBatches(inserts, (item) => item.bytes)) {
        if (chunk.length === 1) await this.client.execute(chunk[0].query, chunk[0].params, options);
        else
          await this.client.batch(
            chunk.map(({ query, params }) => ({ query, params })),
            { ...options, logged: false },
          );
      }
    });
  }

  /** Deletes the session's partition (as cassio's `delete_partition`). */
  override async clear(): Promise<void> {
    await this.run('clear', () =>
      this.client.execute(this.cql.deleteSession, [this.sessionId], {
        prepare: true,
        consistency: this.consistency,
        isIdempotent: true,
      }),
    );
  }

  /** Runs driver calls with typed errors; a missing table says how to create it. */
  private async run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const context = { operation: `CassioChatMessageHistory.${operation}`, keyspace: this.keyspace, table: this.table };
    try {
      return await withDriverErrors(context, fn);
    } catch (error) {
      if (!(error instanceof SchemaNotMigratedError)) throw error;
      // "Undefined column name partition_id" also lands here: a table of another layout under this name.
      const columns = await this.existingColumns();
      if (columns) throw new CassioTableLayoutError(this.keyspace, this.table, columns, { cause: error });
      throw new CassioTableMissingError(this.keyspace, this.table, { cause: error });
    }
  }

  /** The table's columns when it exists; undefined when it does not (or the metadata cannot be read). */
  private async existingColumns(): Promise<string[] | undefined> {
    try {
      const table = await this.client.metadata.getTable(this.keyspace, this.table);
      return table ? table.columns.map((column) => column.name) : undefined;
    } catch {
      return undefined;
    }
  }
}

function positiveInteger(name: string, value: number | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw new ConfigurationError(`${name} must be a whole number between 1 and ${max}, got ${String(value)}`);
  }
  return value;
}
