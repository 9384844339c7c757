// The data-aware preflight on real databases: each check with rows that
// trigger it and rows that do not, on the server (Postgres 15: pattern and
// range checks for casts) and on PGlite (pg_input_is_valid).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { buildPlan } from '../../src/plan/index.js';
import type { Schema, Table } from '../../src/schema/types.js';
import { hazardInfo } from '../../src/safety/registry.js';
import { formatPreflightReport, preflightPlan, type PreflightCheck, type PreflightReport } from '../../src/safety/preflight.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

type Scenario = (session: PgSession) => Promise<void>;

/** The same scenario on the server and on PGlite. */
function both(name: string, scenario: Scenario): void {
  serverTest(`${name} (server)`, () => withServerSession(scenario));
  test(`${name} (PGlite)`, { timeout: 60_000 }, () => withPglite(scenario));
}

/** Plans from the database as it is to `edit(copy)`, and preflights the plan. */
async function preflight(session: PgSession, edit: (schema: Schema) => void, timeout?: string): Promise<PreflightReport> {
  const current = await introspect(session);
  const desired = structuredClone(current);
  edit(desired);
  const plan = buildPlan(current, desired);
  assert.ok(plan.steps.length > 0, 'the edit changes the schema');
  const before = await introspect(session);
  const report = await preflightPlan(session, plan, timeout ? { timeout } : {});
  assert.deepEqual(await introspect(session), before, 'the preflight changes nothing');
  for (const check of report.checks) assert.match(hazardInfo(check.code)?.code ?? '', /^LP1[56]\d$/, 'a registered preflight code');
  return report;
}

function table(schema: Schema, name: string): Table {
  const found = schema.tables.find((t) => t.name === name);
  assert.ok(found, `table ${name}`);
  return found;
}

function only(report: PreflightReport, code: string): PreflightCheck {
  const checks = report.checks.filter((c) => c.code === code || (c.status === 'pass' && c.code === code));
  assert.equal(checks.length, 1, formatPreflightReport(report));
  return checks[0]!;
}

both('NULLs before SET NOT NULL: named with the first ids; none after a backfill', async (s) => {
  await s.exec(`CREATE TABLE users (id int PRIMARY KEY, email text);
    INSERT INTO users SELECT g, CASE WHEN g IN (3, 7, 19) THEN NULL ELSE 'u' || g END FROM generate_series(1, 30) g;`);
  const setNotNull = (schema: Schema): void => {
    table(schema, 'users').columns.find((c) => c.name === 'email')!.nullable = false;
  };
  const failing = only(await preflight(s, setNotNull), 'LP150');
  assert.equal(failing.status, 'fail');
  assert.equal(failing.message, 'will fail: 3 rows in public.users have email NULL (first ids: 3, 7, 19)');
  assert.deepEqual(failing.sample, ['3', '7', '19']);
  await s.exec(`UPDATE users SET email = 'x' WHERE email IS NULL`);
  const report = await preflight(s, setNotNull);
  assert.equal(only(report, 'LP150').status, 'pass');
  assert.equal(report.failed.length, 0);
});

both('a renamed column is checked under its current name', async (s) => {
  await s.exec(`CREATE TABLE users (id int PRIMARY KEY, email text); INSERT INTO users VALUES (1, NULL), (2, 'b');`);
  const report = await preflight(s, (schema) => {
    const column = table(schema, 'users').columns.find((c) => c.name === 'email')!;
    Object.assign(column, { name: 'mail', renamed_from: 'email', nullable: false });
  });
  assert.equal(only(report, 'LP150').message, 'will fail: 1 row in public.users has email NULL (first ids: 1)');
});

both('NOT NULL column without DEFAULT: fails on a table with rows, passes on an empty one', async (s) => {
  await s.exec(`CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY); INSERT INTO a VALUES (1), (2);`);
  const report = await preflight(s, (schema) => {
    for (const name of ['a', 'b']) table(schema, name).columns.push({ name: 'phone', type: 'text', nullable: false });
  });
  const [a, b] = report.checks.filter((c) => c.code === 'LP150');
  assert.equal(a?.status, 'fail');
  assert.equal(a?.message, 'will fail: 2 rows in public.a have no value for the new NOT NULL column phone (it has no DEFAULT) (first ids: 1, 2)');
  assert.equal(b?.status, 'pass');
});

