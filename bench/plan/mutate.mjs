// The changed copy for the plan benchmarks: ~5% of the objects built by
// ../introspect/build-schema.mjs (at M, 172 changes over 3,300 tables,
// indexes, views, functions, policies and enums; the counts scale with the
// number of tables), written as plain SQL on the copy.
import {
  enumName,
  functionName,
  functionStatement,
  quoteIdent,
  shape,
  tableName,
  viewName,
  viewStatement,
} from '../introspect/build-schema.mjs';

const range = (from, to, step = 1) => Array.from({ length: Math.ceil((to - from) / step) }, (_, k) => from + k * step);
const orReplace = (statement) => statement.replace(/^CREATE /, 'CREATE OR REPLACE ');

/** Each group: what it does (for the report) and its statements, in an order Postgres accepts. */
export function mutations(s = shape()) {
  const n = s.tables;
  /** `m` objects at M, scaled to this size (at least one). */
  const count = (m) => Math.max(1, Math.round((m * n) / 1000));
  /** The index at fraction `f` of the tables. */
  const at = (f) => Math.round(f * n);
  /** `k` numbers from `from` on, `step` apart. */
  const some = (from, k, step = 1) => range(0, k).map((j) => from + j * step);
  const table = (i) => `public.${quoteIdent(tableName(i, s))}`;
  const view = (i) => `public.${viewName(i, s)}`;
  // Tables the views do not read: (i - n/2) % 5 !== 0 above n/2.
  const droppable = range(at(0.96), n).filter((i) => (i - n / 2) % 5 !== 0).slice(0, count(5));
  // Even-numbered views v (a join over table v + n/2) are read by v + 1.
  const underViews = some(at(0.1), count(5), 5);
  const odd = (i) => (i % 2 ? i : i + 1);
  const even = (i) => (i % 2 ? i + 1 : i);
  const policyTables = some(at(0.01), count(10));
  const dropPolicies = some(at(0.02), count(2));
  const addPolicies = some(at(0.02) + count(2), count(2));
  const rlsAdded = some(s.rlsTables, count(2));
  return [
    { what: 'columns added', count: count(20), sql: some(at(0.9), count(20)).map((i) => `ALTER TABLE ${table(i)} ADD COLUMN extra integer DEFAULT 0 NOT NULL`) },
    { what: 'columns retyped', count: count(10), sql: some(at(0.92), count(10)).map((i) => `ALTER TABLE ${table(i)} ALTER COLUMN note TYPE character varying(100)`) },
    {
      what: `columns retyped under two views each (${underViews.length * 2} views rebuilt)`,
      count: underViews.length,
      sql: underViews.flatMap((v) => [
        `DROP VIEW ${view(v + 1)}`,
        `DROP VIEW ${view(v)}`,
        `ALTER TABLE ${table(v + n / 2)} ALTER COLUMN name TYPE character varying(300)`,
        viewStatement(v, '', s),
        viewStatement(v + 1, '', s),
      ]),
    },
    { what: 'tables dropped', count: droppable.length, sql: droppable.map((i) => `DROP TABLE ${table(i)}`) },
    {
      what: 'tables added (with a foreign key and an index)',
      count: count(5),
      sql: range(0, count(5)).flatMap((k) => [
        `CREATE TABLE public.n${k} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, t_id bigint NOT NULL REFERENCES ${table(1)} (id), label text NOT NULL)`,
        `CREATE INDEX n${k}_t_id_idx ON public.n${k} (t_id)`,
      ]),
    },
    { what: 'indexes added', count: count(10), sql: some(at(0.7), count(10)).map((i) => `CREATE INDEX ${tableName(i, s)}_email_idx ON ${table(i)} (lower(email))`) },
    { what: 'indexes dropped', count: count(5), sql: some(at(0.71), count(5)).map((i) => `DROP INDEX public.${quoteIdent(`${tableName(i, s)}_name_idx`)}`) },
    { what: 'views redefined', count: count(25), sql: some(2, count(25), 5).map((i) => orReplace(viewStatement(i, ' WHERE amount > 0', s))) },
    { what: 'views dropped', count: count(5), sql: some(4, count(5), 5).map((i) => `DROP VIEW ${view(i)}`) },
    { what: 'views added', count: count(5), sql: range(0, count(5)).map((k) => `CREATE VIEW public.nv${k} AS SELECT id, name FROM ${table(at(0.2) + k)} WHERE NOT active`) },
    { what: 'plpgsql function bodies changed', count: count(25), sql: some(odd(at(0.2)), count(25), 2).map((i) => orReplace(functionStatement(i, '!', s))) },
    // At M, f0306 is called by two views (v0153, v0353); f0300's body is BEGIN ATOMIC.
    { what: 'sql function bodies changed', count: count(5), sql: some(even(at(0.3)), count(5), 2).map((i) => orReplace(functionStatement(i, ' + 1', s))) },
    { what: 'functions dropped', count: count(5), sql: some(odd(at(0.35)), count(5), 2).map((i) => `DROP FUNCTION public.${functionName(i, s)}(bigint)`) },
    {
      what: 'overloads: one dropped, one added',
      count: 2,
      sql: [
        `DROP FUNCTION public.${functionName(s.functions - s.functionNames - 1, s)}(integer, integer)`,
        `CREATE FUNCTION public.${functionName(at(0.15), s)}(label text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(label) $$`,
      ],
    },
    {
      what: 'functions added',
      count: count(5),
      sql: range(0, count(5)).map((k) => `CREATE FUNCTION public.g${k}(x bigint) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN x * ${k + 2}; END $$`),
    },
    { what: 'policies altered', count: policyTables.length, sql: policyTables.map((i) => `ALTER POLICY p_read ON ${table(i)} USING (active AND amount >= 0)`) },
    { what: 'policies dropped', count: dropPolicies.length, sql: dropPolicies.map((i) => `DROP POLICY p_write ON ${table(i)}`) },
    { what: 'policies added', count: addPolicies.length, sql: addPolicies.map((i) => `CREATE POLICY p_delete ON ${table(i)} FOR DELETE USING (NOT active)`) },
    {
      what: 'row security enabled on more tables, with a policy each',
      count: rlsAdded.length,
      sql: rlsAdded.flatMap((i) => [`ALTER TABLE ${table(i)} ENABLE ROW LEVEL SECURITY`, `CREATE POLICY p_read ON ${table(i)} FOR SELECT USING (active)`]),
    },
    { what: 'enum labels added', count: count(5), sql: some(Math.floor(s.enums / 20), count(5)).map((i) => `ALTER TYPE public.${enumName(i, s)} ADD VALUE 'retired'`) },
    {
      what: 'enums added, each used by a new column',
      count: count(2) * 2,
      sql: range(0, count(2)).flatMap((k) => [
        `CREATE TYPE public.ne${k} AS ENUM ('small', 'large')`,
        `ALTER TABLE ${table(at(0.93) + k)} ADD COLUMN size public.ne${k}`,
      ]),
    },
    { what: 'column defaults changed', count: count(5), sql: some(at(0.94), count(5)).map((i) => `ALTER TABLE ${table(i)} ALTER COLUMN note SET DEFAULT 'none'`) },
    { what: 'columns made NOT NULL', count: count(5), sql: some(at(0.945), count(5)).map((i) => `ALTER TABLE ${table(i)} ALTER COLUMN email SET NOT NULL`) },
  ];
}
