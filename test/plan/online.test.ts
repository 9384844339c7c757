// Online mode: the steps of each rewrite and their reverse, the transaction
// boundaries they need, LP130, --no-online, and runs on real databases with
// rows (including a VALIDATE and a CREATE UNIQUE INDEX CONCURRENTLY that
// fail on the data and then finish when run again).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executePlan, StepFailedError } from '../../src/apply/execute.js';
import { stepGroups } from '../../src/apply/groups.js';
import { dropInvalidIndexes } from '../../src/apply/leftovers.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { buildPlan, rollbackPlan, stepStatements, type Plan } from '../../src/plan/index.js';
import { helperName } from '../../src/plan/online.js';
import { validatePlan } from '../../src/safety/index.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Column, Schema, Table } from '../../src/schema/types.js';
import { withPglite, withServerSession, serverTest } from '../helpers/databases.js';

const col = (name: string, type = 'integer', nullable = true): Column => ({ name, type, nullable });
const table = (name: string, columns: Column[], extra: Partial<Table> = {}): Table => ({ schema: 'public', name, columns, ...extra });
const schema = (...tables: Table[]): Schema => ({ dialect: 'postgres', tables });

const users = (extra: Partial<Table> = {}, columns = [col('id', 'integer', false), col('email', 'text'), col('age')]): Table =>
  table('users', columns, { primary_key: { name: 'users_pkey', columns: ['id'] }, ...extra });

interface StepView {
  sql: string[];
  transactional: boolean;
  own: boolean;
  reverse: string[];
}

function steps(plan: Plan): StepView[] {
  return plan.steps.map((s) => ({ sql: stepStatements(s), transactional: s.transactional !== false, own: s.transaction === 'own', reverse: s.reverse?.sql ?? [] }));
}

const sqlOf = (plan: Plan): string[] => plan.steps.flatMap(stepStatements);

test('an index on an existing table: CREATE INDEX CONCURRENTLY alone, reversed by DROP INDEX CONCURRENTLY; its comment a step of its own', () => {
  const from = schema(users());
  const to = schema(users({ indexes: [{ name: 'users_age', columns: ['age'], unique: false, comment: 'by age' }] }));
  assert.deepEqual(steps(buildPlan(from, to)), [
    {
      sql: ['CREATE INDEX CONCURRENTLY "users_age" ON "public"."users" ("age")'],
      transactional: false,
      own: false,
      reverse: ['DROP INDEX CONCURRENTLY "public"."users_age"'],
    },
    { sql: [`COMMENT ON INDEX "public"."users_age" IS 'by age'`], transactional: true, own: false, reverse: ['COMMENT ON INDEX "public"."users_age" IS NULL'] },
  ]);
  assert.deepEqual(sqlOf(buildPlan(to, from)), ['DROP INDEX CONCURRENTLY "public"."users_age"']);
  // A new table is empty: plain DDL.
  assert.deepEqual(sqlOf(buildPlan(schema(), schema(table('t', [col('a')], { indexes: [{ name: 'ta', columns: ['a'], unique: false }] })))).slice(1), [
    'CREATE INDEX "ta" ON "public"."t" ("a")',
  ]);
});

test('a changed index: the new definition is built under a temporary name, the old one dropped, the new one renamed; the reverse likewise', () => {
  const from = schema(users({ indexes: [{ name: 'users_x', columns: ['age'], unique: false }] }));
  const to = schema(users({ indexes: [{ name: 'users_x', columns: ['age', 'email'], unique: false }] }));
  const plan = buildPlan(from, to);
  assert.deepEqual(steps(plan), [
    { sql: ['CREATE INDEX CONCURRENTLY "lp_new_users_x" ON "public"."users" ("age", "email")'], transactional: false, own: false, reverse: ['DROP INDEX CONCURRENTLY "public"."lp_new_users_x"'] },
    { sql: ['DROP INDEX CONCURRENTLY "public"."users_x"'], transactional: false, own: false, reverse: ['CREATE INDEX CONCURRENTLY "users_x" ON "public"."users" ("age")'] },
    { sql: ['ALTER INDEX "public"."lp_new_users_x" RENAME TO "users_x"'], transactional: true, own: false, reverse: ['ALTER INDEX "public"."users_x" RENAME TO "lp_new_users_x"'] },
  ]);
  assert.deepEqual(sqlOf(rollbackPlan(plan, from)), [
    'ALTER INDEX "public"."users_x" RENAME TO "lp_new_users_x"',
    'CREATE INDEX CONCURRENTLY "users_x" ON "public"."users" ("age")',
    'DROP INDEX CONCURRENTLY "public"."lp_new_users_x"',
  ]);
  // The internal rename is no hazard for clients.
  assert.deepEqual(validatePlan(plan, from, to).flatMap((r) => r.findings.map((f) => f.code)), []);
});