both('duplicates before UNIQUE: NULLs are distinct unless NULLS NOT DISTINCT', async (s) => {
  await s.exec(`CREATE TABLE t (id int PRIMARY KEY, v text, w text);
    INSERT INTO t VALUES (10, 'a', NULL), (2, 'b', NULL), (9, 'a', 'x'), (4, NULL, 'y'), (5, NULL, 'z');`);
  const unique = (columns: string[], nullsNotDistinct = false) => (schema: Schema): void => {
    table(schema, 't').unique_constraints = [{ name: 't_key', columns, ...(nullsNotDistinct ? { nulls_not_distinct: true } : {}) }];
  };
  const onV = only(await preflight(s, unique(['v'])), 'LP151');
  assert.equal(onV.message, 'will fail: 2 rows in public.t share (v) with another row (first ids: 9, 10)');
  assert.equal(only(await preflight(s, unique(['w'])), 'LP151').status, 'pass', 'two NULLs do not collide');
  const nnd = only(await preflight(s, unique(['w'], true)), 'LP151');
  assert.equal(nnd.message, 'will fail: 2 rows in public.t share (w) with another row (first ids: 2, 10)');
});

both('PRIMARY KEY: NULLs and duplicates; a table without one is named by ctid', async (s) => {
  await s.exec(`CREATE TABLE t (k int, v text); INSERT INTO t VALUES (1, 'a'), (1, 'b'), (NULL, 'c'), (2, 'd');`);
  const report = await preflight(s, (schema) => {
    table(schema, 't').primary_key = { name: 't_pkey', columns: ['k'] };
    table(schema, 't').columns.find((c) => c.name === 'k')!.nullable = false;
  });
  const failures = report.failed.map((c) => c.message);
  assert.ok(failures.includes('will fail: 1 row in public.t has k NULL (first ctids: (0,3))'), formatPreflightReport(report));
  assert.ok(failures.includes('will fail: 2 rows in public.t share (k) with another row (first ctids: (0,1), (0,2))'), formatPreflightReport(report));
  await s.exec(`DELETE FROM t WHERE k IS NULL OR v = 'b'`);
  const fixed = await preflight(s, (schema) => {
    table(schema, 't').primary_key = { name: 't_pkey', columns: ['k'] };
    table(schema, 't').columns.find((c) => c.name === 'k')!.nullable = false;
  });
  assert.equal(fixed.failed.length, 0, formatPreflightReport(fixed));
  assert.ok(fixed.checks.length >= 2);
});

both('unique index: a partial index only counts the rows its WHERE covers; expression keys work', async (s) => {
  await s.exec(`CREATE TABLE t (id int PRIMARY KEY, email text, active boolean);
    INSERT INTO t VALUES (1, 'A@x', false), (2, 'a@x', true), (3, 'b@x', true), (4, 'b@x', false);`);
  const index = (where?: string, expression = false) => (schema: Schema): void => {
    table(schema, 't').indexes = [{
      name: 't_email', columns: expression ? [] : ['email'], unique: true,
      ...(expression ? { keys: [{ expression: 'lower(email)' }] } : {}),
      ...(where ? { where } : {}),
    }];
  };
  assert.equal(only(await preflight(s, index('active')), 'LP151').status, 'pass');
  assert.equal(only(await preflight(s, index()), 'LP151').message, 'will fail: 2 rows in public.t share (email) with another row (first ids: 3, 4)');
  assert.equal(only(await preflight(s, index('active', true)), 'LP151').status, 'pass');
  assert.equal(only(await preflight(s, index(undefined, true)), 'LP151').rows, 4);
});

both('orphans before a FOREIGN KEY: MATCH SIMPLE lets rows with a NULL through', async (s) => {
  await s.exec(`CREATE TABLE customers (id int PRIMARY KEY); INSERT INTO customers VALUES (1), (2);
    CREATE TABLE orders (id int PRIMARY KEY, customer_id int); INSERT INTO orders VALUES (10, 1), (11, NULL), (12, 9), (13, 2), (14, 8);`);
  const fk = (schema: Schema): void => {
    table(schema, 'orders').foreign_keys = [{ name: 'orders_customer', columns: ['customer_id'], referenced_table: 'customers', referenced_columns: ['id'] }];
  };
  const failing = only(await preflight(s, fk), 'LP152');
  assert.equal(failing.message, 'will fail: 2 rows in public.orders have (customer_id) values missing from public.customers (id) (first ids: 12, 14)');
  await s.exec(`INSERT INTO customers VALUES (8), (9)`);
  assert.equal(only(await preflight(s, fk), 'LP152').status, 'pass');
});

