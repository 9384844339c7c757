// The catalog stamp apply records after each group (instead of a full
// introspection), and the resumes that rely on it: what changes a stamp and
// what does not, on the server and on PGlite; a concurrent index build or an
// online drop that completed without the ledger seeing it is recognized by
// the stamp; anything else that moved the catalog refuses the resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogStamp } from '../../src/dialects/postgres/catalog-stamp.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { applyToTarget } from '../../src/apply/target.js';
import { Ledger } from '../../src/apply/ledger.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Plan, PlanStep } from '../../src/plan/types.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

const stamp = (session: PgSession): Promise<string> => catalogStamp(session, {});
const indexOid = async (session: PgSession, name: string): Promise<number> =>
  Number((await session.query<{ oid: string }>(`SELECT to_regclass($1)::oid::int8 AS oid`, [name]))[0]!.oid);

async function stampFollowsTheCatalog(session: PgSession): Promise<void> {
  await session.exec(`CREATE TABLE t (id int PRIMARY KEY, a text); CREATE VIEW v AS SELECT * FROM t; INSERT INTO t SELECT g, 'x' FROM generate_series(1, 1000) g;
    CREATE TABLE q (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text); INSERT INTO q (body) VALUES ('job');
    CREATE MATERIALIZED VIEW mv AS SELECT a, count(*) AS n FROM t GROUP BY a; CREATE INDEX mv_a ON mv (a)`);
  const before = await stamp(session);
  assert.match(before, /^[0-9a-f]{64}$/);

  await session.exec('ANALYZE t');
  await session.exec('VACUUM t');
  // Routine maintenance that gives relations new files: the schema is the same.
  await session.exec('TRUNCATE q RESTART IDENTITY');
  await session.exec('REFRESH MATERIALIZED VIEW mv');
  await session.exec('VACUUM FULL t');
  await session.exec('REINDEX TABLE t');
  assert.equal(await stamp(session), before, 'TRUNCATE, REFRESH, VACUUM FULL and REINDEX leave the stamp alone');
  await session.exec('CREATE TEMP TABLE scratch (x serial PRIMARY KEY, at timestamptz DEFAULT now(), up int REFERENCES scratch)');
  await session.exec('CREATE TEMP VIEW scratch_v AS SELECT x FROM scratch');
  // Out of scope like a ledger: defaults, an identity, a TOAST table, a foreign key (its triggers), a view, a comment.
  await session.exec(`CREATE SCHEMA elsewhere; CREATE TABLE elsewhere.x (i int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz DEFAULT clock_timestamp(), note text);
    CREATE TABLE elsewhere.y (x_id int REFERENCES elsewhere.x ON DELETE CASCADE); CREATE VIEW elsewhere.v AS SELECT i FROM elsewhere.x;
    COMMENT ON SCHEMA elsewhere IS 'not managed'`);
  assert.equal(await catalogStamp(session, { excludeSchemas: ['elsewhere'] }), before, 'objects out of scope, and temporary ones, do not count');
  const outside = await catalogStamp(session, { excludeSchemas: ['elsewhere'] });
  await session.exec('ALTER TABLE elsewhere.x ADD COLUMN j int');
  assert.equal(await catalogStamp(session, { excludeSchemas: ['elsewhere'] }), outside, 'a schema out of scope does not count');
  assert.notEqual(await stamp(session), before, 'a new managed schema counts');
  await session.exec('DROP SCHEMA elsewhere CASCADE');
  assert.equal(await stamp(session), before, 'statistics, temporary tables and a schema come and gone leave the stamp alone');

  await session.exec('CREATE INDEX CONCURRENTLY t_a ON t (a)');
  assert.notEqual(await stamp(session), before);
  assert.equal(await catalogStamp(session, {}, { excludeRelations: [await indexOid(session, 't_a')] }), before, 'without its own rows, the index build changed nothing');
  await session.exec('DROP INDEX CONCURRENTLY t_a');
  assert.equal(await stamp(session), before);

  for (const ddl of ["COMMENT ON COLUMN t.a IS 'note'", 'GRANT SELECT ON t TO PUBLIC', 'CREATE OR REPLACE VIEW v AS SELECT id, a FROM t WHERE id > 0', 'ALTER TABLE t ALTER COLUMN a SET DEFAULT $$y$$', 'ALTER TABLE t ALTER COLUMN a SET NOT NULL']) {
    const was = await stamp(session);
    await session.exec(ddl);
    assert.notEqual(await stamp(session), was, ddl);
  }

  const committed = await stamp(session);
  await session.exec('BEGIN');
  await session.exec('ALTER TABLE t ADD COLUMN b int');
  const inside = await stamp(session);
  await session.exec('COMMIT');
  assert.notEqual(inside, committed);
  assert.equal(await stamp(session), inside, 'a stamp taken before COMMIT holds after it');
  await session.exec('BEGIN');
  await session.exec('ALTER TABLE t ADD COLUMN c int');
  await session.exec('ROLLBACK');
  assert.equal(await stamp(session), inside, 'a rolled-back change leaves no trace');
}

test('the catalog stamp on PGlite: DDL changes it; statistics, temp tables and other schemas do not', { timeout: 60_000 }, () => withPglite(stampFollowsTheCatalog));
serverTest('the catalog stamp on the server: DDL changes it; statistics, temp tables and other schemas do not', () => withServerSession(stampFollowsTheCatalog));

const tx = (sql: string): PlanStep => ({ description: sql, sql, transactional: true });
const alone = (sql: string): PlanStep => ({ description: sql, sql, transactional: false });
const onlineDrop: PlanStep = {
  description: 'drop index a_v_idx',
  sql: 'DROP INDEX CONCURRENTLY public.a_v_idx',
  transactional: false,
  change: { kind: 'drop_index', table: { schema: 'public', name: 'a' }, index: { name: 'a_v_idx', columns: ['v'], unique: false }, online: true },
};

