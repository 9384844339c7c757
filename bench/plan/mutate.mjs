// The changed copy for the plan benchmark: ~5% of the objects built by
// ../introspect/build-schema.mjs (172 changes over 3,300 tables, indexes,
// views, functions, policies and enums), written as plain SQL on the copy.
import {
  enumName,
  functionName,
  functionStatement,
  quoteIdent,
  tableName,
  viewName,
  viewStatement,
} from '../introspect/build-schema.mjs';

const range = (from, to, step = 1) => Array.from({ length: Math.ceil((to - from) / step) }, (_, k) => from + k * step);
const table = (i) => `public.${quoteIdent(tableName(i))}`;
const orReplace = (statement) => statement.replace(/^CREATE /, 'CREATE OR REPLACE ');

/** Each group: what it does (for the report) and its statements, in an order Postgres accepts. */
export function mutations() {
  return [
    { what: 'columns added (20 tables)', count: 20, sql: range(900, 920).map((i) => `ALTER TABLE ${table(i)} ADD COLUMN extra integer DEFAULT 0 NOT NULL`) },
    { what: 'columns retyped (10 tables)', count: 10, sql: range(920, 930).map((i) => `ALTER TABLE ${table(i)} ALTER COLUMN note TYPE character varying(100)`) },
    {
      // t0600.name is read by v0100, which v0101 reads: both must be rebuilt.
      what: 'columns retyped under two views each (5 tables, 10 views rebuilt)',
      count: 5,
      sql: range(100, 125, 5).flatMap((v) => [
        `DROP VIEW public.${viewName(v + 1)}`,
        `DROP VIEW public.${viewName(v)}`,
        `ALTER TABLE ${table(v + 500)} ALTER COLUMN name TYPE character varying(300)`,
        viewStatement(v),
        viewStatement(v + 1),
      ]),
    },
    { what: 'tables dropped', count: 5, sql: [961, 962, 963, 964, 966].map((i) => `DROP TABLE ${table(i)}`) },
    {
      what: 'tables added (with a foreign key and an index)',
      count: 5,
      sql: range(0, 5).flatMap((k) => [
        `CREATE TABLE public.n${k} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, t_id bigint NOT NULL REFERENCES ${table(1)} (id), label text NOT NULL)`,
        `CREATE INDEX n${k}_t_id_idx ON public.n${k} (t_id)`,
      ]),
    },
    { what: 'indexes added', count: 10, sql: range(700, 710).map((i) => `CREATE INDEX ${tableName(i)}_email_idx ON ${table(i)} (lower(email))`) },
    { what: 'indexes dropped', count: 5, sql: range(710, 715).map((i) => `DROP INDEX public.${quoteIdent(`${tableName(i)}_name_idx`)}`) },
    { what: 'views redefined', count: 25, sql: range(2, 127, 5).map((i) => orReplace(viewStatement(i, ' WHERE amount > 0'))) },
    { what: 'views dropped', count: 5, sql: range(4, 29, 5).map((i) => `DROP VIEW public.${viewName(i)}`) },
    { what: 'views added', count: 5, sql: range(0, 5).map((k) => `CREATE VIEW public.nv${k} AS SELECT id, name FROM ${table(200 + k)} WHERE NOT active`) },
    { what: 'plpgsql function bodies changed', count: 25, sql: range(201, 251, 2).map((i) => orReplace(functionStatement(i, '!'))) },
    // f0306 is called by two views (v0153, v0353); f0300's body is BEGIN ATOMIC.
    { what: 'sql function bodies changed', count: 5, sql: range(300, 310, 2).map((i) => orReplace(functionStatement(i, ' + 1'))) },
    { what: 'functions dropped', count: 5, sql: range(351, 361, 2).map((i) => `DROP FUNCTION public.${functionName(i)}(bigint)`) },
    {
      what: 'overloads: one dropped, one added',
      count: 2,
      sql: [
        `DROP FUNCTION public.${functionName(99)}(integer, integer)`,
        `CREATE FUNCTION public.${functionName(150)}(label text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(label) $$`,
      ],
    },
    {
      what: 'functions added',
      count: 5,
      sql: range(0, 5).map((k) => `CREATE FUNCTION public.g${k}(x bigint) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN x * ${k + 2}; END $$`),
    },
    { what: 'policies altered', count: 10, sql: range(10, 20).map((i) => `ALTER POLICY p_read ON ${table(i)} USING (active AND amount >= 0)`) },
    { what: 'policies dropped', count: 2, sql: [20, 21].map((i) => `DROP POLICY p_write ON ${table(i)}`) },
    { what: 'policies added', count: 2, sql: [22, 23].map((i) => `CREATE POLICY p_delete ON ${table(i)} FOR DELETE USING (NOT active)`) },
    {
      what: 'row security enabled on 2 more tables, with a policy each',
      count: 2,
      sql: [100, 101].flatMap((i) => [`ALTER TABLE ${table(i)} ENABLE ROW LEVEL SECURITY`, `CREATE POLICY p_read ON ${table(i)} FOR SELECT USING (active)`]),
    },
    { what: 'enum labels added', count: 5, sql: range(5, 10).map((i) => `ALTER TYPE public.${enumName(i)} ADD VALUE 'retired'`) },
    {
      what: 'enums added, each used by a new column',
      count: 4,
      sql: [0, 1].flatMap((k) => [
        `CREATE TYPE public.ne${k} AS ENUM ('small', 'large')`,
        `ALTER TABLE ${table(930 + k)} ADD COLUMN size public.ne${k}`,
      ]),
    },
    { what: 'column defaults changed', count: 5, sql: range(940, 945).map((i) => `ALTER TABLE ${table(i)} ALTER COLUMN note SET DEFAULT 'none'`) },
    { what: 'columns made NOT NULL', count: 5, sql: range(945, 950).map((i) => `ALTER TABLE ${table(i)} ALTER COLUMN email SET NOT NULL`) },
  ];
}
