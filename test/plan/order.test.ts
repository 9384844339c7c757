// Plan ordering: dependency-correct, deterministic, cycles reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Change } from '../../src/diff/changes.js';
import { buildPlan, orderChanges, PlanCycleError } from '../../src/plan/index.js';
import type { Schema, Table } from '../../src/schema/types.js';
import { withPglite } from '../helpers/databases.js';
import { applyPlan, loadSchema } from './support.js';

const col = (name: string, type = 'integer', nullable = false) => ({ name, type, nullable });

function table(name: string, extra: Partial<Table> = {}, schema = 'public'): Table {
  return { schema, name, columns: [col('id'), col('ref', 'integer', true)], primary_key: { name: `${name}_pkey`, columns: ['id'] }, ...extra };
}

function fk(name: string, to: string, schema = 'public') {
  return { name, columns: ['ref'], referenced_schema: schema, referenced_table: to, referenced_columns: ['id'] };
}

/** Ordering is what these tests check: plain DDL, no online rewrites (test/plan/online.test.ts covers those). */
const PLAIN = { online: false };
const descriptions = (s: Schema, t: Schema): string[] => buildPlan(s, t, PLAIN).steps.map((x) => x.description);

async function appliesCleanly(a: Schema, b: Schema): Promise<void> {
  await withPglite(async (session) => {
    await loadSchema(session, a);
    await applyPlan(session, buildPlan(a, b, PLAIN));
  });
}

test('a new table and a foreign key to it: tables first, foreign keys last', async () => {
  const a: Schema = { tables: [table('a')] };
  const b: Schema = { tables: [table('a', { foreign_keys: [fk('a_ref', 'z')] }), table('z', {}, 'public')] };
  assert.deepEqual(descriptions(a, b), ['Create table z', 'Add foreign key a_ref to table a']);
  await appliesCleanly(a, b);
});

test('dropping a table referenced by another dropped table: foreign keys go first', async () => {
  const a: Schema = { tables: [table('a', { foreign_keys: [fk('a_ref', 'b')] }), table('b'), table('keep')] };
  const b: Schema = { tables: [table('keep')] };
  assert.deepEqual(descriptions(a, b), ['Drop foreign key a_ref from table a', 'Drop table a', 'Drop table b']);
  await appliesCleanly(a, b);
});

test('a self-referencing foreign key: created after, dropped before its table', async () => {
  const self: Schema = { tables: [table('node', { foreign_keys: [fk('node_parent', 'node')] })] };
  assert.deepEqual(descriptions({ tables: [] }, self), ['Create table node', 'Add foreign key node_parent to table node']);
  assert.deepEqual(descriptions(self, { tables: [] }), ['Drop foreign key node_parent from table node', 'Drop table node']);
  await appliesCleanly({ tables: [] }, self);
  await appliesCleanly(self, { tables: [] });
});

test('a primary key change with referencing foreign keys: drop FK, drop PK, add PK, add FK', async () => {
  const a: Schema = { tables: [table('p'), table('c', { foreign_keys: [fk('c_ref', 'p')] })] };
  const b: Schema = { tables: [table('p', { primary_key: { name: 'p_pk_new', columns: ['id'] } }), a.tables[1]!] };
  assert.deepEqual(descriptions(a, b), [
    'Drop foreign key c_ref from table c',
    'Drop primary key p_pkey from table p',
    'Add primary key p_pk_new to table p',
    'Add foreign key c_ref to table c',
  ]);
  await appliesCleanly(a, b);
});

test('namespaces: created before their tables, dropped after them', async () => {
  const a: Schema = { tables: [table('t', {}, 'old')] };
  const b: Schema = { tables: [table('t', {}, 'new')] };
  assert.deepEqual(descriptions(a, b), ['Create schema new', 'Drop table old.t', 'Create table new.t', 'Drop schema old']);
  await appliesCleanly(a, b);
});

test('added columns follow the target column order; steps sort by qualified name', () => {
  const a: Schema = { tables: [table('b'), table('a')] };
  const cols = [col('id'), col('ref', 'integer', true), col('zeta', 'text', true), col('alpha', 'text', true)];
  const b: Schema = { tables: [table('b', { columns: cols }), table('a', { columns: cols })] };
  assert.deepEqual(descriptions(a, b), [
    'Add column zeta to table a',
    'Add column alpha to table a',
    'Add column zeta to table b',
    'Add column alpha to table b',
  ]);
});

test('the plan is byte-identical for the same inputs', () => {
  const a: Schema = { tables: [table('a'), table('c', { foreign_keys: [fk('c_ref', 'a')] })] };
  const b: Schema = { tables: [table('b', { foreign_keys: [fk('b_ref', 'c')] }), table('c')] };
  assert.equal(JSON.stringify(buildPlan(a, b, PLAIN)), JSON.stringify(buildPlan(a, b, PLAIN)));
});