/** Applies `plan` with the process "dying" right after step `stepNumber` ran and before the ledger recorded it. */
async function applyDyingAfter(session: PgSession, plan: Plan, stepNumber: number): Promise<void> {
  const onStepDone = (index: number): void => {
    if (index + 1 === stepNumber) throw new Error('killed before the ledger saw the step finish');
  };
  await assert.rejects(applyToTarget(session, plan, { expectedSourceHash: schemaHash(await introspect(session)), onStepDone }), /killed before the ledger/);
}

async function completedStepsAreRecognized(session: PgSession): Promise<void> {
  const build: Plan = { steps: [tx('CREATE TABLE a (id int, v int)'), alone('CREATE INDEX CONCURRENTLY a_v_idx ON a (v)'), tx('CREATE TABLE b (id int)')] };
  await applyDyingAfter(session, build, 2);
  const cleanups: string[] = [];
  const resumed = await applyToTarget(session, build, { expectedSourceHash: 'unused on a resume', onCleanup: (m) => cleanups.push(m) });
  assert.match(cleanups.join('\n'), /step 2 \(CREATE INDEX CONCURRENTLY a_v_idx ON a \(v\)\) had completed after the previous apply stopped; recorded it/);
  assert.deepEqual([resumed.resumed?.fromStep, resumed.stepsApplied], [1, 1], 'only step 3 ran again');

  const drop: Plan = { steps: [tx('CREATE TABLE c (id int)'), onlineDrop, tx('CREATE TABLE d (id int)')] };
  await applyDyingAfter(session, drop, 2);
  const [interrupted] = await session.query<{ stamp: string | null }>(`SELECT catalog_stamp AS stamp FROM lockplane.apply_steps WHERE step = 2 AND status = 'running' ORDER BY apply_id DESC LIMIT 1`);
  assert.match(interrupted?.stamp ?? '', /^[0-9a-f]{64}$/, 'the online drop recorded the stamp it would leave');
  const again: string[] = [];
  const finished = await applyToTarget(session, drop, { expectedSourceHash: 'unused on a resume', onCleanup: (m) => again.push(m) });
  assert.match(again.join('\n'), /step 2 \(drop index a_v_idx\) had completed after the previous apply stopped; recorded it/);
  assert.equal(finished.stepsApplied, 1);
  const [last] = await new Ledger(session).list(1);
  assert.deepEqual([last!.status, last!.steps_done], ['applied', 3]);
}

test('PGlite: an index build or online drop that completed unrecorded is recognized by the catalog stamp', { timeout: 60_000 }, () =>
  withPglite(completedStepsAreRecognized),
);
serverTest('server: an index build or online drop that completed unrecorded is recognized by the catalog stamp', () =>
  withServerSession(completedStepsAreRecognized),
);

serverTest('a resume is refused when the catalog moved after the last recorded group, even to an equal schema', () =>
  withServerSession(async (session) => {
    const plan: Plan = { steps: [tx('CREATE TABLE a (id int)'), alone('CREATE INDEX CONCURRENTLY a_id_idx ON a (id)'), tx('CREATE TABLE b (id int)')] };
    await applyDyingAfter(session, plan, 3);
    // Someone else adds and removes a column: the schema is as it was, its catalog rows are not.
    await session.exec('ALTER TABLE a ADD COLUMN x int; ALTER TABLE a DROP COLUMN x');
    await assert.rejects(
      applyToTarget(session, plan, { expectedSourceHash: 'unused on a resume' }),
      /cannot resume apply #1: the database is not in the state the ledger recorded before step 3 \(expected catalog stamp [0-9a-f]{12}…, found catalog stamp [0-9a-f]{12}…\)/,
    );
    assert.deepEqual((await session.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_class WHERE relname = 'b'`))[0]!.n, '0', 'nothing ran');
  }),
);

async function verifiedStampSkipsTheSecondRead(session: PgSession): Promise<void> {
  await session.exec('CREATE TABLE a (id int)');
  const hash = schemaHash(await introspect(session));
  const plan: Plan = { steps: [tx('CREATE TABLE b (id int)')] };
  // The caller's read is trusted while the stamp holds: a wrong hash is not read again.
  const trusted = await applyToTarget(session, plan, { expectedSourceHash: 'not checked again', verifiedStamp: await stamp(session) });
  assert.equal(trusted.stepsApplied, 1);

  // Once the stamp moved, the hash is checked by a full read: equal here (a column added and dropped), so it applies.
  const stale = await stamp(session);
  await session.exec('ALTER TABLE a ADD COLUMN x int; ALTER TABLE a DROP COLUMN x');
  const next: Plan = { steps: [tx('CREATE TABLE c (id int)')] };
  const checked = await applyToTarget(session, next, { expectedSourceHash: schemaHash(await introspect(session)), verifiedStamp: stale });
  assert.equal(checked.stepsApplied, 1);
  // And a moved stamp with a hash that no longer holds is refused.
  await assert.rejects(
    applyToTarget(session, { steps: [tx('CREATE TABLE d (id int)')] }, { expectedSourceHash: hash, verifiedStamp: stale }),
    /the database changed since the plan was made/,
  );
}

test('PGlite: a verified stamp that still holds stands for the source-hash check; a moved one does not', { timeout: 60_000 }, () =>
  withPglite(verifiedStampSkipsTheSecondRead),
);
serverTest('server: a verified stamp that still holds stands for the source-hash check; a moved one does not', () =>
  withServerSession(verifiedStampSkipsTheSecondRead),
);