test('a CHECK and a FOREIGN KEY on existing tables: ADD … NOT VALID, then VALIDATE in a transaction of its own', () => {
  const teams = table('teams', [col('id', 'integer', false)], { primary_key: { name: 'teams_pkey', columns: ['id'] } });
  const from = schema(teams, users({}, [col('id', 'integer', false), col('age'), col('team')]));
  const to = schema(
    teams,
    users(
      {
        check_constraints: [{ name: 'adult', expression: 'age >= 18' }],
        foreign_keys: [{ name: 'users_team', columns: ['team'], referenced_table: 'teams', referenced_columns: ['id'] }],
      },
      [col('id', 'integer', false), col('age'), col('team')],
    ),
  );
  const plan = buildPlan(from, to);
  assert.deepEqual(steps(plan), [
    { sql: ['ALTER TABLE "public"."users" ADD CONSTRAINT "adult" CHECK (age >= 18) NOT VALID'], transactional: true, own: false, reverse: ['ALTER TABLE "public"."users" DROP CONSTRAINT "adult"'] },
    { sql: ['ALTER TABLE "public"."users" VALIDATE CONSTRAINT "adult"'], transactional: true, own: true, reverse: [] },
    {
      sql: ['ALTER TABLE "public"."users" ADD CONSTRAINT "users_team" FOREIGN KEY ("team") REFERENCES "public"."teams" ("id") NOT VALID'],
      transactional: true,
      own: false,
      reverse: ['ALTER TABLE "public"."users" DROP CONSTRAINT "users_team"'],
    },
    { sql: ['ALTER TABLE "public"."users" VALIDATE CONSTRAINT "users_team"'], transactional: true, own: true, reverse: [] },
  ]);
  // Each VALIDATE is a group of its own: the ADD before it commits first, so its lock is not held through the scan.
  assert.deepEqual(
    stepGroups(plan.steps).map((g) => [g.start, g.end]),
    [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
    ],
  );
  assert.deepEqual(sqlOf(rollbackPlan(plan, from)), [
    'ALTER TABLE "public"."users" DROP CONSTRAINT "users_team"',
    'ALTER TABLE "public"."users" DROP CONSTRAINT "adult"',
  ]);
  // The hazard is on the step that can fail on the data: the VALIDATE.
  assert.deepEqual(
    validatePlan(plan, from, to).map((r) => r.findings.map((f) => f.code)),
    [[], ['LP206'], [], ['LP206']],
  );
});

test('SET NOT NULL: a helper CHECK (col IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL, drop the helper', () => {
  const from = schema(users());
  const to = schema(users({}, [col('id', 'integer', false), col('email', 'text', false), col('age')]));
  const plan = buildPlan(from, to);
  assert.deepEqual(steps(plan), [
    {
      sql: ['ALTER TABLE "public"."users" ADD CONSTRAINT "lp_nn_email" CHECK ("email" IS NOT NULL) NOT VALID'],
      transactional: true,
      own: false,
      reverse: ['ALTER TABLE "public"."users" DROP CONSTRAINT "lp_nn_email"'],
    },
    { sql: ['ALTER TABLE "public"."users" VALIDATE CONSTRAINT "lp_nn_email"'], transactional: true, own: true, reverse: [] },
    { sql: ['ALTER TABLE "public"."users" ALTER COLUMN "email" SET NOT NULL'], transactional: true, own: false, reverse: ['ALTER TABLE "public"."users" ALTER COLUMN "email" DROP NOT NULL'] },
    {
      sql: ['ALTER TABLE "public"."users" DROP CONSTRAINT "lp_nn_email"'],
      transactional: true,
      own: false,
      reverse: ['ALTER TABLE "public"."users" ADD CONSTRAINT "lp_nn_email" CHECK ("email" IS NOT NULL) NOT VALID'],
    },
  ]);
  assert.deepEqual(sqlOf(rollbackPlan(plan, from)), [
    'ALTER TABLE "public"."users" ADD CONSTRAINT "lp_nn_email" CHECK ("email" IS NOT NULL) NOT VALID',
    'ALTER TABLE "public"."users" ALTER COLUMN "email" DROP NOT NULL',
    'ALTER TABLE "public"."users" DROP CONSTRAINT "lp_nn_email"',
  ]);
});

