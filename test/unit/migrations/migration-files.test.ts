import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CqlSyntaxError, MigrationError } from '../../../src/errors';
import { migrationChecksum } from '../../../src/migrations/checksum';
import {
  loadMigrationFiles,
  migrationStatements,
  parseMigrationFileName,
} from '../../../src/migrations/migration-files';
import { PACKAGE_MIGRATIONS_DIRECTORY } from '../../../src/migrations/package-migrations';

describe('migrationChecksum', () => {
  const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

  it('is the SHA-256 of the text', () => {
    expect(migrationChecksum('SELECT 1;\n')).toBe(sha256('SELECT 1;\n'));
    expect(migrationChecksum('SELECT 1;\n')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores CRLF, CR and a UTF-8 byte order mark', () => {
    const lf = migrationChecksum('SELECT 1;\nSELECT 2;\n');
    expect(migrationChecksum('SELECT 1;\r\nSELECT 2;\r\n')).toBe(lf);
    expect(migrationChecksum('SELECT 1;\rSELECT 2;\r')).toBe(lf);
    expect(migrationChecksum('\uFEFFSELECT 1;\nSELECT 2;\n')).toBe(lf);
  });

  it('changes with any other edit, whitespace and comments included', () => {
    const base = migrationChecksum('SELECT 1;\n');
    expect(migrationChecksum('SELECT 1; \n')).not.toBe(base);
    expect(migrationChecksum('SELECT 1;\n-- note\n')).not.toBe(base);
    expect(migrationChecksum('select 1;\n')).not.toBe(base);
  });
});

describe('parseMigrationFileName', () => {
  it.each([
    ['V1__init.cql', 1, 'init'],
    ['V0001__chat_history_schema.cql', 1, 'chat history schema'],
    ['V0042__add_index_2.cql', 42, 'add index 2'],
    ['V2147483647__max.cql', 2147483647, 'max'],
    ['V10__CamelCase_ok.cql', 10, 'CamelCase ok'],
  ])('%s is version %i', (name, version, description) => {
    expect(parseMigrationFileName(name)).toEqual({ version, description });
  });

  it.each([
    'v1__lower_case_v.cql',
    'V1_single_underscore.cql',
    'V__no_version.cql',
    'V0__zero.cql',
    'V2147483648__too_big.cql',
    'V1__.cql',
    'V1__trailing_.cql',
    'V1__double__underscore.cql',
    'V1__has-dash.cql',
    'V1__has space.cql',
    'V1__x.CQL',
    'V1__x.cql.bak',
    'R__repeatable.cql',
    'U1__undo.cql',
  ])('%s is not a migration file name', (name) => {
    expect(parseMigrationFileName(name)).toBeUndefined();
  });
});

describe('loadMigrationFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cch-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text = 'SELECT 1;\n'): void => writeFileSync(join(dir, name), text);

  it('orders by numeric version, not by name', () => {
    write('V10__ten.cql');
    write('V2__two.cql');
    write('V0001__one.cql');
    write('V0003__three.cql');
    const files = loadMigrationFiles(dir);
    expect(files.map((f) => [f.version, f.file])).toEqual([
      [1, 'V0001__one.cql'],
      [2, 'V2__two.cql'],
      [3, 'V0003__three.cql'],
      [10, 'V10__ten.cql'],
    ]);
    expect(files[0].path).toBe(join(dir, 'V0001__one.cql'));
    expect(files[0].description).toBe('one');
  });

  it('ignores other files, hidden files and folders', () => {
    write('V1__one.cql');
    write('README.md', '# notes');
    write('.V2__hidden.cql');
    write('notes.txt');
    mkdirSync(join(dir, 'V3__a_folder.cql'));
    expect(loadMigrationFiles(dir).map((f) => f.file)).toEqual(['V1__one.cql']);
  });

  it('refuses a .cql file with a bad name, naming it', () => {
    write('V1__one.cql');
    write('v2_typo.cql');
    expect(() => loadMigrationFiles(dir)).toThrow(MigrationError);
    expect(() => loadMigrationFiles(dir)).toThrow(/Invalid migration file name "v2_typo\.cql"/);
  });

  it('refuses two files with the same version', () => {
    write('V1__one.cql');
    write('V0001__also_one.cql');
    let caught: unknown;
    try {
      loadMigrationFiles(dir);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MigrationError);
    expect((caught as MigrationError).version).toBe(1);
    expect((caught as MigrationError).message).toMatch(
      /Duplicate migration version 1: V0001__also_one\.cql and V1__one\.cql/,
    );
  });

  it('refuses a directory that does not exist', () => {
    expect(() => loadMigrationFiles(join(dir, 'nope'))).toThrow(/Cannot read the migrations directory/);
  });

  it('normalises text and checksums CRLF files like LF files', () => {
    write('V1__crlf.cql', 'SELECT 1;\r\nSELECT 2;\r\n');
    write('V2__lf.cql', 'SELECT 1;\nSELECT 2;\n');
    const [crlf, lf] = loadMigrationFiles(dir);
    expect(crlf.text).toBe('SELECT 1;\nSELECT 2;\n');
    expect(crlf.checksum).toBe(lf.checksum);
  });

  it('splits a file with its name in syntax errors', () => {
    write('V1__ok.cql', 'SELECT 1;\nSELECT 2;\n');
    write('V2__broken.cql', "SELECT 1;\nSELECT 'x;\n");
    const [ok, broken] = loadMigrationFiles(dir);
    expect(migrationStatements(ok).map((s) => s.text)).toEqual(['SELECT 1', 'SELECT 2']);
    expect(() => migrationStatements(broken)).toThrow(CqlSyntaxError);
    expect(() => migrationStatements(broken)).toThrow(/V2__broken\.cql:2/);
  });

  it('finds the package schema through the default directory', () => {
    const files = loadMigrationFiles(PACKAGE_MIGRATIONS_DIRECTORY);
    expect(files[0]).toMatchObject({ version: 1, file: 'V0001__chat_history_schema.cql' });
  });
});