both('a foreign key to a table the plan creates: every complete key is an orphan', async (s) => {
  await s.exec(`CREATE TABLE orders (id int PRIMARY KEY, customer_id int); INSERT INTO orders VALUES (1, NULL), (2, 5);`);
  const report = await preflight(s, (schema) => {
    schema.tables.push({ schema: 'public', name: 'customers', columns: [{ name: 'id', type: 'integer', nullable: false }], primary_key: { name: 'customers_pkey', columns: ['id'] } });
    table(schema, 'orders').foreign_keys = [{ name: 'orders_customer', columns: ['customer_id'], referenced_table: 'customers', referenced_columns: ['id'] }];
  });
  assert.equal(only(report, 'LP152').message, 'will fail: 1 row in public.orders has (customer_id) values missing from public.customers (id) (first ids: 2)');
});

both('rows that break a CHECK; a NULL does not break it', async (s) => {
  await s.exec(`CREATE TABLE t (id int PRIMARY KEY, qty int); INSERT INTO t VALUES (1, 5), (2, -1), (3, NULL), (4, 0);`);
  const check = (schema: Schema): void => {
    table(schema, 't').check_constraints = [{ name: 'qty_positive', expression: '(qty > 0)' }];
  };
  assert.equal(only(await preflight(s, check), 'LP153').message, 'will fail: 2 rows in public.t have values that break check qty_positive (first ids: 2, 4)');
  await s.exec(`UPDATE t SET qty = 1 WHERE qty <= 0`);
  assert.equal(only(await preflight(s, check), 'LP153').status, 'pass');
});

const casts: { from: string; to: string; bad: string[]; good: string[] }[] = [
  { from: 'text', to: 'integer', bad: ['abc', '1.5', '99999999999'], good: ['1', ' -42 ', '2147483647'] },
  { from: 'bigint', to: 'integer', bad: ['3000000000', '-3000000000'], good: ['5', '-2147483648'] },
  { from: 'numeric', to: 'smallint', bad: ['32767.5', '-40000', 'NaN'], good: ['32767.4', '-12.2'] },
  { from: 'numeric', to: 'numeric(5,2)', bad: ['1000', '999.995'], good: ['999.99', '-12.345'] },
  { from: 'text', to: 'numeric(4,1)', bad: ['x', '1000'], good: ['999.9', '1e2'] },
  { from: 'text', to: 'boolean', bad: ['maybe', '2'], good: ['yes', ' TRUE ', 'f', 'off'] },
  { from: 'text', to: 'uuid', bad: ['not-a-uuid', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1'], good: ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{a0eebc999c0b4ef8bb6d6bb9bd380a11}'] },
  { from: 'text', to: 'date', bad: ['2023-02-30', 'soon'], good: ['2024-02-29', '1999-12-31'] },
  { from: 'text', to: 'character varying(3)', bad: ['abcd'], good: ['abc', 'é'] },
];

for (const c of casts) {
  both(`values that do not convert: ${c.from} → ${c.to}`, async (s) => {
    const values = [...c.bad, ...c.good].map((v, i) => `(${i + 1}, '${v}')`).join(', ');
    await s.exec(`CREATE TABLE t (id int PRIMARY KEY, v ${c.from}); INSERT INTO t VALUES ${values};`);
    const retype = (schema: Schema): void => {
      table(schema, 't').columns.find((col) => col.name === 'v')!.type = c.to;
    };
    const failing = only(await preflight(s, retype), 'LP154');
    assert.equal(failing.status, 'fail', formatPreflightReport({ checks: [failing], failed: [], duration_ms: 0 }));
    assert.equal(failing.rows, c.bad.length, failing.message);
    assert.deepEqual(failing.sample, c.bad.map((_, i) => String(i + 1)));
    await s.exec(`DELETE FROM t WHERE id <= ${c.bad.length}`);
    assert.equal(only(await preflight(s, retype), 'LP154').status, 'pass');
    // The step itself then succeeds: the check agreed with Postgres.
    await s.exec(`ALTER TABLE t ALTER COLUMN v TYPE ${c.to} USING v::${c.to}`);
  });
}

both('drops report how many rows they delete (informational)', async (s) => {
  await s.exec(`CREATE TABLE old (id int PRIMARY KEY); INSERT INTO old SELECT generate_series(1, 4);
    CREATE TABLE t (id int PRIMARY KEY, legacy text); INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c');`);
  const report = await preflight(s, (schema) => {
    schema.tables = schema.tables.filter((t) => t.name !== 'old');
    table(schema, 't').columns = table(schema, 't').columns.filter((c) => c.name !== 'legacy');
  });
  const messages = report.checks.map((c) => [c.code, c.status, c.message]);
  assert.deepEqual(messages.sort(), [
    ['LP155', 'info', '2 rows in public.t hold a value in legacy; dropping the column deletes them'],
    ['LP155', 'info', 'public.old has 4 rows; dropping it deletes them'],
  ]);
  assert.equal(report.failed.length, 0);
});

