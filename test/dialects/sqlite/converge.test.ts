// The converge property for SQLite (DESIGN rule 4): for random schemas A and
// B, applying buildSqlitePlan(A, B) to a database holding A (with rows) gives
// B, planning again is empty, the rows of every kept table and column are
// still there with the same values and break no foreign key; the rollback
// gives A back, rows too. Foreign keys (with every ON DELETE / ON UPDATE
// action) come, go and change between A and B.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applySqlitePlan,
  buildSqlitePlan,
  introspectSqlite,
  openSqlite,
  renderSqliteDdl,
  rollbackSqlitePlan,
  sqliteSchemaHash,
  type SqliteSession,
} from '../../../src/dialects/sqlite/index.js';
import { normalizeSqliteModel } from '../../../src/dialects/sqlite/desired.js';
import type { Schema } from '../../../src/schema/types.js';
import { stableStringify } from '../../../src/schema/hash.js';
import { rowsFor, sqliteSchemaPair } from './arbitraries.js';

const RUNS = Number(process.env.LOCKPLANE_CONVERGE_RUNS ?? 150);
const SEED = process.env.LOCKPLANE_CONVERGE_SEED ? Number(process.env.LOCKPLANE_CONVERGE_SEED) : undefined;
const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

type Rows = Map<string, Map<string, Record<string, string>>>;

/** Every table's rows by id, values as text, only the columns `keep` lists for it. */
async function rowsOf(db: SqliteSession, keep: Map<string, string[]>): Promise<Rows> {
  const out: Rows = new Map();
  for (const [table, columns] of keep) {
    const rows = await db.query(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)} ORDER BY id`);
    out.set(table, new Map(rows.map((r) => [String(r.id), Object.fromEntries(columns.map((c) => [c, String(r[c])]))])));
  }
  return out;
}

/** Tables on both sides, with their non-generated columns on both sides. */
function shared(a: Schema, b: Schema): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of a.tables) {
    const other = b.tables.find((x) => x.name === t.name);
    if (!other) continue;
    out.set(t.name, t.columns.filter((c) => !c.generated && other.columns.some((o) => o.name === c.name && !o.generated)).map((c) => c.name));
  }
  return out;
}

function same(actual: Schema, expected: Schema, what: string): void {
  if (sqliteSchemaHash(actual) === sqliteSchemaHash(expected)) return;
  assert.fail(`${what}\nexpected: ${stableStringify(expected)}\nactual:   ${stableStringify(actual)}`);
}

async function convergeOnce(pair: [Schema, Schema]): Promise<void> {
  const [a, b] = await Promise.all(pair.map((s, i) => normalizeSqliteModel(s, i === 0 ? 'A' : 'B')));
  const db = await openSqlite(':memory:');
  try {
    for (const sql of [...renderSqliteDdl(a!), ...rowsFor(a!)]) await db.exec(sql);
    const keep = shared(a!, b!);
    const before = await rowsOf(db, keep);

    const plan = buildSqlitePlan(a!, b!);
    await applySqlitePlan(db, plan, { expectedSourceHash: sqliteSchemaHash(a!) });
    const afterForward = await introspectSqlite(db);
    same(afterForward, b!, 'after the plan the database is not B');
    assert.deepEqual(buildSqlitePlan(afterForward, b!).steps, [], 'planning again is not empty');
    assert.deepEqual(await rowsOf(db, keep), before, 'rows changed across the plan');
    assert.deepEqual(await db.query('PRAGMA foreign_key_check'), [], 'rows violate a foreign key after the plan');

    const rollback = await rollbackSqlitePlan(plan, a!);
    await applySqlitePlan(db, rollback, { expectedSourceHash: sqliteSchemaHash(b!) });
    same(await introspectSqlite(db), a!, 'after the rollback the database is not A');
    assert.deepEqual(await rowsOf(db, keep), before, 'rows changed across the rollback');
    assert.deepEqual(await db.query('PRAGMA foreign_key_check'), [], 'rows violate a foreign key after the rollback');
  } finally {
    await db.close();
  }
}

test('SQLite converge: plan(A→B) gives B with the rows kept, is then empty, and the rollback gives A', { timeout: 600_000 }, async () => {
  await fc.assert(fc.asyncProperty(sqliteSchemaPair, convergeOnce), { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) });
});
