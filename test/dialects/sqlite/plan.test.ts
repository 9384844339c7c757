// SQLite plans: ALTER TABLE where SQLite allows it, the table rebuild
// otherwise, indexes / views / triggers around them, renames, hazards.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { applySqlitePlan, buildSqlitePlan, introspectSqlite, sqliteSchemaHash, validateSqlitePlan } from '../../../src/dialects/sqlite/index.js';
import { normalizeSqliteSql } from '../../../src/dialects/sqlite/desired.js';
import type { Schema } from '../../../src/schema/types.js';
import { stepStatements, type Plan } from '../../../src/plan/types.js';
import { memoryWith } from './support.js';

const desired = (statements: string[]): Promise<Schema> => normalizeSqliteSql(statements.map((sql, i) => ({ where: `desired:${i + 1}`, sql })));

async function planBetween(t: TestContext, from: string[], to: string[], rows: string[] = []) {
  const db = await memoryWith(t, [...from, ...rows]);
  const a = await introspectSqlite(db);
  const b = await desired(to);
  const plan = buildSqlitePlan(a, b);
  return { db, a, b, plan };
}

const allSql = (plan: Plan): string[] => plan.steps.flatMap((s) => stepStatements(s));

test('ADD COLUMN and DROP COLUMN use ALTER TABLE when SQLite allows them', async (t) => {
  const { db, b, plan } = await planBetween(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY, old TEXT, keep INT)'], ['CREATE TABLE t (id INTEGER PRIMARY KEY, keep INT, added TEXT DEFAULT \'d\' NOT NULL)'], ["INSERT INTO t VALUES (1, 'o', 7)"]);
  assert.deepEqual(allSql(plan), ['ALTER TABLE "t" ADD COLUMN "added" TEXT NOT NULL DEFAULT \'d\'', 'ALTER TABLE "t" DROP COLUMN "old"']);
  assert.deepEqual(plan.steps[0]!.hazards, ['LP202']);
  await applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! });
  assert.equal(sqliteSchemaHash(await introspectSqlite(db)), sqliteSchemaHash(b));
  assert.deepEqual(await db.query('SELECT * FROM t'), [{ id: 1n, keep: 7n, added: 'd' }]);
});

test('type, nullability, default, check, unique and foreign-key changes rebuild the table and keep its rows', async (t) => {
  const from = ['CREATE TABLE p (id INTEGER PRIMARY KEY)', 'CREATE TABLE t (id INTEGER PRIMARY KEY, n INT, s TEXT, pid INT)', 'CREATE INDEX t_s ON t (s)'];
  const to = ['CREATE TABLE p (id INTEGER PRIMARY KEY)', "CREATE TABLE t (id INTEGER PRIMARY KEY, n TEXT NOT NULL DEFAULT '0' CHECK (length(n) < 5), s TEXT UNIQUE, pid INT REFERENCES p(id) ON DELETE CASCADE)", 'CREATE INDEX t_s ON t (s)'];
  const { db, b, plan } = await planBetween(t, from, to, ['INSERT INTO p VALUES (1)', "INSERT INTO t VALUES (1, 5, 'a', 1), (2, 6, 'b', NULL)"]);
  assert.equal(plan.steps.length, 1);
  assert.match(plan.steps[0]!.description, /^Rebuild table t/);
  const sql = stepStatements(plan.steps[0]!);
  assert.match(sql[0]!, /^CREATE TABLE "_lockplane_new_t"/);
  assert.deepEqual(sql.slice(1), [
    'INSERT INTO "_lockplane_new_t" ("id", "n", "s", "pid") SELECT "id", "n", "s", "pid" FROM "t"',
    'DROP TABLE "t"',
    'ALTER TABLE "_lockplane_new_t" RENAME TO "t"',
    'CREATE INDEX "t_s" ON "t" ("s")',
  ]);
  assert.deepEqual(plan.steps[0]!.hazards, ['LP170', 'LP102', 'LP171', 'LP205', 'LP206']);
  await applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! });
  assert.equal(sqliteSchemaHash(await introspectSqlite(db)), sqliteSchemaHash(b));
  assert.deepEqual(await db.query('SELECT id, n, s, pid FROM t ORDER BY id'), [{ id: 1n, n: '5', s: 'a', pid: 1n }, { id: 2n, n: '6', s: 'b', pid: null }]);
  await db.exec('DELETE FROM p');
  assert.deepEqual(await db.query('SELECT count(*) AS n FROM t WHERE pid IS NOT NULL'), [{ n: 0n }], 'the new ON DELETE CASCADE works');
});

test('STRICT, WITHOUT ROWID and AUTOINCREMENT changes are rebuilds, never no-ops', async (t) => {
  for (const [from, to] of [
    ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)', 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT'],
    ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)', 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID'],
    ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)', 'CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)'],
  ] as const) {
    const { db, b, plan } = await planBetween(t, [from], [to], ["INSERT INTO t VALUES (1, 'x')"]);
    assert.match(plan.steps[0]?.description ?? '', /^Rebuild table t/, to);
    await applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! });
    assert.equal(sqliteSchemaHash(await introspectSqlite(db)), sqliteSchemaHash(b), to);
    assert.deepEqual(await db.query('SELECT id, v FROM t'), [{ id: 1n, v: 'x' }]);
  }
});