test('UNIQUE and PRIMARY KEY on existing tables: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX; the reverse drops the constraint', () => {
  const from = schema(table('t', [col('a', 'integer', false), col('b')]));
  const to = schema(
    table('t', [col('a', 'integer', false), col('b')], {
      primary_key: { name: 't_pkey', columns: ['a'] },
      unique_constraints: [{ name: 't_b_key', columns: ['b'], nulls_not_distinct: true, deferrable: true }],
    }),
  );
  const plan = buildPlan(from, to);
  assert.deepEqual(steps(plan), [
    { sql: ['CREATE UNIQUE INDEX CONCURRENTLY "t_b_key" ON "public"."t" ("b") NULLS NOT DISTINCT'], transactional: false, own: false, reverse: [] },
    {
      sql: ['ALTER TABLE "public"."t" ADD CONSTRAINT "t_b_key" UNIQUE USING INDEX "t_b_key" DEFERRABLE'],
      transactional: true,
      own: false,
      reverse: ['ALTER TABLE "public"."t" DROP CONSTRAINT "t_b_key"'],
    },
    { sql: ['CREATE UNIQUE INDEX CONCURRENTLY "t_pkey" ON "public"."t" ("a")'], transactional: false, own: false, reverse: [] },
    { sql: ['ALTER TABLE "public"."t" ADD CONSTRAINT "t_pkey" PRIMARY KEY USING INDEX "t_pkey"'], transactional: true, own: false, reverse: ['ALTER TABLE "public"."t" DROP CONSTRAINT "t_pkey"'] },
  ]);
  assert.deepEqual(sqlOf(rollbackPlan(plan, from)), ['ALTER TABLE "public"."t" DROP CONSTRAINT "t_pkey"', 'ALTER TABLE "public"."t" DROP CONSTRAINT "t_b_key"']);
});

test('LP130: a type change that rewrites an existing table without an online form blocks in online mode and names the safe alternative; one that does not, does not', () => {
  const from = schema(table('t', [col('n'), col('s', 'character varying(20)')]));
  const codes = (to: Schema, online = true): string[] => validatePlan(buildPlan(from, to, { online }), from, to).flatMap((r) => r.findings.map((f) => f.code));
  const widened = schema(table('t', [col('n', 'bigint'), col('s', 'character varying(20)')]));
  assert.deepEqual(codes(widened), ['LP130', 'LP204']);
  const finding = validatePlan(buildPlan(from, widened), from, widened)[0]!.findings[0]!;
  assert.equal(finding.blocking, true);
  assert.match(finding.alternative ?? '', /take away what stands on the column.*expand\/contract.*allow LP130/);
  // The table has no primary key for the backfill to walk: the message says so (test/plan/online-rewrite.test.ts has the online form).
  assert.match(finding.message, /no expand\/contract: the table has no primary key/);
  assert.deepEqual(codes(schema(table('t', [col('n'), col('s', 'text')]))), ['LP204']);
  assert.deepEqual(codes(schema(table('t', [col('n'), col('s', 'character varying(40)')]))), ['LP204']);
  assert.deepEqual(codes(widened, false), ['LP204']);
  // A narrowing change is LP203 (blocking already, same advice): no second code to allow.
  assert.deepEqual(codes(schema(table('t', [col('n', 'smallint'), col('s', 'character varying(20)')]))), ['LP203']);
});

