// Range types (and their multiranges) through the whole loop: introspected
// from pg_range without their constructor functions, created after the
// SUBTYPE_DIFF function they use, recreated with their columns converted when
// the definition changes, rolled back — on PGlite (Postgres 18) and the
// server (15). Also: an enum recreate and its rollback keep the type's grants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { buildPlan, rollbackPlan } from '../../src/plan/index.js';
import { stepStatements } from '../../src/plan/types.js';
import { executePlan } from '../../src/apply/execute.js';
import { schemaHash } from '../../src/schema/hash.js';
import { checkCaseFromSql, comparable, sqlCase } from '../corpus/harness.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

const ROLE = `DO $$ BEGIN CREATE ROLE range_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`;

const DIFF_FN = `CREATE FUNCTION public.num_diff(numeric, numeric) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$ SELECT ($1 - $2)::float8 $$;`;

/** Every option a range can have without a C function (CANONICAL needs one). */
const SHAPES = `${DIFF_FN}
CREATE TYPE public.numspan AS RANGE (SUBTYPE = numeric, SUBTYPE_DIFF = public.num_diff);
COMMENT ON TYPE public.numspan IS 'numeric spans';
CREATE TYPE public.textrange AS RANGE (SUBTYPE = text, SUBTYPE_OPCLASS = text_pattern_ops, COLLATION = "C", MULTIRANGE_TYPE_NAME = public.textranges);
CREATE TYPE public.floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
REVOKE USAGE ON TYPE public.floatrange FROM PUBLIC;
GRANT USAGE ON TYPE public.floatrange TO range_reader;
CREATE TABLE public.booking (
  id integer PRIMARY KEY,
  during public.floatrange NOT NULL DEFAULT public.floatrange(0, 1),
  spans public.floatmultirange,
  labels public.textrange[],
  EXCLUDE USING gist (during WITH &&)
);
CREATE VIEW public.unit AS SELECT public.floatrange(0, 1) AS r;
`;

const BOOKING_OLD = `CREATE TYPE public.floatrange AS RANGE (SUBTYPE = float8);
GRANT USAGE ON TYPE public.floatrange TO range_reader;
COMMENT ON TYPE public.floatrange IS 'old';
CREATE TABLE public.booking (
  id integer PRIMARY KEY,
  during public.floatrange NOT NULL DEFAULT '[0,1)'::public.floatrange CHECK (during <> 'empty'::public.floatrange),
  spans public.floatmultirange,
  EXCLUDE USING gist (during WITH &&)
);
CREATE VIEW public.unit AS SELECT public.floatrange(0, 1) AS r, b.during FROM public.booking b;
INSERT INTO public.booking VALUES (1, '[1,2)', '{[1,2),[3,4)}'), (2, '[5,6]', NULL);`;

const CASES: { name: string; old: string; new: string; expectSql?: RegExp; refuseSql?: RegExp }[] = [
  { name: 'every shape created (after the SUBTYPE_DIFF function)', old: '', new: SHAPES },
  { name: 'every shape dropped (before the function)', old: SHAPES, new: '' },
  {
    name: 'a changed range is recreated: columns converted, checks, exclusion, view rebuilt',
    old: BOOKING_OLD,
    new: BOOKING_OLD.replace('(SUBTYPE = float8)', '(SUBTYPE = float8, SUBTYPE_DIFF = float8mi)').replace("'old'", "'new'"),
    expectSql: /ALTER FUNCTION "public"\."floatrange"\(double precision, double precision\) RENAME/,
    refuseSql: /DROP TABLE/,
  },
  {
    name: 'a range changes its subtype (widening) and its multirange name',
    old: `CREATE TYPE public.span AS RANGE (SUBTYPE = integer);
CREATE TABLE public.t (s public.span, m public.span_multirange DEFAULT '{}');
INSERT INTO public.t VALUES ('[1,5)', '{[1,2)}');`,
    new: `CREATE TYPE public.span AS RANGE (SUBTYPE = bigint, MULTIRANGE_TYPE_NAME = public.spans);
CREATE TABLE public.t (s public.span, m public.spans DEFAULT '{}');`,
  },
  {
    name: 'an enum recreate keeps its grants both ways (issue 3: rollback lost them)',
    old: `CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
REVOKE USAGE ON TYPE public.mood FROM PUBLIC;
GRANT USAGE ON TYPE public.mood TO range_reader;
COMMENT ON TYPE public.mood IS 'feelings';
CREATE TABLE public.m (x public.mood);`,
    new: `CREATE TYPE public.mood AS ENUM ('happy', 'ok');
GRANT USAGE ON TYPE public.mood TO range_reader;
CREATE TABLE public.m (x public.mood);`,
  },
  {
    name: 'an enum label addition is rolled back by a recreate that keeps the grants',
    old: `CREATE TYPE public.mood AS ENUM ('sad', 'happy');
REVOKE USAGE ON TYPE public.mood FROM PUBLIC;
GRANT USAGE ON TYPE public.mood TO range_reader;
CREATE TABLE public.m (x public.mood);`,
    new: `CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
REVOKE USAGE ON TYPE public.mood FROM PUBLIC;
GRANT USAGE ON TYPE public.mood TO range_reader;
CREATE TABLE public.m (x public.mood);`,
  },
];

