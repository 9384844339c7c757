import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { InputError } from '../../src/errors.js';
import {
  checkSqlSource,
  formatLocation,
  isSqlSourcePath,
  loadSqlSource,
  locate,
  parseSqlText,
  SqlSourceError,
  type SqlStatement,
} from '../../src/sql/index.js';

const GOOD = fileURLToPath(new URL('../fixtures/sql/good', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'lockplane-sql-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

async function rejects(promise: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    assert.equal(error.message, message);
    assert.equal(error.exitCode, 2);
    return true;
  });
}

/** The one diagnostic of a single statement, formatted as the CLI prints it. */
async function refusal(sql: string): Promise<string> {
  const { diagnostics } = await parseSqlText(sql, 'schema.sql');
  assert.equal(diagnostics.length, 1, `expected one diagnostic for ${sql}`);
  const d = diagnostics[0]!;
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

describe('loadSqlSource: a directory', () => {
  it('reads *.sql and *.lp.sql, sorted by file name byte-wise, not recursively', async () => {
    const statements = await loadSqlSource(GOOD);
    const files = [...new Set(statements.map((s) => s.file.slice(GOOD.length + 1)))];
    assert.deepEqual(files, ['10_schema.lp.sql', '2_types.sql', 'B_tables.sql', 'Z_ünïcode.sql', 'a_views.sql']);
    assert.equal(statements.length, 25);
  });

  it('gives each statement its text, kind and the position of its first token', async () => {
    const statements = await loadSqlSource(GOOD);
    const pick = (s: SqlStatement): [string, number, number, string] => [s.file.slice(GOOD.length + 1), s.line, s.column, s.kind];
    assert.deepEqual(statements.slice(0, 6).map(pick), [
      ['10_schema.lp.sql', 4, 1, 'VariableSetStmt'],
      ['10_schema.lp.sql', 5, 1, 'VariableSetStmt'],
      ['10_schema.lp.sql', 6, 1, 'SelectStmt'],
      ['10_schema.lp.sql', 7, 1, 'CreateExtensionStmt'],
      ['10_schema.lp.sql', 8, 1, 'CreateSchemaStmt'],
      ['10_schema.lp.sql', 9, 1, 'AlterOwnerStmt'],
    ]);
    const unicode = statements.filter((s) => s.file.endsWith('Z_ünïcode.sql'));
    assert.deepEqual(unicode.map(pick), [
      ['Z_ünïcode.sql', 1, 43, 'CreateStmt'], // the comment is 42 characters (more bytes)
      ['Z_ünïcode.sql', 4, 1, 'CreateFunctionStmt'],
      ['Z_ünïcode.sql', 10, 1, 'CreateTrigStmt'],
    ]);
    assert.equal(unicode[0]!.sql, 'CREATE TABLE app."naïve 😀" (\n    "ключ" integer\n)');
    assert.ok(unicode[1]!.sql.startsWith('CREATE FUNCTION app.touch()'));
    assert.ok(unicode[1]!.sql.endsWith('END;\n$$'));
  });

  it('builds a real schema when run in order (PGlite)', async () => {
    const db = new PGlite();
    try {
      for (const statement of await loadSqlSource(GOOD)) await db.exec(statement.sql);
      const result = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'app'",
      );
      assert.ok(result.rows[0]!.n >= 6);
    } finally {
      await db.close();
    }
  });

  it('refuses a missing path and an empty directory', async () => {
    await rejects(loadSqlSource(join(tmp, 'missing')), `${join(tmp, 'missing')}: no such file or directory`);
    await rejects(loadSqlSource(join(tmp, 'missing.sql')), `${join(tmp, 'missing.sql')}: no such file or directory`);
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'readme.md'), '# not sql');
    await rejects(loadSqlSource(empty), `${empty}: directory contains no .sql files`);
  });

  it('accepts an empty or comment-only file', async () => {
    assert.deepEqual(await loadSqlSource(write('empty.sql', '')), []);
    assert.deepEqual(await loadSqlSource(write('comments.sql', '-- nothing\n/* here */\n')), []);
  });
});