test('--no-online (online: false) gives plain DDL in transactional steps, without the online fields', () => {
  const from = schema(users({ indexes: [{ name: 'users_x', columns: ['age'], unique: false }] }));
  const to = schema(
    users({
      indexes: [{ name: 'users_x', columns: ['email'], unique: false }],
      check_constraints: [{ name: 'adult', expression: 'age >= 18' }],
      unique_constraints: [{ name: 'users_email_key', columns: ['email'] }],
    }),
  );
  const plain = buildPlan(from, to, { online: false });
  assert.deepEqual(sqlOf(plain), [
    'DROP INDEX "public"."users_x"',
    'ALTER TABLE "public"."users" ADD CONSTRAINT "adult" CHECK (age >= 18)',
    'ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_key" UNIQUE ("email")',
    'CREATE INDEX "users_x" ON "public"."users" ("email")',
  ]);
  for (const step of plain.steps) {
    assert.equal(step.transactional, true);
    assert.equal('transaction' in step, false);
    assert.equal(JSON.stringify(step.change).match(/online|using_index|for_constraint/), null);
  }
  assert.notDeepEqual(sqlOf(buildPlan(from, to)), sqlOf(plain));
});

test('partitioned tables keep plain DDL (Postgres has no CONCURRENTLY there)', () => {
  const parted = (extra: Partial<Table> = {}): Table => table('p', [col('a'), col('b')], { partition_by: 'RANGE (a)', ...extra });
  const plan = buildPlan(schema(parted()), schema(parted({ indexes: [{ name: 'p_b', columns: ['b'], unique: false }] })));
  assert.deepEqual(sqlOf(plan), ['CREATE INDEX "p_b" ON "public"."p" ("b")']);
});

test('helper names: deterministic, at most 63 bytes, distinct for long names', () => {
  assert.equal(helperName('lp_nn_', 'email'), 'lp_nn_email');
  const long = 'ü'.repeat(40);
  const a = helperName('lp_nn_', `${long}a`);
  const b = helperName('lp_nn_', `${long}b`);
  assert.ok(Buffer.byteLength(a) <= 63 && Buffer.byteLength(b) <= 63);
  assert.notEqual(a, b);
  assert.equal(a, helperName('lp_nn_', `${long}a`));
});

// ---- On real databases, with rows ----------------------------------------------------

const ROWS_FROM = `
  CREATE TABLE teams (id integer PRIMARY KEY);
  CREATE TABLE users (id integer NOT NULL, email text, age integer, team integer);
  CREATE INDEX users_x ON users (age);
  INSERT INTO teams VALUES (1), (2);
  INSERT INTO users SELECT g, 'u' || g, 20 + g % 50, 1 + g % 2 FROM generate_series(1, 500) g;`;

const ROWS_TO = `
  CREATE TABLE teams (id integer PRIMARY KEY);
  CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL UNIQUE, age integer CONSTRAINT adult CHECK (age >= 18),
                      team integer CONSTRAINT users_team REFERENCES teams (id));
  CREATE INDEX users_x ON users (age, email);
  CREATE INDEX users_team_idx ON users (team);`;

async function schemaOf(session: PgSession, ddl: string): Promise<Schema> {
  await session.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await session.exec(ddl);
  return introspect(session);
}

async function onlinePlanWithRows(target: PgSession, scratch: PgSession): Promise<void> {
  const to = await schemaOf(scratch, ROWS_TO);
  const from = await schemaOf(target, ROWS_FROM);
  const plan = buildPlan(from, to);
  assert.ok(plan.steps.some((s) => s.transactional === false) && plan.steps.some((s) => s.transaction === 'own'));
  await executePlan(target, plan, { expectedSourceHash: plan.source_hash! });
  assert.equal(schemaHash(await introspect(target)), plan.target_hash);
  assert.equal((await target.query<{ n: string }>('SELECT count(*)::text AS n FROM users'))[0]!.n, '500');
  assert.deepEqual(buildPlan(await introspect(target), to).steps, []);
  const invalid = await target.query(`SELECT 1 FROM pg_constraint WHERE NOT convalidated UNION ALL SELECT 1 FROM pg_index WHERE NOT indisvalid`);
  assert.equal(invalid.length, 0, 'every constraint validated, every index valid');
  await executePlan(target, rollbackPlan(plan, from));
  assert.equal(schemaHash(await introspect(target)), schemaHash(from));
}

test('an online plan converges on PGlite over tables holding rows, and its rollback returns', async () => {
  await withPglite((target) => withPglite((scratch) => onlinePlanWithRows(target, scratch)));
});

serverTest('an online plan converges on the server over tables holding rows, and its rollback returns', async () => {
  await withServerSession((target) => withServerSession((scratch) => onlinePlanWithRows(target, scratch)));
});

