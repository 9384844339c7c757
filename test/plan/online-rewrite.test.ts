// The two column rewrites of online mode (plan/online-column.ts): a column
// with a volatile default (added empty, default set, backfilled in batches,
// NOT NULL online) and a type change that rewrites the table (expand/contract:
// new column + sync trigger, backfill, swap). Their steps, their reverses,
// where they fall back to the plain step with a hazard (LP131, LP130 with the
// reason), and runs on real databases with rows: forward, a second plan
// that is empty, the rollback, every row checked each way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executePlan } from '../../src/apply/execute.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { annotateLocks, buildPlan, rollbackPlan, stepStatements, type Plan } from '../../src/plan/index.js';
import { validatePlan } from '../../src/safety/index.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Column, Schema, Table } from '../../src/schema/types.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

const col = (name: string, type = 'integer', nullable = true, extra: Partial<Column> = {}): Column => ({ name, type, nullable, ...extra });
const schema = (...tables: Table[]): Schema => ({ dialect: 'postgres', tables });
const items = (columns: Column[], extra: Partial<Table> = {}): Table => ({
  schema: 'public',
  name: 'items',
  columns: [col('id', 'integer', false), ...columns],
  primary_key: { name: 'items_pkey', columns: ['id'] },
  ...extra,
});

const sqlOf = (plan: Plan): string[] => plan.steps.flatMap(stepStatements);
const codes = (plan: Plan, from: Schema, to: Schema): string[] => validatePlan(plan, from, to).flatMap((r) => r.findings.map((f) => f.code));

test('a volatile default on an existing table: add empty, SET DEFAULT, a batched backfill, then NOT NULL through a validated check', () => {
  const from = schema(items([col('n')]));
  const to = schema(items([col('n'), col('token', 'uuid', false, { default: 'gen_random_uuid()' })]));
  const plan = buildPlan(from, to);
  assert.deepEqual(
    plan.steps.map((s) => [stepStatements(s), s.transactional !== false, s.transaction ?? '']),
    [
      [['ALTER TABLE "public"."items" ADD COLUMN "token" uuid'], true, ''],
      [['ALTER TABLE "public"."items" ALTER COLUMN "token" SET DEFAULT gen_random_uuid()'], true, ''],
      [['UPDATE "public"."items" SET "token" = gen_random_uuid() WHERE "token" IS NULL'], false, ''],
      [['ALTER TABLE "public"."items" ADD CONSTRAINT "lp_nn_token" CHECK ("token" IS NOT NULL) NOT VALID'], true, ''],
      [['ALTER TABLE "public"."items" VALIDATE CONSTRAINT "lp_nn_token"'], true, 'own'],
      [['ALTER TABLE "public"."items" ALTER COLUMN "token" SET NOT NULL'], true, ''],
      [['ALTER TABLE "public"."items" DROP CONSTRAINT "lp_nn_token"'], true, ''],
    ],
  );
  assert.deepEqual(plan.steps[2]!.backfill, { table: { schema: 'public', name: 'items' }, key: ['id'], set: '"token" = gen_random_uuid()', where: '"token" IS NULL' });
  assert.deepEqual(plan.steps[2]!.reverse?.sql, [], 'the backfill has nothing to undo');
  assert.deepEqual(sqlOf(rollbackPlan(plan, from)), [
    'ALTER TABLE "public"."items" ADD CONSTRAINT "lp_nn_token" CHECK ("token" IS NOT NULL) NOT VALID',
    'ALTER TABLE "public"."items" ALTER COLUMN "token" DROP NOT NULL',
    'ALTER TABLE "public"."items" DROP CONSTRAINT "lp_nn_token"',
    'ALTER TABLE "public"."items" ALTER COLUMN "token" DROP DEFAULT',
    'ALTER TABLE "public"."items" DROP COLUMN "token"',
  ]);
  assert.deepEqual(codes(plan, from, to).filter((c) => c !== 'LP102' && c !== 'LP206'), []);
});