describe('isSqlSourcePath', () => {
  it('is true for directories and *.sql / *.lp.sql files', () => {
    assert.equal(isSqlSourcePath(GOOD), true);
    assert.equal(isSqlSourcePath('schema.sql'), true);
    assert.equal(isSqlSourcePath('schema.lp.sql'), true);
    assert.equal(isSqlSourcePath('SCHEMA.SQL'), true);
    assert.equal(isSqlSourcePath('schema.json'), false);
    assert.equal(isSqlSourcePath(join(tmp, 'no-such-dir')), false);
  });
});

describe('declarative-only statements', () => {
  const cases: [string, string][] = [
    ['DROP TABLE users;', 'DROP TABLE'],
    ['DROP INDEX users_email_idx;', 'DROP INDEX'],
    ['DROP MATERIALIZED VIEW v;', 'DROP MATERIALIZED VIEW'],
    ['DROP SCHEMA app CASCADE;', 'DROP SCHEMA'],
    ['DROP FUNCTION f();', 'DROP FUNCTION'],
    ['TRUNCATE users;', 'TRUNCATE'],
    ['DELETE FROM users;', 'DELETE'],
    ['UPDATE users SET email = lower(email);', 'UPDATE'],
    ["INSERT INTO users (email) VALUES ('a@b');", 'INSERT'],
    ['COPY users FROM stdin;', 'COPY'],
    ["DO $$ BEGIN RAISE NOTICE 'x'; END $$;", 'DO'],
    ['BEGIN;', 'BEGIN'],
    ['START TRANSACTION;', 'START TRANSACTION'],
    ['COMMIT;', 'COMMIT'],
    ['ROLLBACK;', 'ROLLBACK'],
    ['SAVEPOINT s;', 'SAVEPOINT'],
    ['ALTER TABLE users DROP COLUMN email;', 'ALTER TABLE DROP COLUMN'],
    ['ALTER TABLE users DROP CONSTRAINT users_pkey;', 'ALTER TABLE DROP CONSTRAINT'],
    ['ALTER TABLE users ALTER COLUMN email TYPE varchar(10);', 'ALTER TABLE ALTER COLUMN TYPE'],
    ['ALTER TABLE users ALTER COLUMN email DROP NOT NULL;', 'ALTER TABLE ALTER COLUMN DROP NOT NULL'],
    ['ALTER TABLE users ALTER COLUMN email DROP DEFAULT;', 'ALTER TABLE ALTER COLUMN DROP DEFAULT'],
    ['ALTER TABLE users ADD CONSTRAINT c CHECK (true), DROP COLUMN x;', 'ALTER TABLE DROP COLUMN'],
    ['ALTER TABLE users RENAME TO people;', 'ALTER TABLE RENAME'],
    ['ALTER TABLE users RENAME COLUMN email TO mail;', 'ALTER TABLE RENAME COLUMN'],
    ['ALTER INDEX i RENAME TO j;', 'ALTER INDEX RENAME'],
    ["ALTER TYPE status ADD VALUE 'archived';", 'ALTER TYPE'],
    ['ALTER SEQUENCE s RESTART WITH 1;', 'ALTER SEQUENCE'],
    ['SELECT 1;', 'SELECT'],
    ["SELECT pg_catalog.setval('s', 1, true);", 'SELECT'],
    ['CREATE TABLE copy AS SELECT * FROM users;', 'CREATE TABLE AS'],
    ['SELECT * INTO copy FROM users;', 'SELECT INTO'],
    ['CREATE TEMPORARY TABLE t (id int);', 'CREATE TEMPORARY TABLE'],
    ['VACUUM users;', 'VACUUM'],
    ['ANALYZE users;', 'ANALYZE'],
    ['REFRESH MATERIALIZED VIEW v;', 'REFRESH MATERIALIZED VIEW'],
    ['CREATE ROLE app_user;', 'CREATE ROLE'],
    ['CREATE DATABASE other;', 'CREATE DATABASE'],
    ['LOCK TABLE users;', 'LOCK'],
    ['EXPLAIN SELECT 1;', 'EXPLAIN'],
  ];
  for (const [sql, kind] of cases) {
    it(`refuses ${kind}`, async () => {
      assert.equal(
        await refusal(`CREATE TABLE users (id int);\n  ${sql}\n`),
        `schema.sql:2:3: ${kind} is not allowed in a schema file (only declarative statements): ${sql.replace(/;$/, '')}`,
      );
    });
  }

  it("skips pg_dump's \\restrict / \\unrestrict lines, keeping lines and columns", async () => {
    const text = '--\n\\restrict Ab12cD\n\nCREATE TABLE public.t (id integer);\n\n\\unrestrict Ab12cD\n';
    const { statements, diagnostics } = await parseSqlText(text, 'dump.sql');
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(statements.map((st) => [st.line, st.column, st.sql]), [[4, 1, 'CREATE TABLE public.t (id integer)']]);
  });

  it('accepts what pg_dump --schema-only writes', async () => {
    const sql = [
      "SET default_tablespace = '';",
      "SELECT pg_catalog.set_config('search_path', '', false);",
      'CREATE TABLE public.t (id integer NOT NULL, parent integer);',
      'CREATE TABLE public.p (id integer) PARTITION BY RANGE (id);',
      'CREATE TABLE public.p1 (id integer);',
      'ALTER TABLE ONLY public.p ATTACH PARTITION public.p1 FOR VALUES FROM (0) TO (10);',
      'ALTER TABLE public.t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME public.t_id_seq START WITH 1);',
      'ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);',
      'ALTER TABLE ONLY public.t ADD CONSTRAINT t_parent_fkey FOREIGN KEY (parent) REFERENCES public.t(id);',
      'ALTER TABLE public.t ALTER COLUMN parent SET NOT NULL;',
      'ALTER TABLE public.t OWNER TO postgres;',
      'ALTER TABLE public.t FORCE ROW LEVEL SECURITY;',
      'ALTER TABLE ONLY public.t REPLICA IDENTITY FULL;',
      'CREATE INDEX CONCURRENTLY t_parent_idx ON public.t (parent);',
      'ALTER FUNCTION public.f() OWNER TO postgres;',
      'CREATE TYPE public.r AS RANGE (subtype = integer);',
      'CREATE AGGREGATE public.agg(integer) (sfunc = int4pl, stype = integer);',
      'CREATE RULE r AS ON INSERT TO public.t DO INSTEAD NOTHING;',
    ].join('\n');
    const { statements, diagnostics } = await parseSqlText(sql, 'dump.sql');
    assert.deepEqual(diagnostics, []);
    assert.equal(statements.length, 18);
  });

  it('shortens the quoted statement to 80 characters on one line', async () => {
    const long = `DELETE FROM users\n  WHERE ${Array.from({ length: 20 }, (_, i) => `c${i} = ${i}`).join(' AND ')};`;
    assert.equal(
      await refusal(long),
      'schema.sql:1:1: DELETE is not allowed in a schema file (only declarative statements): DELETE FROM users WHERE c0 = 0 AND c1 = 1 AND c2 = 2 AND c3 = 3 AND c4 = 4 AND c...',
    );
  });

  it('reports the first problem and keeps every one for check', async () => {
    const dir = join(tmp, 'bad');
    mkdirSync(dir);
    writeFileSync(join(dir, '1.sql'), 'CREATE TABLE t (id int);\n-- then\nDROP TABLE t;\nTRUNCATE t;\n');
    writeFileSync(join(dir, '2.sql'), 'CREATE TABLE u (id int;\n');
    writeFileSync(join(dir, '3.sql'), "INSERT INTO t VALUES (1);");
    const file = (n: string): string => join(dir, n);
    await assert.rejects(loadSqlSource(dir), (error: unknown) => {
      assert.ok(error instanceof SqlSourceError);
      assert.equal(error.exitCode, 2);
      assert.equal(error.message, `${file('1.sql')}:3:1: DROP TABLE is not allowed in a schema file (only declarative statements): DROP TABLE t`);
      assert.equal(error.diagnostics.length, 4);
      return true;
    });
    const all = await checkSqlSource(dir);
    assert.deepEqual(
      all.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`),
      [
        `${file('1.sql')}:3:1: DROP TABLE is not allowed in a schema file (only declarative statements): DROP TABLE t`,
        `${file('1.sql')}:4:1: TRUNCATE is not allowed in a schema file (only declarative statements): TRUNCATE t`,
        `${file('2.sql')}:1:23: syntax error at or near ";"`,
        `${file('3.sql')}:1:1: INSERT is not allowed in a schema file (only declarative statements): INSERT INTO t VALUES (1)`,
      ],
    );
  });
});

describe('syntax errors', () => {
  it('name file:line:col and show the source line with a caret', async () => {
    const path = write('syntax.sql', 'CREATE TABLE a (id int);\n\nCREATE TABLEX b (id int);\n');
    await rejects(
      loadSqlSource(path),
      `${path}:3:8: syntax error at or near "TABLEX"\n  CREATE TABLEX b (id int);\n         ^`,
    );
  });

  it('count columns in characters after non-ASCII text and keep tabs under the caret', async () => {
    const path = write('unicode.sql', '-- ünïcödé 😀 ok\nCREATE TABLE "😀é" (id int);\n\t/* ü */ CREATE "ü" TABLEX;\n');
    await rejects(
      loadSqlSource(path),
      `${path}:3:17: syntax error at or near ""ü""\n  \t/* ü */ CREATE "ü" TABLEX;\n  \t               ^`,
    );
  });

  it('point just after the last token at end of input', async () => {
    const path = write('eof.sql', 'CREATE TABLE é (\n  id int\n\n\n');
    await rejects(loadSqlSource(path), `${path}:2:9: syntax error at end of input\n    id int\n          ^`);
  });

  it('report unterminated strings', async () => {
    const path = write('quote.sql', "COMMENT ON TABLE t IS 'oops;\n");
    await rejects(loadSqlSource(path), `${path}:1:23: unterminated quoted string at or near "'oops;\n"\n  COMMENT ON TABLE t IS 'oops;\n                        ^`);
  });
});

describe('byte offsets vs character offsets', () => {
  it('maps the parser byte offsets of statements after multi-byte text', async () => {
    const text = 'CREATE TABLE "ä" (id int); CREATE TABLE "😀" (id int);\n/* ß */  CREATE TABLE t3 (id int);';
    const { statements } = await parseSqlText(text, 'x.sql');
    assert.deepEqual(
      statements.map((s) => [s.line, s.column, s.sql]),
      [
        [1, 1, 'CREATE TABLE "ä" (id int)'],
        [1, 28, 'CREATE TABLE "😀" (id int)'],
        [2, 10, 'CREATE TABLE t3 (id int)'],
      ],
    );
  });

  it('locates a Postgres runtime error position inside a statement (PGlite)', async () => {
    const path = write('runtime.sql', '-- ü\nCREATE TABLE "ü😀" (\n  a int,\n  b nosuchtype\n);\n');
    const statements = await loadSqlSource(path);
    const db = new PGlite();
    try {
      await assert.rejects(db.exec(statements[0]!.sql), (error: unknown) => {
        const position = (error as { position?: string }).position;
        assert.equal(formatLocation(locate(statements, 0, position)), `${path}:4:5`);
        return true;
      });
    } finally {
      await db.close();
    }
    assert.equal(formatLocation(locate(statements, 0)), `${path}:2:1`);
    assert.equal(formatLocation(locate(statements, 0, 14)), `${path}:2:14`);
    assert.equal(formatLocation(locate(statements, 0, 18)), `${path}:2:18`);
  });
});
