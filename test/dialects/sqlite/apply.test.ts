// Applying SQLite plans: all or nothing. Failing steps, rows that break a new
// CHECK or foreign key, a stale source hash and a concurrent writer all leave
// the schema and rows exactly as they were (the ledger records the failure);
// success writes one `applied` ledger row.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  applySqlitePlan,
  buildSqlitePlan,
  introspectSqlite,
  latestApplyOfPlan,
  listSqliteApplies,
  openSqlite,
  proveSqlitePlan,
  SQLITE_LEDGER_TABLE,
  sqliteSchemaHash,
  type SqliteSession,
} from '../../../src/dialects/sqlite/index.js';
import { normalizeSqliteSql } from '../../../src/dialects/sqlite/desired.js';
import { openShadow } from '../../../src/dialects/sqlite/shadow.js';
import type { Schema } from '../../../src/schema/types.js';
import { memoryWith, tempDir } from './support.js';

const desired = (statements: string[]): Promise<Schema> => normalizeSqliteSql(statements.map((sql, i) => ({ where: `desired:${i + 1}`, sql })));

async function snapshot(db: SqliteSession): Promise<{ hash: string; rows: unknown[] }> {
  return { hash: sqliteSchemaHash(await introspectSqlite(db)), rows: await db.query('SELECT * FROM t ORDER BY 1') };
}

async function refusedAndUnchanged(t: TestContext, from: string[], rows: string[], to: string[], message: RegExp): Promise<void> {
  const db = await memoryWith(t, [...from, ...rows]);
  const before = await snapshot(db);
  const plan = buildSqlitePlan(await introspectSqlite(db), await desired(to));
  await assert.rejects(applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! }), message);
  assert.deepEqual(await snapshot(db), before);
  const ledger = await listSqliteApplies(db, 10);
  assert.deepEqual(ledger.map((a) => [a.status, a.steps_done, a.steps_total]), [['failed', 0, plan.steps.length]], 'the failure is recorded, nothing as applied');
  assert.match(ledger[0]!.error!, message);
  assert.deepEqual(await db.query('PRAGMA foreign_keys'), [{ foreign_keys: 1n }], 'foreign keys are back on');
}

test('a rebuild that meets NULLs in a new NOT NULL column fails and changes nothing', async (t) => {
  await refusedAndUnchanged(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)'], ['INSERT INTO t VALUES (1, NULL)'], ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)'], /step 1 \(Rebuild table t \(change v\)\) failed: NOT NULL constraint failed.*nothing was applied/);
});

test('a rebuild whose rows break a new CHECK fails and changes nothing', async (t) => {
  await refusedAndUnchanged(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY, n INT)'], ['INSERT INTO t VALUES (1, -5)'], ['CREATE TABLE t (id INTEGER PRIMARY KEY, n INT CHECK (n > 0))'], /CHECK constraint failed/);
});

test('a rebuild that leaves rows without their parent is caught by foreign_key_check and changes nothing', async (t) => {
  await refusedAndUnchanged(
    t,
    ['CREATE TABLE p (id INTEGER PRIMARY KEY)', 'CREATE TABLE t (id INTEGER PRIMARY KEY, pid INT)'],
    ['INSERT INTO t VALUES (1, 99)'],
    ['CREATE TABLE p (id INTEGER PRIMARY KEY)', 'CREATE TABLE t (id INTEGER PRIMARY KEY, pid INT REFERENCES p(id))'],
    /the plan leaves rows violating foreign keys \(PRAGMA foreign_key_check\); nothing was applied/,
  );
});

test('a ledger table of the first shape (every row an apply that succeeded) is upgraded in the apply, its rows kept', async (t) => {
  const db = await memoryWith(t, [
    'CREATE TABLE t (id INTEGER PRIMARY KEY)',
    `CREATE TABLE ${SQLITE_LEDGER_TABLE} (id INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, source_hash TEXT, target_hash TEXT, steps INTEGER NOT NULL, plan TEXT NOT NULL, new_fk_violations INTEGER NOT NULL CHECK (new_fk_violations <= 0))`,
    `INSERT INTO ${SQLITE_LEDGER_TABLE} (source_hash, target_hash, steps, plan, new_fk_violations) VALUES ('s', 't', 2, '{}', 0)`,
  ]);
  const plan = buildSqlitePlan(await introspectSqlite(db), await desired(['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)']));
  await applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! });
  const rows = await listSqliteApplies(db, 10);
  assert.deepEqual(rows.map((r) => [r.id, r.status, r.steps_done, r.source_hash]), [[2, 'applied', 1, plan.source_hash], [1, 'applied', 2, 's']]);
});