/** Runs the plan from `from`; returns the step that failed (0-based) or null. */
async function runFrom(session: PgSession, plan: Plan, from: number): Promise<number | null> {
  try {
    await executePlan(session, plan, { fromStep: from });
    return null;
  } catch (error) {
    if (error instanceof StepFailedError) return error.stepIndex;
    throw error;
  }
}

async function failThenFinish(session: PgSession, scratch: PgSession): Promise<void> {
  const to = await schemaOf(scratch, ROWS_TO);
  const from = await schemaOf(session, `${ROWS_FROM} UPDATE users SET age = 5 WHERE id = 7; UPDATE users SET email = 'dup' WHERE id IN (3, 4);`);
  const plan = buildPlan(from, to);
  // The check's VALIDATE meets the row that breaks it: it rolls back, the NOT VALID constraint stays.
  const first = await runFrom(session, plan, 0);
  assert.ok(first !== null);
  assert.equal(stepStatements(plan.steps[first]!)[0], 'ALTER TABLE "public"."users" VALIDATE CONSTRAINT "adult"');
  const notValid = await session.query(`SELECT 1 FROM pg_constraint WHERE conname = 'adult' AND NOT convalidated`);
  assert.equal(notValid.length, 1);
  await session.exec('UPDATE users SET age = 18 WHERE id = 7');
  // Then the unique index meets the duplicates: it fails and leaves an INVALID index behind, which is dropped before the step runs again.
  const second = await runFrom(session, plan, first);
  assert.ok(second !== null && second > first);
  assert.match(plan.steps[second]!.description, /unique index for constraint users_email_key/);
  assert.deepEqual(await dropInvalidIndexes(session, plan.steps[second]!), ['"public"."users_email_key"']);
  await session.exec(`UPDATE users SET email = 'u4' WHERE id = 4`);
  // Running again from the failed step finishes: nothing "already exists".
  assert.equal(await runFrom(session, plan, second), null);
  assert.equal(schemaHash(await introspect(session)), plan.target_hash);
  assert.deepEqual(await session.query(`SELECT 1 FROM pg_constraint WHERE NOT convalidated`), []);
}

test('PGlite: a CREATE UNIQUE INDEX CONCURRENTLY and a VALIDATE that fail on the data finish when run again after the data is fixed', async () => {
  await withPglite((target) => withPglite((scratch) => failThenFinish(target, scratch)));
});

serverTest('server: a CREATE UNIQUE INDEX CONCURRENTLY and a VALIDATE that fail on the data finish when run again after the data is fixed', async () => {
  await withServerSession((target) => withServerSession((scratch) => failThenFinish(target, scratch)));
});

test('a constraint left NOT VALID (a VALIDATE that failed, then a fresh plan): the plan validates it, outside the hash', async () => {
  await withPglite(async (session) => {
    const to = await withPglite((scratch) =>
      schemaOf(scratch, `CREATE TABLE teams (id integer PRIMARY KEY); CREATE TABLE users (id integer, age integer CONSTRAINT adult CHECK (age >= 18), team integer CONSTRAINT users_team REFERENCES teams (id))`),
    );
    const from = await schemaOf(
      session,
      `CREATE TABLE teams (id integer PRIMARY KEY); CREATE TABLE users (id integer, age integer, team integer);
       INSERT INTO teams VALUES (1); INSERT INTO users VALUES (1, 30, 1);
       ALTER TABLE users ADD CONSTRAINT adult CHECK (age >= 18) NOT VALID;
       ALTER TABLE users ADD CONSTRAINT users_team FOREIGN KEY (team) REFERENCES teams (id) NOT VALID;`,
    );
    assert.equal(schemaHash(from), schemaHash(to), 'validity is not part of the hash');
    for (const online of [true, false]) {
      assert.deepEqual(steps(buildPlan(from, to, { online })), [
        { sql: ['ALTER TABLE "public"."users" VALIDATE CONSTRAINT "adult"'], transactional: true, own: true, reverse: [] },
        { sql: ['ALTER TABLE "public"."users" VALIDATE CONSTRAINT "users_team"'], transactional: true, own: true, reverse: [] },
      ]);
    }
    await executePlan(session, buildPlan(from, to));
    assert.deepEqual(await session.query(`SELECT 1 FROM pg_constraint WHERE NOT convalidated`), []);
    assert.deepEqual(buildPlan(await introspect(session), to).steps, []);
  });
});