test('a nullable column with clock_timestamp(): no NOT NULL steps; a stable default (now()) and a constant stay one ADD COLUMN', () => {
  const from = schema(items([col('n')]));
  const volatile = buildPlan(from, schema(items([col('n'), col('seen', 'timestamp with time zone', true, { default: 'clock_timestamp()' })])));
  assert.equal(volatile.steps.length, 3);
  assert.equal(volatile.steps[2]!.backfill?.set, '"seen" = clock_timestamp()');
  for (const def of ['now()', "'x'::text", '0']) {
    const type = def === '0' ? 'integer' : def === 'now()' ? 'timestamp with time zone' : 'text';
    const plan = buildPlan(from, schema(items([col('n'), col('c', type, false, { default: def })])));
    assert.deepEqual(sqlOf(plan), [`ALTER TABLE "public"."items" ADD COLUMN "c" ${type} DEFAULT ${def} NOT NULL`], def);
  }
});

test('a volatile default stays one ADD COLUMN on a new table and with --no-online; a table without a primary key keeps it too, flagged LP131', () => {
  const token = col('token', 'uuid', false, { default: 'gen_random_uuid()' });
  const fresh = buildPlan(schema(), schema(items([token])));
  assert.equal(fresh.steps.length, 1);
  const from = schema(items([col('n')]));
  const to = schema(items([col('n'), token]));
  assert.deepEqual(sqlOf(buildPlan(from, to, { online: false })), ['ALTER TABLE "public"."items" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL']);
  const bare = (cols: Column[]): Schema => schema({ schema: 'public', name: 'logs', columns: cols });
  const plan = buildPlan(bare([col('n')]), bare([col('n'), token]));
  assert.deepEqual(sqlOf(plan), ['ALTER TABLE "public"."logs" ADD COLUMN "token" uuid DEFAULT gen_random_uuid() NOT NULL']);
  const finding = validatePlan(plan, bare([col('n')]), bare([col('n'), token]))[0]!.findings.find((f) => f.code === 'LP131');
  assert.ok(finding?.blocking);
  assert.match(finding.message, /no primary key/);
});

test('a function of the schema declared VOLATILE counts; one declared STABLE does not', () => {
  const fn = (name: string, volatility: string) => ({
    schema: 'public',
    name,
    kind: 'function' as const,
    signature: '',
    definition: `CREATE OR REPLACE FUNCTION public.${name}()\n RETURNS integer\n LANGUAGE sql\n${volatility}AS $function$select 1$function$\n`,
  });
  const from: Schema = { ...schema(items([col('n')])), functions: [fn('pick', ''), fn('fixed', ' STABLE\n')] };
  const plan = (def: string) => buildPlan(from, { ...from, tables: [items([col('n'), col('c', 'integer', true, { default: def })])] });
  assert.equal(plan('pick()').steps.length, 3);
  assert.equal(plan('fixed()').steps.length, 1);
});

