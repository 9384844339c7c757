// A CHECK whose printed form is not a parse fixpoint (an IN-list over a
// varchar column) still converges: the desired schema holds the form a
// target gets when the plan executes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executePlan } from '../../src/apply/execute.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { buildPlan } from '../../src/plan/build.js';
import { normalizeSql } from '../../src/shadow/normalize.js';
import { closeIdleScratch } from '../../src/shadow/scratch.js';
import { EMBEDDED_POSTGRES_MAJOR } from '../../src/shadow/engine.js';
import { loadSqlSource } from '../../src/sql/index.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

const SQL = `
CREATE TABLE orders (
  id integer PRIMARY KEY,
  status varchar(10) NOT NULL,
  amount numeric(10,2),
  CONSTRAINT valid_status CHECK (status IN ('pending', 'shipped', 'delivered')),
  CONSTRAINT positive CHECK (amount > 0)
);`;

async function desired() {
  const dir = mkdtempSync(join(tmpdir(), 'lockplane-settle-'));
  writeFileSync(join(dir, 'schema.sql'), SQL);
  try {
    return await normalizeSql(await loadSqlSource(join(dir, 'schema.sql')), { cacheDir: null });
  } finally {
    await closeIdleScratch();
  }
}

async function converges(target: PgSession): Promise<void> {
  const want = await desired();
  const check = want.tables[0]!.check_constraints!.find((c) => c.name === 'valid_status')!;
  assert.match(check.expression, /ARRAY\[\('pending'::character varying\)::text/, 'the settled form');
  const plan = buildPlan(await introspect(target), want);
  await executePlan(target, plan);
  const second = buildPlan(await introspect(target), want);
  assert.deepEqual(second.steps.map((s) => s.description), [], 'a second plan is empty');
}

test('an IN-list CHECK over varchar converges on PGlite', { timeout: 60_000 }, () => withPglite(converges));
serverTest('an IN-list CHECK over varchar converges on the server', () => withServerSession(converges));

test('EMBEDDED_POSTGRES_MAJOR is the embedded engine\'s major version', { timeout: 60_000 }, () =>
  withPglite(async (session) => {
    const [row] = await session.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
    assert.equal(Math.floor(Number(row!.v) / 10000), EMBEDDED_POSTGRES_MAJOR);
  }),
);
