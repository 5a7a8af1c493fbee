import type { Client } from 'cassandra-driver';
import { compileEntity, type EntityClass } from '../../../src/entities';

/** One statement the Mapper sent. */
export interface SentStatement {
  readonly query: string;
  readonly params: unknown[];
}

/**
 * Just enough of a driver Client for the driver's own Mapper to run without a network: table
 * metadata comes from the compiled entities (schema-match.test.ts proves they equal the schema),
 * and SELECTs answer with the rows queued by the test.
 */
export class FakeDriverClient {
  readonly keyspace = 'ks';
  readonly sent: SentStatement[] = [];
  private readonly rowsToReturn: Record<string, unknown>[][] = [];

  constructor(private readonly entities: readonly EntityClass[]) {}

  readonly metadata = {
    getTable: async (_keyspace: string, table: string) => {
      const entity = this.entities.map((e) => compileEntity(e)).find((m) => m.table === table);
      if (entity === undefined) return null;
      const column = (name: string, isStatic = false) => ({ name, isStatic });
      return {
        name: table,
        partitionKeys: entity.partitionKeys.map((c) => column(c.columnName)),
        clusteringKeys: entity.clusteringKeys.map((c) => column(c.columnName)),
        columns: entity.columns.map((c) => column(c.columnName, c.kind === 'static')),
        columnsByName: Object.fromEntries(entity.columns.map((c) => [c.columnName, column(c.columnName)])),
      };
    },
  };

  /** The next SELECT answers these rows (keyed by column name, as the driver's rows are). */
  answerNext(rows: Record<string, unknown>[]): void {
    this.rowsToReturn.push(rows);
  }

  async connect(): Promise<void> {}

  log(): void {}

  async execute(query: string, params: unknown[]) {
    this.sent.push({ query, params });
    if (!query.startsWith('SELECT')) return { rows: [], rowLength: 0, columns: null };
    const rows = this.rowsToReturn.shift() ?? [];
    const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    return { rows, rowLength: rows.length, columns: names.map((name) => ({ name, type: { code: 0 } })) };
  }

  async batch(queries: { query: string; params: unknown[] }[]) {
    for (const q of queries) this.sent.push({ query: q.query, params: q.params });
    return { rows: [], rowLength: 0, columns: null };
  }

  asClient(): Client {
    return this as unknown as Client;
  }
}