/** Old and new SQL executed as written (rows included), then the same checks as the corpus: converge, second plan empty, rollback restores. */
async function converge(name: string, a: PgSession, b: PgSession, oldSql: string, newSql: string): Promise<string> {
  if (oldSql) await a.exec(oldSql);
  if (newSql) await b.exec(newSql);
  const before = await introspect(a);
  const desired = await introspect(b);
  const plan = buildPlan(before, desired);
  await executePlan(a, plan, { expectedSourceHash: schemaHash(before) });
  const after = await introspect(a);
  assert.deepEqual(comparable(after), comparable(desired), `${name}: A does not equal B after the plan`);
  assert.equal(buildPlan(after, desired).steps.length, 0, `${name}: a second plan is not empty`);
  await executePlan(a, rollbackPlan(plan, before));
  assert.deepEqual(comparable(await introspect(a)), comparable(before), `${name}: the rollback does not restore A`);
  return plan.steps.flatMap(stepStatements).join('\n');
}

async function run(a: PgSession, b: PgSession, reset: () => Promise<void>): Promise<void> {
  for (const c of CASES) {
    await reset();
    const sql = await converge(c.name, a, b, c.old, c.new);
    if (c.expectSql) assert.match(sql, c.expectSql, c.name);
    if (c.refuseSql) assert.doesNotMatch(sql, c.refuseSql, c.name);
  }
}

async function resetAll(...sessions: PgSession[]): Promise<void> {
  for (const s of sessions) await s.exec(`${ROLE}; DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
}

test('PGlite: range types converge, recreate with their columns and roll back', async () => {
  await withPglite((a) => withPglite((b) => run(a, b, () => resetAll(a, b))));
});

serverTest('server: range types converge, recreate with their columns and roll back', async () => {
  await withServerSession((a) => withServerSession((b) => run(a, b, () => resetAll(a, b))));
});

test('PGlite: a range is introspected with its options, without its constructors', async () => {
  await withPglite(async (s) => {
    await s.exec(`${ROLE}; ${SHAPES}`);
    const schema = await introspect(s);
    const byName = new Map((schema.range_types ?? []).map((r) => [r.name, r]));
    assert.deepEqual(byName.get('numspan'), { schema: 'public', name: 'numspan', subtype: 'numeric', subtype_diff: 'public.num_diff', comment: 'numeric spans' });
    assert.deepEqual(byName.get('textrange'), {
      schema: 'public',
      name: 'textrange',
      subtype: 'text',
      subtype_opclass: 'text_pattern_ops',
      collation: 'C',
      multirange_type_name: 'textranges',
    });
    assert.deepEqual(byName.get('floatrange')?.grants, [{ grantee: 'range_reader', privileges: ['USAGE'] }]);
    assert.deepEqual(schema.functions?.map((f) => f.name), ['num_diff']);
    // A view calling a constructor uses the type.
    const view = schema.views?.find((v) => v.name === 'unit');
    assert.ok(view?.depends_on?.some((r) => r.kind === 'type' && r.name === 'floatrange'), JSON.stringify(view?.depends_on));
  });
});

test('PGlite: a subtype change that narrows, with rows, is LP203', async () => {
  await withPglite(async (a) => {
    await a.exec(`CREATE TYPE public.span AS RANGE (SUBTYPE = bigint); CREATE TABLE public.t (s public.span)`);
    const before = await introspect(a);
    const after = structuredClone(before);
    after.range_types![0]!.subtype = 'integer';
    const plan = buildPlan(before, after);
    const codes = plan.steps.flatMap((s) => s.hazards ?? []);
    assert.ok(codes.includes('LP203'), JSON.stringify(plan.steps, null, 1));
    assert.ok(rollbackPlan(plan, before).steps.length > 0);
  });
});

test('PGlite: range types from SQL files (--to new.sql) converge, and a definition change recreates', async () => {
  await withPglite(async (a) => {
    await a.exec(ROLE);
    await checkCaseFromSql(sqlCase('ranges from SQL', '', SHAPES), a);
    await resetAll(a);
    const changed = SHAPES.replace('SUBTYPE = float8, SUBTYPE_DIFF = float8mi', 'SUBTYPE = float8');
    await checkCaseFromSql(sqlCase('a range changed in SQL', SHAPES, changed), a);
  });
});
