// Plans mixing transactional and non-transactional steps: grouping, the
// ledger's per-step record, resumption after a failure, cleanup of an
// INVALID index left by a failed CREATE INDEX CONCURRENTLY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyToTarget } from '../../src/apply/target.js';
import { StepFailedError } from '../../src/apply/execute.js';
import { stepGroups } from '../../src/apply/groups.js';
import { Ledger } from '../../src/apply/ledger.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Plan, PlanStep } from '../../src/plan/types.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

const tx = (sql: string): PlanStep => ({ description: sql, sql, transactional: true });
const alone = (sql: string): PlanStep => ({ description: sql, sql, transactional: false });

const hashOf = async (session: PgSession): Promise<string> => schemaHash(await introspect(session));

interface StepRow {
  step: number;
  status: string;
  transactional: boolean;
  /** What the step's row records of the database after it: a catalog stamp, a schema hash, or nothing. */
  state: 'stamp' | 'hash' | null;
  error: string | null;
}

async function stepRows(session: PgSession, applyId: number): Promise<StepRow[]> {
  return session.query<StepRow>(
    `SELECT step, status, transactional, error,
            CASE WHEN catalog_stamp IS NOT NULL THEN 'stamp' WHEN schema_hash IS NOT NULL THEN 'hash' END AS state
       FROM lockplane.apply_steps WHERE apply_id = $1 ORDER BY step`,
    [applyId],
  );
}

test('steps are grouped: consecutive transactional steps together, each non-transactional one alone', () => {
  const steps = [tx('a'), tx('b'), alone('c'), alone('d'), tx('e'), { description: 'f', sql: 'f' }];
  assert.deepEqual(stepGroups(steps), [
    { start: 0, end: 2, transactional: true },
    { start: 2, end: 3, transactional: false },
    { start: 3, end: 4, transactional: false },
    { start: 4, end: 6, transactional: true },
  ]);
  assert.deepEqual(stepGroups(steps, 3), [
    { start: 3, end: 4, transactional: false },
    { start: 4, end: 6, transactional: true },
  ]);
});

const MIXED: Plan = {
  steps: [
    tx('CREATE TABLE a (id int NOT NULL, v int)'),
    tx('CREATE TABLE b (id int)'),
    alone('CREATE INDEX CONCURRENTLY a_v_idx ON a (v)'),
    tx('ALTER TABLE b ADD COLUMN w int'),
  ],
};

