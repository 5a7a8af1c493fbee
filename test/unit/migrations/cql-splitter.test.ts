import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CqlSyntaxError } from '../../../src/errors';
import { splitCql } from '../../../src/migrations/cql-splitter';

type Split = Array<[line: number, text: string]>;

const cases: Array<[name: string, script: string, expected: Split]> = [
  ['one statement', 'CREATE TABLE t (id int PRIMARY KEY);', [[1, 'CREATE TABLE t (id int PRIMARY KEY)']]],
  [
    'two statements on one line',
    'SELECT 1 FROM a; SELECT 2 FROM b;',
    [
      [1, 'SELECT 1 FROM a'],
      [1, 'SELECT 2 FROM b'],
    ],
  ],
  [
    'statements over several lines',
    'CREATE TABLE t (\n  id int PRIMARY KEY\n);\n\nDROP TABLE u;\n',
    [
      [1, 'CREATE TABLE t (\n  id int PRIMARY KEY\n)'],
      [5, 'DROP TABLE u'],
    ],
  ],
  ['semicolon in a string', "INSERT INTO t (a) VALUES ('x; y');", [[1, "INSERT INTO t (a) VALUES ('x; y')"]]],
  [
    "'' escape inside a string",
    "INSERT INTO t (a) VALUES ('it''s; fine');\nSELECT 1;",
    [
      [1, "INSERT INTO t (a) VALUES ('it''s; fine')"],
      [2, 'SELECT 1'],
    ],
  ],
  ['string of only an escaped quote', "INSERT INTO t (a) VALUES ('''');", [[1, "INSERT INTO t (a) VALUES ('''')"]]],
  [
    'comment markers inside a string',
    "INSERT INTO t (a) VALUES ('-- no /* no // no');",
    [[1, "INSERT INTO t (a) VALUES ('-- no /* no // no')"]],
  ],
  [
    'semicolon in a quoted identifier',
    'CREATE TABLE "we;ird" (id int PRIMARY KEY);',
    [[1, 'CREATE TABLE "we;ird" (id int PRIMARY KEY)']],
  ],
  [
    '"" escape in a quoted identifier',
    'CREATE TABLE "a""b;c" (id int PRIMARY KEY);',
    [[1, 'CREATE TABLE "a""b;c" (id int PRIMARY KEY)']],
  ],
  [
    '$$ block with semicolons inside',
    'CREATE FUNCTION f() RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$ int a = 1; return a; $$;\nSELECT 1;',
    [
      [1, 'CREATE FUNCTION f() RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$ int a = 1; return a; $$'],
      [2, 'SELECT 1'],
    ],
  ],
  [
    '$$ block spanning lines',
    'CREATE FUNCTION f() AS $$\n  a;\n  b;\n$$;\nSELECT 2;',
    [
      [1, 'CREATE FUNCTION f() AS $$\n  a;\n  b;\n$$'],
      [5, 'SELECT 2'],
    ],
  ],
  ['quotes inside $$ are not strings', 'SELECT $$it\'s; "x$$ FROM t;', [[1, 'SELECT $$it\'s; "x$$ FROM t']]],
  ['-- line comment with a semicolon', 'SELECT 1 -- not; the end\nFROM t;', [[1, 'SELECT 1 -- not; the end\nFROM t']]],
  ['// line comment with a semicolon', 'SELECT 1 // not; the end\nFROM t;', [[1, 'SELECT 1 // not; the end\nFROM t']]],
  ['block comment with a semicolon', 'SELECT /* a; b */ 1 FROM t;', [[1, 'SELECT /* a; b */ 1 FROM t']]],
  ['multi-line block comment', 'SELECT 1 /* a;\n b;\n */ FROM t;', [[1, 'SELECT 1 /* a;\n b;\n */ FROM t']]],
  ['quotes inside comments do not open strings', '-- it\'s\n/* "x */ SELECT 1;', [[2, 'SELECT 1']]],
  [
    'leading comments are not part of the statement',
    '-- header\n// more\n/* block\n*/\n\nCREATE TABLE t (id int PRIMARY KEY);',
    [[6, 'CREATE TABLE t (id int PRIMARY KEY)']],
  ],
  ['comment-only tail is dropped', 'SELECT 1;\n-- the end', [[1, 'SELECT 1']]],
  ['block comment tail is dropped', 'SELECT 1;\n/* the\nend */\n', [[1, 'SELECT 1']]],
  ['empty statements are dropped', ';;\nSELECT 1;;  ;\n', [[2, 'SELECT 1']]],
  ['empty script', '', []],
  ['comment-only script', '-- nothing\n/* here */\n', []],
  [
    'CRLF line endings',
    'SELECT 1;\r\n\r\nSELECT 2\r\nFROM t;\r\n',
    [
      [1, 'SELECT 1'],
      [3, 'SELECT 2\nFROM t'],
    ],
  ],
  [
    'lone CR line endings',
    'SELECT 1;\rSELECT 2;',
    [
      [1, 'SELECT 1'],
      [2, 'SELECT 2'],
    ],
  ],
  ['a single slash or dash is code', 'SELECT a - b / c FROM t;', [[1, 'SELECT a - b / c FROM t']]],
];

