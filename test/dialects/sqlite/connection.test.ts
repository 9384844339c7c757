// Where a SQLite / libSQL database is, from each spelling a user writes; the
// auth token never reaches a description.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { kindOfUrl } from '../../../src/config/database.js';
import { isSqliteSpec, locate, openSqlite } from '../../../src/dialects/sqlite/index.js';
import { tempDir } from './support.js';

test('every SQLite spelling is classified as sqlite, libsql:// as libsql, the rest stays Postgres', () => {
  for (const spec of ['sqlite:app.db', 'sqlite:///tmp/x.db', 'file:data/app.db', 'app.db', 'data/x.sqlite', 'y.SQLITE3', ':memory:']) {
    assert.equal(kindOfUrl(spec), 'sqlite', spec);
    assert.ok(isSqliteSpec(spec), spec);
  }
  assert.equal(kindOfUrl('libsql://db-org.turso.io?authToken=abc'), 'libsql');
  assert.ok(isSqliteSpec('libsql://db-org.turso.io'));
  for (const spec of ['postgres://u@h/db', 'pglite://memory', 'schema.sql', 'schema.json', 'schema/']) {
    assert.equal(kindOfUrl(spec), 'postgres', spec);
    assert.ok(!isSqliteSpec(spec), spec);
  }
});

test('file paths resolve to absolute file: URLs; :memory: stays in memory', () => {
  assert.equal(locate('sqlite:rel/app.db').clientUrl, `file:${join(process.cwd(), 'rel/app.db')}`);
  assert.equal(locate('file:/abs/app.db').clientUrl, 'file:/abs/app.db');
  assert.equal(locate('sqlite:///abs/app.db').clientUrl, 'file:/abs/app.db');
  assert.equal(locate('app.sqlite3').description, 'app.sqlite3');
  assert.deepEqual(locate(':memory:'), { clientUrl: ':memory:', description: ':memory:', remote: false });
});

test('libsql:// takes its token from ?authToken= or LIBSQL_AUTH_TOKEN and never shows it', () => {
  const fromQuery = locate('libsql://db-org.turso.io?authToken=SECRET1', {});
  assert.equal(fromQuery.authToken, 'SECRET1');
  assert.equal(fromQuery.clientUrl, 'libsql://db-org.turso.io');
  assert.ok(!fromQuery.description.includes('SECRET1'));
  const fromEnv = locate('libsql://db-org.turso.io', { LIBSQL_AUTH_TOKEN: 'SECRET2' });
  assert.equal(fromEnv.authToken, 'SECRET2');
  assert.ok(!fromEnv.description.includes('SECRET2'));
  assert.equal(locate('libsql://db-org.turso.io', {}).authToken, undefined);
});

test('a file database is created and opened; :memory: opens', async (t) => {
  const path = join(tempDir(t), 'app.db');
  const db = await openSqlite(`sqlite:${path}`);
  await db.exec('CREATE TABLE t (a INT)');
  await db.close();
  assert.ok(existsSync(path));
  const again = await openSqlite(path);
  assert.deepEqual(await again.query("SELECT name FROM sqlite_schema WHERE type = 'table'"), [{ name: 't' }]);
  await again.close();
  const memory = await openSqlite(':memory:');
  assert.deepEqual(await memory.query('SELECT 1 AS x'), [{ x: 1n }]);
  await memory.close();
});

test('an unreachable libsql:// server fails with a one-line error without the token', async () => {
  await assert.rejects(
    openSqlite('libsql://127.0.0.1:9?authToken=TOPSECRET'),
    (error: Error) => !error.message.includes('TOPSECRET') && /cannot open/.test(error.message),
  );
});