test('integer → bigint on an existing table: expand/contract — new column, sync trigger, backfill, NOT NULL proven, one short swap', () => {
  const from = schema(items([col('amount', 'integer', false, { default: '0' })]));
  const to = schema(items([col('amount', 'bigint', false, { default: '0' })]));
  const plan = buildPlan(from, to);
  const fn = '"public"."lp_sync_items_amount"()';
  assert.deepEqual(
    plan.steps.map((s) => [stepStatements(s), s.transactional !== false]),
    [
      [['ALTER TABLE "public"."items" ADD COLUMN "lp_new_amount" bigint'], true],
      [
        [
          `CREATE FUNCTION ${fn} RETURNS trigger LANGUAGE plpgsql AS 'BEGIN NEW."lp_new_amount" := NEW."amount"::bigint; RETURN NEW; END'`,
          `CREATE TRIGGER "lp_sync_items_amount" BEFORE INSERT OR UPDATE ON "public"."items" FOR EACH ROW EXECUTE FUNCTION ${fn}`,
        ],
        true,
      ],
      [['UPDATE "public"."items" SET "lp_new_amount" = "amount"::bigint WHERE "lp_new_amount" IS NULL AND "amount" IS NOT NULL'], false],
      [['ALTER TABLE "public"."items" ADD CONSTRAINT "lp_nn_lp_new_amount" CHECK ("lp_new_amount" IS NOT NULL) NOT VALID'], true],
      [['ALTER TABLE "public"."items" VALIDATE CONSTRAINT "lp_nn_lp_new_amount"'], true],
      [
        [
          'DROP TRIGGER "lp_sync_items_amount" ON "public"."items"',
          `DROP FUNCTION ${fn}`,
          'ALTER TABLE "public"."items" DROP COLUMN "amount"',
          'ALTER TABLE "public"."items" RENAME COLUMN "lp_new_amount" TO "amount"',
          'ALTER TABLE "public"."items" ALTER COLUMN "amount" SET DEFAULT 0, ALTER COLUMN "amount" SET NOT NULL, DROP CONSTRAINT "lp_nn_lp_new_amount"',
        ],
        true,
      ],
    ],
  );
  assert.deepEqual(codes(plan, from, to).filter((c) => c !== 'LP206'), [], 'no LP130: the change has an online form');
  const back = rollbackPlan(plan, from);
  assert.deepEqual(stepStatements(back.steps[0]!), [
    'ALTER TABLE "public"."items" RENAME COLUMN "amount" TO "lp_new_amount"',
    'ALTER TABLE "public"."items" ALTER COLUMN "lp_new_amount" DROP DEFAULT, ALTER COLUMN "lp_new_amount" DROP NOT NULL',
    'ALTER TABLE "public"."items" ADD CONSTRAINT "lp_nn_lp_new_amount" CHECK ("lp_new_amount" IS NOT NULL) NOT VALID',
    'ALTER TABLE "public"."items" ADD COLUMN "amount" integer',
    'UPDATE "public"."items" SET "amount" = "lp_new_amount"::integer',
    'ALTER TABLE "public"."items" ALTER COLUMN "amount" SET DEFAULT 0, ALTER COLUMN "amount" SET NOT NULL',
    `CREATE FUNCTION ${fn} RETURNS trigger LANGUAGE plpgsql AS 'BEGIN NEW."lp_new_amount" := NEW."amount"::bigint; RETURN NEW; END'`,
    `CREATE TRIGGER "lp_sync_items_amount" BEFORE INSERT OR UPDATE ON "public"."items" FOR EACH ROW EXECUTE FUNCTION ${fn}`,
  ]);
  assert.deepEqual(sqlOf({ steps: back.steps.slice(1) }), [
    'ALTER TABLE "public"."items" DROP CONSTRAINT "lp_nn_lp_new_amount"',
    'DROP TRIGGER "lp_sync_items_amount" ON "public"."items"',
    `DROP FUNCTION ${fn}`,
    'ALTER TABLE "public"."items" DROP COLUMN "lp_new_amount"',
  ]);
  assert.deepEqual(sqlOf(buildPlan(from, to, { online: false })), ['ALTER TABLE "public"."items" ALTER COLUMN "amount" DROP DEFAULT, ALTER COLUMN "amount" TYPE bigint USING "amount"::bigint, ALTER COLUMN "amount" SET DEFAULT 0']);
});

test('a type change keeps the plain step and LP130 where the swap would break something, and the hazard says what', () => {
  const amount = (type: string): Column => col('amount', type);
  const cases: [string, (type: string) => Schema, RegExp][] = [
    ['index', (t) => schema(items([amount(t)], { indexes: [{ name: 'items_amount', columns: ['amount'], unique: false }] })), /an index covers it/],
    ['check', (t) => schema(items([amount(t)], { check_constraints: [{ name: 'pos', expression: '(amount > 0)' }] })), /a check constraint uses it/],
    ['no key', (t) => schema({ schema: 'public', name: 'items', columns: [col('id'), amount(t)] }), /no primary key/],
    ['view', (t) => ({ ...schema(items([amount(t)])), views: [{ schema: 'public', name: 'v', definition: ' SELECT items.amount FROM public.items;' }] }), /a view reads the table/],
    [
      'referenced',
      (t) => schema(items([amount(t)], { unique_constraints: [] }), { schema: 'public', name: 'refs', columns: [col('a', t)], foreign_keys: [{ name: 'refs_a', columns: ['a'], referenced_table: 'items', referenced_columns: ['amount'] }] }),
      /a foreign key references it/,
    ],
    ['quoted in a view', (t) => ({ ...schema(items([amount(t)])), views: [{ schema: 'public', name: 'v', definition: ' SELECT "ITEMS".amount FROM public."ITEMS";' }] }), /a view reads the table/],
  ];
  for (const [label, make, why] of cases) {
    const from = make('integer');
    const to = make('bigint');
    const plan = buildPlan(from, to);
    assert.ok(!sqlOf(plan).some((s) => s.includes('lp_new_amount')), label);
    const lp130 = validatePlan(plan, from, to).flatMap((r) => r.findings).find((f) => f.code === 'LP130');
    assert.ok(lp130, `${label}: LP130`);
    assert.match(lp130.message, why, label);
  }
});