describe('splitCql', () => {
  it.each(cases)('%s', (_name, script, expected) => {
    const statements = splitCql(script, 'V1__x.cql');
    expect(statements.map((s) => [s.line, s.text])).toEqual(expected);
    expect(statements.map((s) => s.index)).toEqual(expected.map((_, i) => i));
  });

  const failures: Array<[name: string, script: string, line: number, what: RegExp]> = [
    ['unterminated string', "SELECT 1;\nINSERT INTO t (a) VALUES ('oops);\n", 2, /unterminated string literal/],
    ['unterminated string closed only by an escape', "SELECT 'a'';", 1, /unterminated string literal/],
    ['unterminated quoted identifier', 'SELECT 1;\n\nSELECT "x FROM t;', 3, /unterminated quoted identifier/],
    ['unterminated $$ block', 'SELECT 1;\nCREATE FUNCTION f() AS $$ body;\n', 2, /unterminated \$\$ block/],
    ['unterminated block comment', 'SELECT 1;\n\n\n/* never closed; SELECT 2;', 4, /unterminated block comment/],
    ['last statement without ;', 'SELECT 1;\n-- c\nSELECT 2\nFROM t\n', 3, /without a terminating ";"/],
    ['CRLF and an unterminated string', "SELECT 1;\r\nSELECT 2;\r\nSELECT 'x;\r\n", 3, /unterminated string literal/],
  ];

  it.each(failures)('rejects %s with the file and line', (_name, script, line, what) => {
    let caught: unknown;
    try {
      splitCql(script, 'V0007__bad.cql');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CqlSyntaxError);
    const error = caught as CqlSyntaxError;
    expect(error.line).toBe(line);
    expect(error.file).toBe('V0007__bad.cql');
    expect(error.message).toMatch(what);
    expect(error.message).toContain(`V0007__bad.cql:${line}`);
  });

  it('names the line alone when no file is given', () => {
    expect(() => splitCql('SELECT 1')).toThrow(/at line 1$/);
  });

  it('splits the package schema into its four tables', () => {
    const text = readFileSync(
      join(__dirname, '..', '..', '..', 'migrations', 'V0001__chat_history_schema.cql'),
      'utf8',
    );
    const statements = splitCql(text);
    expect(statements.map((s) => /CREATE TABLE IF NOT EXISTS (\w+)/.exec(s.text)?.[1])).toEqual([
      'chat_messages',
      'chat_message_buckets',
      'chat_sessions',
      'chat_sessions_by_user',
    ]);
    expect(statements[0].line).toBe(7);
  });
});
