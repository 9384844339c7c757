// Rendering details the planner relies on: serial sequences, quoting of
// awkward names, identity and column alters — executed on real PGlite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { alterColumnStatements, parseRegclassText } from '../../src/dialects/postgres/render.js';
import { renderSchemaDdl } from '../../src/plan/ddl.js';
import { buildPlan, rollbackPlan } from '../../src/plan/index.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Schema } from '../../src/schema/types.js';
import { withPglite } from '../helpers/databases.js';
import { applyPlan, loadSchema } from './support.js';

test('regclass text parsing: bare names fold to lower case, quoted names keep case and quotes', () => {
  assert.deepEqual(parseRegclassText('users_id_seq'), ['users_id_seq']);
  assert.deepEqual(parseRegclassText('public.Users_ID_seq'), ['public', 'users_id_seq']);
  assert.deepEqual(parseRegclassText('"My Schema"."T_id_seq"'), ['My Schema', 'T_id_seq']);
  assert.deepEqual(parseRegclassText('"a""b".c'), ['a"b', 'c']);
  assert.deepEqual(parseRegclassText('"x.y"'), ['x.y']);
  assert.equal(parseRegclassText('a.b.c.d'), undefined);
  assert.equal(parseRegclassText('"unterminated'), undefined);
});

test('serial columns: the sequence is created before the table and owned by the column', async () => {
  const schema: Schema = {
    tables: [
      {
        name: 'users',
        columns: [{ name: 'id', type: 'integer', nullable: false, default: "nextval('users_id_seq'::regclass)", is_primary_key: true }],
      },
    ],
  };
  const ddl = renderSchemaDdl(schema);
  assert.deepEqual(ddl, [
    'CREATE SEQUENCE IF NOT EXISTS "users_id_seq" AS integer',
    'CREATE TABLE "public"."users" ("id" integer DEFAULT nextval(\'users_id_seq\'::regclass) NOT NULL, PRIMARY KEY ("id"))',
    'ALTER SEQUENCE "users_id_seq" OWNED BY "public"."users"."id"',
  ]);
  await withPglite(async (session) => {
    await loadSchema(session, schema);
    const model = await introspect(session);
    assert.equal(model.tables[0]!.columns[0]!.default, "nextval('public.users_id_seq'::regclass)");
    await session.exec('INSERT INTO users DEFAULT VALUES');
  });
});

test('serial columns in quoted namespaces survive introspect → render → load', async () => {
  const model = await withPglite(async (session) => {
    await session.exec('CREATE SCHEMA "My Schema"; CREATE TABLE "My Schema"."T ""x""" (id serial PRIMARY KEY, b bigserial)');
    return introspect(session);
  });
  const again = await withPglite(async (session) => {
    await loadSchema(session, model);
    return introspect(session);
  });
  assert.equal(schemaHash(again), schemaHash(model));
  await withPglite(async (session) => {
    // Adding a serial column to an existing table through a plan.
    const before: Schema = { tables: [{ name: 't', columns: [{ name: 'a', type: 'text', nullable: true }] }] };
    await loadSchema(session, before);
    const from = await introspect(session);
    const to: Schema = {
      ...from,
      tables: [{ ...from.tables[0]!, columns: [...from.tables[0]!.columns, { name: 'n', type: 'bigint', nullable: false, default: "nextval('public.t_n_seq'::regclass)" }] }],
    };
    const plan = buildPlan(from, to);
    await applyPlan(session, plan);
    assert.equal(schemaHash(await introspect(session)), schemaHash(to));
    await applyPlan(session, rollbackPlan(plan, from));
    assert.equal(schemaHash(await introspect(session)), schemaHash(from));
  });
});

test('column alters: one statement, only the needed parts, USING for type changes', () => {
  const t = { schema: 'public', name: 'users' };
  assert.deepEqual(
    alterColumnStatements(t, { name: 'age', type: 'integer', nullable: true, default: '0' }, { name: 'age', type: 'bigint', nullable: false, default: '1' }),
    [
      'ALTER TABLE "public"."users" ALTER COLUMN "age" DROP DEFAULT, ALTER COLUMN "age" TYPE bigint USING "age"::bigint, ALTER COLUMN "age" SET DEFAULT 1, ALTER COLUMN "age" SET NOT NULL',
    ],
  );
  assert.deepEqual(
    alterColumnStatements(t, { name: 'n', type: 'integer', nullable: true }, { name: 'n', type: 'integer', nullable: true, default: '5' }),
    ['ALTER TABLE "public"."users" ALTER COLUMN "n" SET DEFAULT 5'],
  );
});

test('identity: add, change options in place, drop — applied on PGlite and rolled back', async () => {
  const t = (identity?: { generation: 'ALWAYS' | 'BY DEFAULT'; increment?: string; start?: string; max_value?: string }): Schema => ({
    tables: [{ name: 'ids', columns: [{ name: 'n', type: 'integer', nullable: false, ...(identity ? { identity } : {}) }] }],
  });
  const steps: Schema[] = [
    t(),
    t({ generation: 'ALWAYS' }),
    t({ generation: 'BY DEFAULT', increment: '5', start: '10', max_value: '1000' }),
    t({ generation: 'ALWAYS' }),
    t(),
  ];
  await withPglite(async (session) => {
    await loadSchema(session, steps[0]!);
    for (let i = 1; i < steps.length; i++) {
      const from = await introspect(session);
      await withPglite(async (scratch) => {
        await loadSchema(scratch, steps[i]!);
        const to = await introspect(scratch);
        const plan = buildPlan(from, to);
        await applyPlan(session, plan);
        assert.equal(schemaHash(await introspect(session)), schemaHash(to), `step ${i}`);
        await applyPlan(session, rollbackPlan(plan, from));
        assert.equal(schemaHash(await introspect(session)), schemaHash(from), `rollback of step ${i}`);
        await applyPlan(session, plan);
      });
    }
  });
});