test('a view that names another table whose name contains this one does not stand on the column', () => {
  const make = (type: string): Schema => ({
    ...schema(items([col('amount', type)])),
    views: [{ schema: 'public', name: 'v', definition: ' SELECT items_archive.amount FROM public.items_archive;' }],
  });
  const plan = buildPlan(make('integer'), make('bigint'));
  assert.ok(sqlOf(plan).some((s) => s.includes('lp_new_amount')), sqlOf(plan).join('\n'));
});

test('lock analysis: no step of either rewrite rewrites or scans the table under a lock that blocks writes; the plain forms do', async () => {
  const from = schema(items([col('amount', 'integer', false, { default: '0' })]));
  const to = schema(items([col('amount', 'bigint', false, { default: '0' }), col('token', 'uuid', false, { default: 'gen_random_uuid()' })]));
  const online = await annotateLocks(buildPlan(from, to), { from });
  const view = online.steps.map((s) => (s.locks ?? []).map((l) => `${l.mode}/${l.effect}`).join(' '));
  assert.deepEqual(online.steps.flatMap((s) => s.hazards ?? []).filter((c) => c.startsWith('LP11')), [], view.join('\n'));
  const swap = online.steps.find((s) => s.change?.kind === 'swap_column')!;
  assert.deepEqual(swap.locks?.map((l) => [l.mode, l.effect]), [['ACCESS EXCLUSIVE', 'catalog']], 'SET NOT NULL after the renamed column was proven: no scan');
  const sync = online.steps.find((s) => s.change?.kind === 'create_column_sync')!;
  assert.deepEqual(sync.locks?.map((l) => [l.mode, l.effect]), [['SHARE ROW EXCLUSIVE', 'catalog']]);
  const backfills = online.steps.filter((s) => s.backfill);
  assert.deepEqual(backfills.map((s) => s.locks?.map((l) => [l.mode, l.effect])), [[['ROW EXCLUSIVE', 'write']], [['ROW EXCLUSIVE', 'write']]]);
  const plain = await annotateLocks(buildPlan(from, to, { online: false }), { from });
  assert.ok(plain.steps.some((s) => s.hazards?.includes('LP110')), 'the plain ALTER TYPE and ADD COLUMN rewrite the table');
});

// ---- On real databases, with rows ----------------------------------------------------

const FROM = `
  CREATE TABLE items (id integer PRIMARY KEY, amount integer NOT NULL DEFAULT 7, code text, note text);
  INSERT INTO items SELECT g, g * 1000, CASE WHEN g % 10 = 0 THEN NULL ELSE (g * 3)::text END, 'n' || g FROM generate_series(1, 2500) g;`;

const TO = `
  CREATE TABLE items (id integer PRIMARY KEY, amount bigint NOT NULL DEFAULT 7, code integer, note text,
                      token uuid NOT NULL DEFAULT gen_random_uuid(), seen timestamptz DEFAULT clock_timestamp());`;

async function schemaOf(session: PgSession, ddl: string): Promise<Schema> {
  await session.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await session.exec(ddl);
  return introspect(session);
}

async function one<T extends object>(session: PgSession, sql: string): Promise<T> {
  return (await session.query<T>(sql))[0]!;
}