test('a dependency cycle is an error naming the objects', () => {
  const q = { schema: 'public', name: 't' };
  const changes: Change[] = [
    { kind: 'alter_column', table: q, from: col('x'), to: col('x', 'bigint') },
    { kind: 'alter_column', table: q, from: col('x', 'bigint'), to: col('x', 'numeric') },
  ];
  assert.throws(
    () => orderChanges(changes, { columnOrdinal: () => 0 }),
    (error: unknown) => error instanceof PlanCycleError && /Alter column x in table t/.test(error.message),
  );
});

test('comments: described per object, rendered with quoteLiteral, after the object is created, and applied', async () => {
  const a: Schema = { tables: [table('users', { columns: [col('id'), col('email', 'text', true)] })] };
  const b: Schema = {
    tables: [
      table('users', { columns: [col('id'), { ...col('email', 'text', true), comment: "it's" }] }),
      table('posts', { comment: 'blog posts', columns: [col('id'), { ...col('ref', 'integer', true), comment: 'author' }] }),
    ],
  };
  const plan = buildPlan(a, b, PLAIN);
  assert.deepEqual(
    plan.steps.map((s) => s.description),
    ['Create table posts', 'Set comment on column users.email'],
  );
  assert.deepEqual(plan.steps[0]!.sql, [
    'CREATE TABLE "public"."posts" ("id" integer NOT NULL, "ref" integer, CONSTRAINT "posts_pkey" PRIMARY KEY ("id"))',
    `COMMENT ON TABLE "public"."posts" IS 'blog posts'`,
    `COMMENT ON COLUMN "public"."posts"."ref" IS 'author'`,
  ]);
  assert.equal(plan.steps[1]!.sql, `COMMENT ON COLUMN "public"."users"."email" IS 'it''s'`);
  assert.deepEqual(plan.steps[1]!.reverse, {
    description: 'Remove comment from column users.email',
    sql: ['COMMENT ON COLUMN "public"."users"."email" IS NULL'],
  });
  await appliesCleanly(a, b);
});

const mood = (values: string[]) => ({ schema: 'public', name: 'mood', values });

test('enums: created before the table that uses them, dropped after it', async () => {
  const withEnum: Schema = {
    types: [mood(['a', 'b'])],
    tables: [table('feelings', { columns: [col('id'), { ...col('m', 'public.mood', true), default: "'a'::public.mood" }, col('ms', 'public.mood[]', true)] })],
  };
  const empty: Schema = { tables: [] };
  assert.deepEqual(descriptions(empty, withEnum), ['Create enum type mood', 'Create table feelings']);
  assert.deepEqual(descriptions(withEnum, empty), ['Drop table feelings', 'Drop enum type mood']);
  await appliesCleanly(empty, withEnum);
  await appliesCleanly(withEnum, empty);
});

test('enums: a column leaving the type changes before the type is dropped; one joining it after it is created', async () => {
  const a: Schema = { types: [mood(['a'])], tables: [table('t', { columns: [col('id'), col('m', 'public.mood', true)] })] };
  const b: Schema = {
    types: [{ schema: 'public', name: 'mood2', values: ['x'] }],
    tables: [table('t', { columns: [col('id'), col('m', 'text', true)] }), table('u', { columns: [col('id'), col('m', 'public.mood2', true)] })],
  };
  assert.deepEqual(descriptions(a, b), [
    'Create enum type mood2',
    'Create table u',
    'Alter column m in table t (change type from public.mood to text)',
    'Drop enum type mood',
  ]);
  await appliesCleanly(a, b);
});

