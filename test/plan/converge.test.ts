// The converge property (DESIGN rule 4): for random schemas A and B, applying
// buildPlan(A, B) to a database holding A yields B, planning again is empty,
// and applying the rollback yields A again. A and B are the introspected
// forms of the generated schemas, so both sides speak the catalog's spelling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { connect, type PgSession } from '../../src/dialects/postgres/session.js';
import { buildPlan, rollbackPlan } from '../../src/plan/index.js';
import { schemaHash, stableStringify } from '../../src/schema/hash.js';
import type { Schema } from '../../src/schema/types.js';
import { serverTest, withServerSession } from '../helpers/databases.js';
import { schemaPair } from './arbitraries.js';
import { applyPlan, loadSchema, resetDatabase } from './support.js';

const RUNS = Number(process.env.LOCKPLANE_CONVERGE_RUNS ?? 200);
const SERVER_RUNS = Number(process.env.LOCKPLANE_CONVERGE_SERVER_RUNS ?? 25);
/** Replays a failure: LOCKPLANE_CONVERGE_SEED (and LOCKPLANE_CONVERGE_PATH) from fast-check's report. */
const SEED = process.env.LOCKPLANE_CONVERGE_SEED ? Number(process.env.LOCKPLANE_CONVERGE_SEED) : undefined;
const PATH = process.env.LOCKPLANE_CONVERGE_PATH;

function same(actual: Schema, expected: Schema, what: string): void {
  if (schemaHash(actual) === schemaHash(expected)) return;
  assert.fail(`${what}\nexpected: ${stableStringify(expected)}\nactual:   ${stableStringify(actual)}`);
}

async function convergeOnce(target: PgSession, scratch: PgSession, a: Schema, b: Schema): Promise<void> {
  await resetDatabase(target);
  await resetDatabase(scratch);
  await loadSchema(target, a);
  await loadSchema(scratch, b);
  const from = await introspect(target);
  const to = await introspect(scratch);

  const plan = buildPlan(from, to);
  await applyPlan(target, plan);
  const reached = await introspect(target);
  same(reached, to, 'after applying the plan the database is not B');
  assert.deepEqual(buildPlan(reached, to).steps, [], 'a second plan is not empty');

  const back = rollbackPlan(plan, from);
  await applyPlan(target, back);
  same(await introspect(target), from, 'after applying the rollback the database is not A');
}

async function property(target: PgSession, scratch: PgSession, runs: number, virtual: boolean): Promise<void> {
  await fc.assert(
    fc.asyncProperty(schemaPair({ virtual }), async ([a, b]) => convergeOnce(target, scratch, a, b)),
    { numRuns: runs, includeErrorInReport: true, ...(SEED !== undefined ? { seed: SEED } : {}), ...(PATH ? { path: PATH } : {}) },
  );
}

test(`converge on PGlite (${RUNS} runs)`, { timeout: 600_000 }, async () => {
  const target = await connect('pglite://memory');
  const scratch = await connect('pglite://memory');
  try {
    await property(target, scratch, RUNS, true);
  } finally {
    await target.close();
    await scratch.close();
  }
});

serverTest(
  `converge on the Postgres server (${SERVER_RUNS} runs)`,
  async () => {
    await withServerSession((target) =>
      withServerSession((scratch) => property(target, scratch, SERVER_RUNS, false)),
    );
  },
  { timeout: 600_000 },
);