async function rewritesWithRows(target: PgSession, scratch: PgSession): Promise<void> {
  const to = await schemaOf(scratch, TO);
  const from = await schemaOf(target, FROM);
  const plan = buildPlan(from, to);
  assert.equal(plan.steps.filter((s) => s.backfill).length, 4, 'two volatile defaults, two type changes');
  await executePlan(target, plan, { expectedSourceHash: plan.source_hash!, backfill: { batchSize: 300 } });
  const reached = await introspect(target);
  assert.equal(schemaHash(reached), plan.target_hash, 'the target (column order aside)');
  assert.deepEqual(buildPlan(reached, to).steps, [], 'a second plan is empty');
  const rows = await one<{ n: number; wrong_amount: number; wrong_code: number; tokens: number; seen: number }>(
    target,
    `SELECT count(*)::int AS n,
            count(*) FILTER (WHERE amount IS DISTINCT FROM id::bigint * 1000)::int AS wrong_amount,
            count(*) FILTER (WHERE code IS DISTINCT FROM CASE WHEN id % 10 = 0 THEN NULL ELSE id * 3 END)::int AS wrong_code,
            count(DISTINCT token)::int AS tokens, count(seen)::int AS seen FROM items`,
  );
  assert.deepEqual(rows, { n: 2500, wrong_amount: 0, wrong_code: 0, tokens: 2500, seen: 2500 });
  const types = await target.query<{ attname: string; t: string }>(`SELECT attname, format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname IN ('amount', 'code') ORDER BY 1`);
  assert.deepEqual(types.map((r) => r.t), ['bigint', 'integer']);
  const leftovers = await target.query(`SELECT 1 FROM pg_trigger WHERE NOT tgisinternal UNION ALL SELECT 1 FROM pg_proc WHERE proname LIKE 'lp_sync_%' UNION ALL SELECT 1 FROM pg_constraint WHERE conname LIKE 'lp_nn_%'`);
  assert.equal(leftovers.length, 0, 'no sync trigger, function or helper check left');
  await target.exec(`INSERT INTO items (id, amount) VALUES (9000000, 5000000000)`);
  await target.exec(`DELETE FROM items WHERE id = 9000000`);

  await executePlan(target, rollbackPlan(plan, from));
  assert.equal(schemaHash(await introspect(target)), schemaHash(from), 'back to the start (column order aside)');
  const back = await one<{ n: number; wrong: number }>(
    target,
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE amount <> id * 1000 OR code IS DISTINCT FROM CASE WHEN id % 10 = 0 THEN NULL ELSE (id * 3)::text END)::int AS wrong FROM items`,
  );
  assert.deepEqual(back, { n: 2500, wrong: 0 });
}

test('PGlite: volatile defaults and type changes rewritten online converge over rows, and the rollback restores every value', { timeout: 120_000 }, async () => {
  await withPglite((target) => withPglite((scratch) => rewritesWithRows(target, scratch)));
});

serverTest('server: volatile defaults and type changes rewritten online converge over rows, and the rollback restores every value', async () => {
  await withServerSession((target) => withServerSession((scratch) => rewritesWithRows(target, scratch)));
});

/**
 * The type change's backfill stops after a few batches (as a killed apply
 * would: the last batch rolled back); the application writes meanwhile —
 * updates on both sides of where it stopped, inserts, a row set to NULL —
 * and the step run again from where it stopped finishes with every row right.
 */
async function interruptedBackfill(session: PgSession, scratch: PgSession): Promise<void> {
  const to = await schemaOf(scratch, `CREATE TABLE items (id integer PRIMARY KEY, amount bigint, note text);`);
  const from = await schemaOf(session, `CREATE TABLE items (id integer PRIMARY KEY, amount integer, note text);
    INSERT INTO items SELECT g, g * 1000, 'n' FROM generate_series(1, 3000) g;`);
  const plan = buildPlan(from, to);
  const index = plan.steps.findIndex((s) => s.backfill);
  let reached: unknown[] | null = null;
  let batches = 0;
  const stopAfter = async (_i: number, lastKey: unknown[]): Promise<void> => {
    if (++batches === 4) throw new Error('interrupted');
    reached = lastKey;
  };
  await assert.rejects(executePlan(session, plan, { backfill: { batchSize: 250, onBatch: stopAfter } }), /interrupted/);
  assert.deepEqual(reached, [750], 'three batches committed');
  await session.exec(`UPDATE items SET amount = -amount WHERE id IN (10, 2000); UPDATE items SET amount = NULL WHERE id = 11;
    INSERT INTO items VALUES (5000, 7, 'new');`);
  await executePlan(session, plan, { fromStep: index, backfill: { batchSize: 250, resumeAfter: async () => reached } });
  const [wrong] = await session.query<{ n: number; total: number }>(
    `SELECT count(*) FILTER (WHERE amount IS DISTINCT FROM CASE id WHEN 10 THEN -10000 WHEN 2000 THEN -2000000 WHEN 11 THEN NULL WHEN 5000 THEN 7 ELSE id * 1000 END)::int AS n, count(*)::int AS total FROM items`,
  );
  assert.deepEqual(wrong, { n: 0, total: 3001 });
  assert.equal(schemaHash(await introspect(session)), plan.target_hash);
}

test('PGlite: an interrupted type-change backfill resumes after its last batch; writes in between are kept in sync', { timeout: 60_000 }, async () => {
  await withPglite((target) => withPglite((scratch) => interruptedBackfill(target, scratch)));
});

serverTest('server: an interrupted type-change backfill resumes after its last batch; writes in between are kept in sync', async () => {
  await withServerSession((target) => withServerSession((scratch) => interruptedBackfill(target, scratch)));
});
