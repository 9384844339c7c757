// Aggregates through the whole loop: introspected from pg_aggregate, planned
// in dependency order with the functions they use, replaced in place when the
// signature stays, rolled back — on PGlite (Postgres 18) and the server (15).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { buildPlan } from '../../src/plan/index.js';
import { stepStatements } from '../../src/plan/types.js';
import { checkCase, sqlCase } from '../corpus/harness.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

const FUNCTIONS = `
CREATE FUNCTION public.acc(numeric[], numeric) RETURNS numeric[] LANGUAGE sql IMMUTABLE AS $$ SELECT array_append($1, $2) $$;
CREATE FUNCTION public.first_of(numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT $1[1] $$;
`;

/** Every shape of CREATE AGGREGATE that SQL-language functions and built-ins allow. */
const SHAPES = `${FUNCTIONS}
CREATE AGGREGATE public.cnt(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');
COMMENT ON AGGREGATE public.cnt(*) IS 'counts rows';
CREATE AGGREGATE public.pct(float8 ORDER BY anyelement) (
  SFUNC = ordered_set_transition, STYPE = internal, FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
CREATE AGGREGATE public.rnk(VARIADIC "any" ORDER BY VARIADIC "any") (
  SFUNC = ordered_set_transition_multi, STYPE = internal, FINALFUNC = rank_final, FINALFUNC_EXTRA, HYPOTHETICAL);
CREATE AGGREGATE public.mx(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >, SSPACE = 16, PARALLEL = RESTRICTED);
CREATE AGGREGATE public.firsts(numeric) (
  SFUNC = public.acc, STYPE = numeric[], FINALFUNC = public.first_of, FINALFUNC_MODIFY = SHAREABLE, INITCOND = '{}');
CREATE AGGREGATE public.joined(text) (SFUNC = textcat, STYPE = text, INITCOND = '');
REVOKE EXECUTE ON FUNCTION public.joined(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.joined(text) TO agg_reader;
`;

const CASES: { name: string; old: string; new: string; expectSql?: RegExp; refuseSql?: RegExp }[] = [
  { name: 'every shape created', old: '', new: SHAPES },
  { name: 'every shape dropped (before the functions they use)', old: SHAPES, new: '' },
  {
    name: 'changed options, same signature: CREATE OR REPLACE',
    old: `${FUNCTIONS}CREATE AGGREGATE public.firsts(numeric) (SFUNC = public.acc, STYPE = numeric[], FINALFUNC = public.first_of, INITCOND = '{}');`,
    new: `${FUNCTIONS}CREATE AGGREGATE public.firsts(numeric) (SFUNC = public.acc, STYPE = numeric[], FINALFUNC = public.first_of, INITCOND = '{0}', PARALLEL = SAFE);`,
    expectSql: /CREATE OR REPLACE AGGREGATE "public"\."firsts"\(numeric\)/,
    refuseSql: /DROP AGGREGATE/,
  },
  {
    name: 'the transition function changes signature: the aggregate is rebuilt around it',
    old: `CREATE FUNCTION public.step(text, text) RETURNS text LANGUAGE sql AS $$ SELECT $1 || $2 $$;
CREATE AGGREGATE public.agg(text) (SFUNC = public.step, STYPE = text);`,
    new: `CREATE FUNCTION public.step(integer, integer) RETURNS integer LANGUAGE sql AS $$ SELECT $1 + $2 $$;
CREATE AGGREGATE public.agg(integer) (SFUNC = public.step, STYPE = integer);`,
  },
  {
    name: 'a view using an aggregate is created after it and dropped before it',
    old: '',
    new: `${FUNCTIONS}CREATE AGGREGATE public.firsts(numeric) (SFUNC = public.acc, STYPE = numeric[], FINALFUNC = public.first_of);
CREATE TABLE public.t (x numeric);
CREATE VIEW public.v AS SELECT public.firsts(x) AS f FROM public.t;`,
  },
];

async function run(a: PgSession, b: PgSession, reset: () => Promise<void>): Promise<void> {
  for (const c of CASES) {
    await reset();
    const corpusCase = sqlCase(c.name, c.old, c.new);
    await checkCase(corpusCase, a, b);
    if (c.expectSql || c.refuseSql) {
      await reset();
      await a.exec(c.old);
      await b.exec(c.new);
      const sql = buildPlan(await introspect(a), await introspect(b)).steps.flatMap(stepStatements).join('\n');
      if (c.expectSql) assert.match(sql, c.expectSql, c.name);
      if (c.refuseSql) assert.doesNotMatch(sql, c.refuseSql, c.name);
    }
  }
}

async function resetAll(...sessions: PgSession[]): Promise<void> {
  for (const s of sessions) await s.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
}

test('PGlite: aggregates converge, replace in place and roll back', async () => {
  await withPglite((a) => withPglite((b) => run(a, b, () => resetAll(a, b))));
});

serverTest('server: aggregates converge, replace in place and roll back', async () => {
  await withServerSession((a) => withServerSession((b) => run(a, b, () => resetAll(a, b))));
});

test('PGlite: an aggregate is introspected into the canonical CREATE AGGREGATE text', async () => {
  await withPglite(async (s) => {
    await s.exec(`DO $$ BEGIN CREATE ROLE agg_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await s.exec(SHAPES);
    const fns = (await introspect(s)).functions ?? [];
    const byName = new Map(fns.map((f) => [f.name, f]));
    assert.equal(byName.get('cnt')?.kind, 'aggregate');
    assert.equal(byName.get('cnt')?.comment, 'counts rows');
    assert.match(byName.get('cnt')!.definition, /^CREATE AGGREGATE "public"\."cnt"\(\*\) \(/);
    assert.match(byName.get('pct')!.definition, /\(double precision ORDER BY anyelement\)/);
    assert.match(byName.get('rnk')!.definition, /HYPOTHETICAL/);
    assert.match(byName.get('mx')!.definition, /SORTOP = OPERATOR\("pg_catalog"\.>\),\n {4}PARALLEL = RESTRICTED/);
    assert.match(byName.get('firsts')!.definition, /FINALFUNC_MODIFY = SHAREABLE/);
    // The empty INITCOND is a value, not NULL.
    assert.match(byName.get('joined')!.definition, /INITCOND = ''/);
    assert.deepEqual(byName.get('joined')?.grants, [{ grantee: 'agg_reader', privileges: ['EXECUTE'] }]);
    assert.ok(byName.get('firsts')?.depends_on?.some((r) => r.kind === 'function' && r.name === 'acc'));
  });
});