test('indexes are dropped and created on tables that are not rebuilt', async (t) => {
  const { plan } = await planBetween(t, ['CREATE TABLE t (a INT, b INT)', 'CREATE INDEX t_a ON t (a)'], ['CREATE TABLE t (a INT, b INT)', 'CREATE UNIQUE INDEX t_a ON t (a) WHERE a > 0', 'CREATE INDEX t_b ON t (lower(b))']);
  assert.deepEqual(plan.steps.map((s) => [s.description, s.sql, s.reverse?.sql]), [
    ['Drop index t_a on t', ['DROP INDEX "t_a"'], ['CREATE INDEX "t_a" ON "t" ("a")']],
    ['Create index t_a on t', ['CREATE UNIQUE INDEX "t_a" ON "t" ("a") WHERE a > 0'], ['DROP INDEX "t_a"']],
    ['Create index t_b on t', ['CREATE INDEX "t_b" ON "t" (lower(b))'], ['DROP INDEX "t_b"']],
  ]);
});

test('views and triggers that name a rebuilt table are dropped first and created last', async (t) => {
  const schema = (type: string) => [
    `CREATE TABLE t (id INTEGER PRIMARY KEY, v ${type})`,
    'CREATE TABLE log (n INT)',
    'CREATE VIEW tv AS SELECT v FROM t',
    'CREATE TRIGGER log_t AFTER INSERT ON log BEGIN DELETE FROM t WHERE 0; END',
  ];
  const { db, b, plan } = await planBetween(t, schema('INT'), schema('TEXT'));
  assert.deepEqual(plan.steps.map((s) => s.description), ['Drop trigger log_t on log', 'Drop view tv', 'Rebuild table t (change v)', 'Create view tv', 'Create trigger log_t on log']);
  await applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! });
  assert.equal(sqliteSchemaHash(await introspectSqlite(db)), sqliteSchemaHash(b));
});

test('renames from a JSON schema use ALTER TABLE … RENAME', async () => {
  const a: Schema = { dialect: 'sqlite', tables: [{ name: 'old', columns: [{ name: 'c', type: 'INT', nullable: true }] }] };
  const b: Schema = { dialect: 'sqlite', tables: [{ name: 'new', renamed_from: 'old', columns: [{ name: 'd', renamed_from: 'c', type: 'INT', nullable: true }] }] };
  const plan = buildSqlitePlan(a, b);
  assert.deepEqual(plan.steps.map((s) => [s.sql, s.hazards]), [
    [['ALTER TABLE "old" RENAME TO "new"'], ['LP209']],
    [['ALTER TABLE "new" RENAME COLUMN "c" TO "d"'], ['LP209']],
  ]);
});

test('validation: NOT NULL without default is blocked, drops are flagged as data loss', async (t) => {
  const { a, b } = await planBetween(t, ['CREATE TABLE t (id INTEGER PRIMARY KEY)', 'CREATE TABLE gone (x INT)'], ['CREATE TABLE t (id INTEGER PRIMARY KEY, must TEXT NOT NULL)']);
  const findings = validateSqlitePlan(a, b).flatMap((s) => s.findings.map((f) => [f.code, f.blocking, f.data_loss ?? false]));
  assert.deepEqual(findings, [
    ['LP170', false, false],
    ['LP101', true, false],
    ['LP201', false, true],
  ]);
  assert.equal(validateSqlitePlan(a, b).find((s) => s.description === 'Drop table gone')?.reversible, false);
});

test('equal schemas plan nothing', async (t) => {
  const ddl = ['CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT CHECK (v <> \'\'))', 'CREATE INDEX t_v ON t (v)', 'CREATE VIEW tv AS SELECT * FROM t'];
  const { plan } = await planBetween(t, ddl, ddl);
  assert.deepEqual(plan.steps, []);
  assert.equal(plan.source_hash, plan.target_hash);
});

test('names that differ only in case are the same table and column: renamed, with the references SQLite rewrites, rows kept', async (t) => {
  const from = ['CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)', 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INT REFERENCES users(id))'];
  const to = ['CREATE TABLE useRs (id INTEGER PRIMARY KEY, Name TEXT)', 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INT REFERENCES USERS(id))'];
  const { db, b, plan } = await planBetween(t, from, to, ["INSERT INTO users VALUES (1, 'n')", 'INSERT INTO posts VALUES (1, 1)']);
  assert.deepEqual(plan.steps.map((s) => s.sql), [
    ['ALTER TABLE "users" RENAME TO "_lockplane_rename_useRs"', 'ALTER TABLE "_lockplane_rename_useRs" RENAME TO "useRs"'],
    ['ALTER TABLE "useRs" RENAME COLUMN "name" TO "Name"'],
  ]);
  await applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! });
  assert.equal(sqliteSchemaHash(await introspectSqlite(db)), sqliteSchemaHash(b));
  assert.deepEqual(await db.query('SELECT u.Name, p.id FROM useRs u JOIN posts p ON p.user_id = u.id'), [{ Name: 'n', id: 1n }]);
});