async function mixedPlanRecordsEveryStep(session: PgSession): Promise<void> {
  const result = await applyToTarget(session, MIXED, { expectedSourceHash: await hashOf(session) });
  assert.equal(result.stepsApplied, 4);
  assert.deepEqual(
    (await stepRows(session, result.applyId)).map((r) => [r.step, r.status, r.transactional, r.state]),
    [
      [1, 'applied', true, null],
      [2, 'applied', true, 'stamp'],
      [3, 'applied', false, 'stamp'],
      [4, 'applied', true, 'hash'],
    ],
  );
  const valid = await session.query<{ valid: boolean }>(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'a_v_idx'::regclass`);
  assert.deepEqual(valid, [{ valid: true }]);
  const [apply] = await new Ledger(session).list(1);
  assert.equal(apply!.status, 'applied');
  assert.equal(apply!.steps_done, 4);
}

test('a mixed plan on PGlite: every step in the ledger, catalog stamps at group ends, the hash at the last', { timeout: 60_000 }, () => withPglite(mixedPlanRecordsEveryStep));
serverTest('a mixed plan on the server: every step in the ledger, catalog stamps at group ends, the hash at the last', () => withServerSession(mixedPlanRecordsEveryStep));

serverTest('a failed CREATE UNIQUE INDEX CONCURRENTLY: ledger names it, its INVALID index is dropped on resume', () =>
  withServerSession(async (session) => {
    await session.exec('CREATE TABLE t (id int)');
    await session.exec('INSERT INTO t VALUES (1), (1)');
    const plan: Plan = {
      steps: [tx('CREATE TABLE other (id int)'), alone('CREATE UNIQUE INDEX CONCURRENTLY t_id_key ON t (id)'), tx('ALTER TABLE other ADD COLUMN v int')],
    };
    const source = await hashOf(session);
    await assert.rejects(applyToTarget(session, plan, { expectedSourceHash: source }), (error: unknown) => {
      assert.ok(error instanceof StepFailedError);
      assert.equal(error.stepIndex, 1);
      return true;
    });
    const [failed] = await new Ledger(session).list(1);
    assert.deepEqual([failed!.status, failed!.failed_step, failed!.steps_done], ['failed', 2, 1]);
    const rows = await stepRows(session, failed!.id);
    assert.deepEqual(rows.map((r) => [r.step, r.status]), [[1, 'applied'], [2, 'failed']]);
    assert.match(rows[1]!.error ?? '', /could not create unique index/);
    const leftover = await session.query<{ valid: boolean }>(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 't_id_key'::regclass`);
    assert.deepEqual(leftover, [{ valid: false }], 'Postgres leaves an INVALID index behind');

    await session.exec('DELETE FROM t');
    const cleanups: string[] = [];
    const resumed = await applyToTarget(session, plan, { expectedSourceHash: source, onCleanup: (m) => cleanups.push(m) });
    assert.deepEqual(resumed.resumed, { applyId: failed!.id, fromStep: 1 });
    assert.equal(resumed.stepsApplied, 2, 'step 1 is not run again');
    assert.match(cleanups.join('\n'), /dropped the INVALID index "public"."t_id_key"/);
    const valid = await session.query<{ valid: boolean }>(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 't_id_key'::regclass`);
    assert.deepEqual(valid, [{ valid: true }]);
    const [done] = await new Ledger(session).list(1);
    assert.deepEqual([done!.status, done!.steps_done, done!.first_step, done!.resumes], ['applied', 3, 2, failed!.id]);
  }),
);

serverTest('a failed transactional group rolls back alone; the re-run resumes after the committed groups', () =>
  withServerSession(async (session) => {
    // Step 4 fails until the (pre-existing) table gate holds a row: data, not schema, so the re-run can resume.
    await session.exec('CREATE TABLE gate (open boolean)');
    const plan: Plan = {
      steps: [
        tx('CREATE TABLE a (id int)'),
        alone('CREATE INDEX CONCURRENTLY a_id_idx ON a (id)'),
        tx('CREATE TABLE b (id int)'),
        tx(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM gate) THEN RAISE EXCEPTION 'the gate is closed'; END IF; END $$`),
      ],
    };
    const source = await hashOf(session);
    await assert.rejects(applyToTarget(session, plan, { expectedSourceHash: source }), /step 4 .* failed: the gate is closed/);
    assert.deepEqual(
      (await session.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relname IN ('a', 'a_id_idx', 'b') ORDER BY 1`)).map((r) => r.relname),
      ['a', 'a_id_idx'],
      'steps 1-2 committed; the group of steps 3-4 rolled back',
    );
    const [failed] = await new Ledger(session).list(1);
    assert.deepEqual([failed!.status, failed!.failed_step, failed!.steps_done], ['failed', 4, 2]);
    const rows = await stepRows(session, failed!.id);
    assert.deepEqual(rows.map((r) => [r.step, r.status]), [[1, 'applied'], [2, 'applied'], [4, 'failed']]);
    assert.match(rows[2]!.error ?? '', /the gate is closed/);

    await session.exec('INSERT INTO gate VALUES (true)');
    const resumed = await applyToTarget(session, plan, { expectedSourceHash: source });
    assert.deepEqual(resumed.resumed, { applyId: failed!.id, fromStep: 2 });
    assert.equal(resumed.stepsApplied, 2);
  }),
);

serverTest('a resume is refused, touching nothing, when the database is not where the ledger left it', () =>
  withServerSession(async (session) => {
    await session.exec('CREATE TABLE t (id int)');
    await session.exec('INSERT INTO t VALUES (1), (1)');
    const plan: Plan = { steps: [tx('CREATE TABLE other (id int)'), alone('CREATE UNIQUE INDEX CONCURRENTLY t_id_key ON t (id)')] };
    const source = await hashOf(session);
    await assert.rejects(applyToTarget(session, plan, { expectedSourceHash: source }), StepFailedError);
    await session.exec('DELETE FROM t; CREATE TABLE intruder (id int)');
    await assert.rejects(
      applyToTarget(session, plan, { expectedSourceHash: source }),
      /cannot resume apply #1: the database is not in the state the ledger recorded before step 2/,
    );
    const [refused] = await new Ledger(session).list(1);
    assert.equal(refused!.status, 'refused');
  }),
);