test('enums: labels added in place with BEFORE/AFTER; removed or reordered → recreate converting every column', async () => {
  const cols = [col('id'), { ...col('m', 'public.mood', true), default: "'b'::public.mood" }, col('ms', 'public.mood[]', true)];
  const a: Schema = { types: [mood(['b', 'd'])], tables: [table('t', { columns: cols })] };
  const added: Schema = { types: [mood(['a', 'b', 'c', 'd', 'e'])], tables: [table('t', { columns: cols })] };
  const plan = buildPlan(a, added, PLAIN);
  assert.deepEqual(plan.steps.map((s) => s.sql), [
    [
      `ALTER TYPE "public"."mood" ADD VALUE 'a' BEFORE 'b'`,
      `ALTER TYPE "public"."mood" ADD VALUE 'c' AFTER 'b'`,
      `ALTER TYPE "public"."mood" ADD VALUE 'e' AFTER 'd'`,
    ],
  ]);
  assert.equal(plan.steps[0]!.transactional, true);
  await appliesCleanly(a, added);

  const removed: Schema = { types: [mood(['d', 'b'].filter((v) => v !== 'd').concat(['z']))], tables: [table('t', { columns: cols })] };
  const recreate = buildPlan(a, removed, PLAIN);
  assert.deepEqual(recreate.steps.map((s) => s.description), ["Recreate enum type mood (remove 'd', add 'z', converting 2 columns)"]);
  assert.deepEqual(recreate.steps[0]!.hazards, ['LP207']);
  assert.deepEqual(recreate.steps[0]!.sql, [
    'ALTER TYPE "public"."mood" RENAME TO "mood__lp_old"',
    `CREATE TYPE "public"."mood" AS ENUM ('b', 'z')`,
    'ALTER TABLE "public"."t" ALTER COLUMN "m" DROP DEFAULT',
    'ALTER TABLE "public"."t" ALTER COLUMN "m" TYPE public.mood USING "m"::text::public.mood',
    `ALTER TABLE "public"."t" ALTER COLUMN "m" SET DEFAULT 'b'::public.mood`,
    'ALTER TABLE "public"."t" ALTER COLUMN "ms" TYPE public.mood[] USING "ms"::text[]::public.mood[]',
    'DROP TYPE "public"."mood__lp_old"',
  ]);
  await appliesCleanly(a, removed);
});

test('enums: a label added and used as a default in the same plan recreates the type (ADD VALUE would be unusable until commit)', async () => {
  const a: Schema = { types: [mood(['a'])], tables: [table('t', { columns: [col('id'), col('m', 'public.mood', true)] })] };
  const b: Schema = {
    types: [mood(['a', "it's new"])],
    tables: [table('t', { columns: [col('id'), { ...col('m', 'public.mood', true), default: "'it''s new'::public.mood" }] })],
  };
  // The recreate leaves the column with its target default: no alter is left to do.
  assert.deepEqual(descriptions(a, b), ["Recreate enum type mood (add 'it's new', converting 1 column)"]);
  await appliesCleanly(a, b);
});

test('enums: foreign keys over the columns a recreate converts are dropped before it and re-added after', async () => {
  const key = (values: string[]): Schema => ({
    types: [mood(values)],
    tables: [
      table('parent', { columns: [col('id', 'public.mood')] }),
      table('child', { columns: [col('id'), col('ref', 'public.mood', true)], foreign_keys: [fk('child_ref_fk', 'parent')] }),
    ],
  });
  assert.deepEqual(descriptions(key(['a', 'b']), key(['b', 'a'])), [
    'Drop foreign key child_ref_fk from table child',
    'Recreate enum type mood (reorder labels, converting 2 columns)',
    'Add foreign key child_ref_fk to table child',
  ]);
  await appliesCleanly(key(['a', 'b']), key(['b', 'a']));
});

test('enums: a column moving between enum types, or to an array of its type, goes through text around the recreates', async () => {
  const two = (a: string[], m: string, n: string): Schema => ({
    types: [mood(a), { schema: 'public', name: 'other', values: ['x'] }],
    tables: [table('t', { columns: [col('id'), col('m', m, true), col('n', n, true)] })],
  });
  const from = two(['a', 'b'], 'public.mood', 'public.other');
  const to = two(['b', 'a'], 'public.other', 'public.mood[]');
  const plan = buildPlan(from, to, PLAIN);
  assert.deepEqual(plan.steps.map((s) => s.description), [
    'Alter column m in table t (change type from public.mood to text)',
    'Recreate enum type mood (reorder labels)',
    'Alter column m in table t (change type from text to public.other)',
    'Alter column n in table t (change type from public.other to text)',
    'Alter column n in table t (change type from text to public.mood[])',
  ]);
  await appliesCleanly(from, to);
  await appliesCleanly(to, from);
});

test('enums: checks and partial indexes that name a label are dropped before a recreate and added back after', async () => {
  const s = (values: string[], check: string): Schema => ({
    types: [mood(values)],
    tables: [
      table('t', {
        columns: [col('id'), col('m', 'public.mood', true)],
        check_constraints: [{ name: 't_m_check', expression: check }],
        indexes: [{ name: 't_a_idx', columns: ['id'], unique: false, where: "(m = 'a'::public.mood)" }],
      }),
    ],
  });
  const from = s(['a', 'b', 'c'], "(m <> 'c'::public.mood)");
  const to = s(['b', 'a'], "(m <> 'b'::public.mood)");
  assert.deepEqual(descriptions(from, to), [
    'Drop index t_a_idx',
    'Drop check constraint t_m_check from table t',
    "Recreate enum type mood (remove 'c', reorder labels, converting 1 column)",
    'Add check constraint t_m_check to table t',
    'Create index t_a_idx',
  ]);
  await appliesCleanly(from, to);
  await appliesCleanly(to, from);
});