both('tables the plan creates are skipped; an allowed code does not fail the report', async (s) => {
  await s.exec(`CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, NULL);`);
  const current = await introspect(s);
  const desired = structuredClone(current);
  desired.tables.push({ schema: 'public', name: 'fresh', columns: [{ name: 'id', type: 'integer', nullable: false }], unique_constraints: [{ name: 'fresh_id', columns: ['id'] }] });
  table(desired, 't').columns.find((c) => c.name === 'v')!.nullable = false;
  const plan = buildPlan(current, desired);
  const report = await preflightPlan(s, plan, { allowed: new Set(['LP150']) });
  assert.deepEqual(report.checks.map((c) => [c.code, c.status, c.allowed]), [['LP150', 'fail', true]]);
  assert.equal(report.failed.length, 0);
  assert.match(formatPreflightReport(report), /⚠ LP150 step \d+ \(.*\): will fail: 1 row in public.t has v NULL \(first ids: 1\) \(allowed\)\n✓ Preflight passed/);
});

serverTest('a check that outlasts the timeout is reported as not checked, not as a crash', () =>
  withServerSession(async (s, url) => {
    await s.exec(`CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, NULL);`);
    const current = await introspect(s);
    const desired = structuredClone(current);
    table(desired, 't').columns.find((c) => c.name === 'v')!.nullable = false;
    const plan = buildPlan(current, desired);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE');
      const report = await preflightPlan(s, plan, { timeout: '300ms' });
      assert.deepEqual(report.checks.map((c) => [c.code, c.status, c.message]), [['LP156', 'not_checked', 'not checked: the check of public.t timed out after 300ms']]);
      assert.equal(report.failed.length, 0);
    } finally {
      await holder.end();
    }
  }),
);

both('a domain that gains NOT NULL or a CHECK: the columns using it are checked', async (s) => {
  await s.exec(`CREATE DOMAIN qty AS integer; CREATE TABLE t (id int PRIMARY KEY, q qty); INSERT INTO t VALUES (1, 3), (2, -4), (3, NULL);`);
  const report = await preflight(s, (schema) => {
    const domain = schema.domains!.find((d) => d.name === 'qty')!;
    Object.assign(domain, { not_null: true, checks: [{ name: 'qty_positive', definition: 'CHECK ((VALUE > 0))' }] });
  });
  assert.deepEqual(report.checks.map((c) => [c.code, c.message]), [
    ['LP150', 'will fail: 1 row in public.t has q NULL (domain public.qty becomes NOT NULL) (first ids: 3)'],
    ['LP153', 'will fail: 1 row in public.t has values that break check qty_positive of domain public.qty (first ids: 2)'],
  ]);
});

both('a CHECK on a column the plan adds is reported as not checked, not as an error', async (s) => {
  await s.exec(`CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1);`);
  const report = await preflight(s, (schema) => {
    table(schema, 't').columns.push({ name: 'status', type: 'text', nullable: true, default: "'new'::text" });
    table(schema, 't').check_constraints = [{ name: 'status_known', expression: "(status = ANY (ARRAY['new'::text, 'done'::text]))" }];
  });
  assert.deepEqual(report.checks.map((c) => [c.code, c.status]), [['LP156', 'not_checked']]);
  assert.match(report.checks[0]!.message, /^not checked: the check of public\.t uses what the plan creates first \(column "status" does not exist\)$/);
  assert.equal(report.failed.length, 0);
});

both('resuming (fromStep): a table an earlier, finished step created is checked like any other', async (s) => {
  const current = await introspect(s);
  const desired = structuredClone(current);
  desired.tables.push({ schema: 'public', name: 't', columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'v', type: 'text', nullable: true }], primary_key: { name: 't_pkey', columns: ['id'] }, indexes: [{ name: 't_v', columns: ['v'], unique: true }] });
  const plan = buildPlan(current, desired);
  assert.deepEqual(plan.steps.map((st) => st.change?.kind), ['create_table', 'create_index']);
  assert.deepEqual((await preflightPlan(s, plan)).checks, [], 'a table the plan creates holds no rows');
  for (const sql of [plan.steps[0]!.sql].flat()) await s.exec(sql);
  await s.exec(`INSERT INTO t VALUES (1, 'a'), (2, 'a')`);
  const resumed = await preflightPlan(s, plan, { fromStep: 1 });
  assert.deepEqual(resumed.checks.map((c) => [c.step, c.code, c.status, c.message]), [[2, 'LP151', 'fail', 'will fail: 2 rows in public.t share (v) with another row (first ids: 1, 2)']]);
});