test('a stale source hash is refused before any step', async (t) => {
  const db = await memoryWith(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY)']);
  const plan = buildSqlitePlan(await introspectSqlite(db), await desired(['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)']));
  await db.exec('CREATE TABLE other (x INT)');
  const before = await snapshot(db);
  await assert.rejects(applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! }), /source_hash differs/);
  assert.deepEqual(await snapshot(db), before);
  assert.deepEqual((await listSqliteApplies(db, 10)).map((a) => a.status), ['refused']);
});

test('success records the apply in the ledger table, which introspection leaves out', async (t) => {
  const db = await memoryWith(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY)']);
  const target = await desired(['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)']);
  const plan = buildSqlitePlan(await introspectSqlite(db), target);
  const result = await applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! });
  assert.deepEqual(result, { applyId: 1, stepsApplied: 1 });
  const [row, ...more] = await listSqliteApplies(db, 10);
  assert.equal(more.length, 0);
  assert.deepEqual(
    { id: row!.id, status: row!.status, steps: [row!.steps_done, row!.steps_total], hashes: [row!.source_hash, row!.target_hash], failed: row!.failed_step },
    { id: 1, status: 'applied', steps: [1, 1], hashes: [plan.source_hash, plan.target_hash], failed: null },
  );
  assert.match(row!.started_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(row!.finished_at! >= row!.started_at);
  assert.deepEqual(await latestApplyOfPlan(db, plan), row);
  assert.equal(sqliteSchemaHash(await introspectSqlite(db)), sqliteSchemaHash(target));
});

test('a concurrent writer: apply waits the busy timeout, fails cleanly with nothing applied, then succeeds once it is gone', async (t) => {
  const path = join(tempDir(t), 'app.db');
  const setup = await openSqlite(path);
  await setup.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
  await setup.exec('INSERT INTO t VALUES (1)');
  const plan = buildSqlitePlan(await introspectSqlite(setup), await desired(['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL DEFAULT \'x\')']));
  await setup.close();

  const writer = await openSqlite(path);
  const db = await openSqlite(path, { busyTimeoutMs: 300 });
  t.after(() => db.close());
  let release: () => void = () => undefined;
  const held = writer.transaction(async (tx) => {
    await tx.exec('INSERT INTO t VALUES (2)');
    await new Promise<void>((resolve) => (release = resolve));
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  await assert.rejects(applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! }), /another connection is writing to the database \(SQLITE_BUSY after waiting\); nothing was applied/);
  assert.ok(Date.now() - started >= 250, 'waited for the busy timeout');
  release();
  await held;
  await writer.close();
  const before = await snapshot(db);
  assert.equal(before.hash, plan.source_hash);
  assert.deepEqual(await listSqliteApplies(db, 10), [], 'a busy database takes no ledger row either');
  await applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! });
  assert.deepEqual(await db.query('SELECT id, v FROM t ORDER BY id'), [{ id: 1n, v: 'x' }, { id: 2n, v: 'x' }]);
  assert.deepEqual((await listSqliteApplies(db, 10)).map((a) => a.status), ['applied']);
});

test('proving on a shadow file: an unmarked database is refused, an empty one is marked and used', async (t) => {
  const dir = tempDir(t);
  const used = await openSqlite(join(dir, 'someone.db'));
  await used.exec('CREATE TABLE precious (x INT)');
  await used.close();
  await assert.rejects(openShadow(join(dir, 'someone.db')), /not empty and not marked as a Lockplane shadow/);

  const a = await desired(['CREATE TABLE t (id INTEGER PRIMARY KEY, v INT)']);
  const b = await desired(['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL DEFAULT \'\')']);
  const shadowPath = join(dir, 'shadow.db');
  const proof = await proveSqlitePlan(a, buildSqlitePlan(a, b), shadowPath);
  assert.deepEqual(proof, { shadow: shadowPath, reverse: { ok: true } });
  const again = await proveSqlitePlan(a, buildSqlitePlan(a, b), shadowPath);
  assert.deepEqual(again.reverse, { ok: true }, 'a marked shadow is reset and reused');
});

test('a plan that cannot work fails on the shadow, before the target is touched', async () => {
  const a = await desired(['CREATE TABLE t (id INTEGER PRIMARY KEY)']);
  const plan = { ...buildSqlitePlan(a, await desired(['CREATE TABLE t (id INTEGER PRIMARY KEY)', 'CREATE TABLE u (x INT)'])) };
  plan.steps = [{ description: 'broken', sql: ['CREATE TABLE t (dup INT)'] }];
  await assert.rejects(proveSqlitePlan(a, plan), /the plan failed on the shadow \(:memory:\): step 1 \(broken\) failed: table t already exists/);
});