test('defaults, CHECKs, generated columns and index expressions spelled differently (spacing, keyword and function case, redundant parentheses) plan nothing; a real change still does', async (t) => {
  const from = [
    "CREATE TABLE t (id INTEGER PRIMARY KEY, n INT DEFAULT (1+2) CHECK ((n>0) and (n<100)), s TEXT DEFAULT ((('x'))) check(LENGTH(s)<5), at TEXT DEFAULT current_timestamp, g INT GENERATED ALWAYS AS ((n*2)) VIRTUAL, CHECK (s IS NOT NULL OR n BETWEEN 1 AND 5))",
    'CREATE INDEX t_lower ON t (LOWER(s)) WHERE (n IS not null)',
  ];
  const to = [
    "CREATE TABLE t (id INTEGER PRIMARY KEY, n INT DEFAULT (1 + 2) CHECK (n > 0 AND n < 100), s TEXT DEFAULT 'x' CHECK (length(s) < 5), at TEXT DEFAULT CURRENT_TIMESTAMP, g INT GENERATED ALWAYS AS (n * 2) VIRTUAL, check ((s is not null) or (n between 1 and 5)))",
    'CREATE INDEX t_lower ON t (lower(s)) WHERE n IS NOT NULL',
  ];
  const { a, b, plan } = await planBetween(t, from, to);
  assert.deepEqual(plan.steps, []);
  assert.equal(sqliteSchemaHash(a), sqliteSchemaHash(b));
  const n = b.tables[0]!.columns.find((c) => c.name === 'n')!;
  assert.equal(n.default, '1 + 2');
  assert.deepEqual(b.tables[0]!.check_constraints?.map((c) => c.expression).sort(), ['length(s) < 5', 'n > 0 AND n < 100', 's IS NOT NULL OR n BETWEEN 1 AND 5']);

  const changed = await planBetween(t, from, [to[0]!.replace('n < 100', 'n < 101'), to[1]!]);
  assert.deepEqual(changed.plan.steps.map((s) => s.description), ['Rebuild table t (constraints or table options)']);
  const grouping = await planBetween(t, from, [to[0]!.replace('CHECK (n > 0 AND n < 100)', 'CHECK (n > 0 AND (n < 100 OR n = 7))'), to[1]!]);
  assert.equal(grouping.plan.steps.length, 1, 'parentheses that change the meaning are kept');
  const column = await planBetween(t, ['CREATE TABLE v (k INT)', 'CREATE INDEX v_k ON v ((k))'], ['CREATE TABLE v (k INT)', 'CREATE INDEX v_k ON v (k)']);
  assert.deepEqual(column.plan.steps, [], 'an index on ((k)) is an index on the column k');
  const inList = await planBetween(t, ['CREATE TABLE u (k INT CHECK (k IN (1)))'], ['CREATE TABLE u (k INT CHECK (k in (1)))']);
  assert.deepEqual(inList.plan.steps, [], 'IN (…) keeps its parentheses and reads the same');
  assert.equal(inList.b.tables[0]!.check_constraints![0]!.expression, 'k IN (1)');
});

test('foreign-key actions: rebuilding the parent deletes no child, a changed action takes effect on the rows kept', async (t) => {
  const from = ['CREATE TABLE p (id INTEGER PRIMARY KEY, v INT)', 'CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT REFERENCES p(id) ON DELETE CASCADE)'];
  const to = ['CREATE TABLE p (id INTEGER PRIMARY KEY, v TEXT)', 'CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT REFERENCES p(id) ON DELETE SET NULL ON UPDATE CASCADE)'];
  const { db, b, plan } = await planBetween(t, from, to, ['PRAGMA foreign_keys = ON', 'INSERT INTO p VALUES (1, 1), (2, 2)', 'INSERT INTO c VALUES (10, 1), (20, 2)']);
  assert.deepEqual(plan.steps.map((s) => s.description.replace(/ \(.*/, '')), ['Rebuild table c', 'Rebuild table p']);
  await applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash! });
  assert.equal(sqliteSchemaHash(await introspectSqlite(db)), sqliteSchemaHash(b));
  assert.deepEqual(await db.query('SELECT id, pid FROM c ORDER BY id'), [{ id: 10n, pid: 1n }, { id: 20n, pid: 2n }], 'dropping the old parent cascaded nothing');
  assert.deepEqual(await db.query('PRAGMA foreign_keys'), [{ foreign_keys: 1n }]);
  await db.exec('DELETE FROM p WHERE id = 1');
  await db.exec('UPDATE p SET id = 3 WHERE id = 2');
  assert.deepEqual(await db.query('SELECT id, pid FROM c ORDER BY id'), [{ id: 10n, pid: null }, { id: 20n, pid: 3n }], 'ON DELETE SET NULL and ON UPDATE CASCADE act');
});
