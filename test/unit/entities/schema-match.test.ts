import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ChatMessage,
  CheckpointBlobRecord,
  CheckpointRecord,
  CheckpointWriteRecord,
  compileEntity,
  type EntityClass,
  MessageBucket,
  Session,
  storedCqlType,
  ThreadNamespaceRecord,
  UserSession,
} from '../../../src/entities';

const ENTITIES: ReadonlyArray<[string, EntityClass]> = [
  ['ChatMessage', ChatMessage],
  ['MessageBucket', MessageBucket],
  ['Session', Session],
  ['UserSession', UserSession],
  ['CheckpointRecord', CheckpointRecord],
  ['CheckpointBlobRecord', CheckpointBlobRecord],
  ['CheckpointWriteRecord', CheckpointWriteRecord],
  ['ThreadNamespaceRecord', ThreadNamespaceRecord],
];

/** What the migrations declare for one table: its CREATE TABLE plus every later ALTER TABLE ... ADD. */
interface DeclaredTable {
  readonly columns: Map<string, { type: string; isStatic: boolean }>;
  readonly partitionKeys: string[];
  readonly clusteringKeys: string[];
  readonly order: Map<string, string>;
}

const MIGRATIONS = join(__dirname, '..', '..', '..', 'migrations');

/**
 * A small reader for the package's own schema files, applied in version order: one CREATE TABLE per
 * table (no nesting beyond keys), then `ALTER TABLE t ADD [IF NOT EXISTS] column type` statements.
 */
function readSchema(): Map<string, DeclaredTable> {
  const text = readdirSync(MIGRATIONS)
    .filter((f) => /^V\d+__.*\.cql$/.test(f))
    .sort()
    .map((f) => readFileSync(join(MIGRATIONS, f), 'utf8'))
    .join('\n')
    .split('\n')
    .map((line) => line.replace(/--.*$/, ''))
    .join('\n');
  const tables = new Map<string, DeclaredTable>();
  const statement =
    /CREATE TABLE IF NOT EXISTS (\w+)\s*\(([\s\S]*?)\)\s*(?:WITH CLUSTERING ORDER BY \(([^)]*)\))?\s*;/g;
  for (const match of text.matchAll(statement)) {
    const [, name, body, orderText] = match;
    const parts: string[] = [];
    let depth = 0;
    let current = '';
    for (const ch of body) {
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      if (ch === ',' && depth === 0) {
        parts.push(current.trim());
        current = '';
      } else {
        current += ch;
      }
    }
    parts.push(current.trim());
    const table: DeclaredTable = { columns: new Map(), partitionKeys: [], clusteringKeys: [], order: new Map() };
    for (const part of parts.filter(Boolean)) {
      const key = /^PRIMARY KEY\s*\((.*)\)$/s.exec(part);
      if (key) {
        const inner = key[1].trim();
        const partition = /^\(([^)]*)\)\s*(?:,(.*))?$/s.exec(inner);
        if (partition) {
          table.partitionKeys.push(...partition[1].split(',').map((s) => s.trim()));
          if (partition[2]) table.clusteringKeys.push(...partition[2].split(',').map((s) => s.trim()));
        } else {
          const [first, ...rest] = inner.split(',').map((s) => s.trim());
          table.partitionKeys.push(first);
          table.clusteringKeys.push(...rest);
        }
        continue;
      }
      const [column, type, ...flags] = part.split(/\s+/);
      table.columns.set(column, { type, isStatic: flags.includes('STATIC') });
      if (flags.join(' ') === 'PRIMARY KEY') table.partitionKeys.push(column);
    }
    for (const entry of (orderText ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [column, direction] = entry.split(/\s+/);
      table.order.set(column, direction.toUpperCase());
    }
    tables.set(name, table);
  }
  for (const [, name, column, type] of text.matchAll(/ALTER TABLE (\w+) ADD (?:IF NOT EXISTS )?(\w+) ([\w<>]+)\s*;/g)) {
    tables.get(name)?.columns.set(column, { type, isStatic: false });
  }
  return tables;
}

const schema = readSchema();

describe.each<[string, EntityClass]>(ENTITIES)('%s maps to its table in migrations/ exactly', (_name, entity) => {
  const metadata = compileEntity(entity);
  const declared = schema.get(metadata.table);

  it('names a table of the schema', () => {
    expect(declared).toBeDefined();
  });

  it('has exactly the columns of the table, with their CQL types', () => {
    const mapped = new Map(metadata.columns.map((c) => [c.columnName, storedCqlType(c.cqlType)]));
    const expected = new Map([...(declared?.columns ?? new Map())].map(([name, c]) => [name, c.type]));
    expect(mapped).toEqual(expected);
  });

  it('has the same partition key and clustering key, in order', () => {
    expect(metadata.partitionKeys.map((c) => c.columnName)).toEqual(declared?.partitionKeys);
    expect(metadata.clusteringKeys.map((c) => c.columnName)).toEqual(declared?.clusteringKeys);
  });

  it('has the same clustering order (ASC when the schema says nothing)', () => {
    for (const key of metadata.clusteringKeys) {
      expect([key.columnName, key.order]).toEqual([key.columnName, declared?.order.get(key.columnName) ?? 'ASC']);
    }
  });

  it('marks exactly the static columns as static', () => {
    const staticColumns = metadata.columns.filter((c) => c.kind === 'static').map((c) => c.columnName);
    const declaredStatic = [...(declared?.columns ?? new Map())].filter(([, c]) => c.isStatic).map(([n]) => n);
    expect(staticColumns).toEqual(declaredStatic);
  });
});

it('the schema has no table without an entity', () => {
  const mappedTables = ENTITIES.map(([, e]) => compileEntity(e).table).sort();
  expect([...schema.keys()].sort()).toEqual(mappedTables);
});
