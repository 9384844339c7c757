// Extensions, standalone sequences, views, functions, triggers and policies:
// one query per kind; definitions as the catalog prints them.
import type { CompositeType, Domain, Extension, Policy, PolicyCommand, Routine, Sequence, Trigger, View } from '../../../schema/types.js';
import type { PgSession } from '../session.js';
import type { Later } from './scope.js';
import { ownerKey, type DependsMap } from './depends.js';
import { canonicalTypeGrants } from '../../../schema/canonical.js';
import { grantKey, typeGrants, type GrantsMap } from './grants.js';
import { readIndexes } from './indexes.js';
import { commentJoin } from './names.js';
import { relationsCte } from './scope.js';
import { readViewDefinitions } from './view-definitions.js';

/** Not an extension's member object. */
export const notExtensionMember = (catalog: string, oid: string): string => `NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend x
    WHERE x.classid = 'pg_catalog.${catalog}'::pg_catalog.regclass AND x.objid = ${oid} AND x.deptype = 'e')`;

const withComment = <T extends { comment?: string }>(o: T, comment: string | null): T => {
  if (comment !== null && comment !== '') o.comment = comment;
  return o;
};

// ---- Extensions -------------------------------------------------------------

const EXTENSIONS_SQL = `
SELECT e.extname::text AS name, n.nspname::text AS schema_name, e.extversion::text AS version,
       ds.description AS comment
FROM pg_catalog.pg_extension e
JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
${commentJoin('ds', 'pg_extension', 'e.oid')}
WHERE n.nspname = ANY ($1::text[])
ORDER BY e.extname COLLATE "C"`;

export async function readExtensions(session: PgSession, namespaces: string[]): Promise<Extension[]> {
  const rows = await session.query<{ name: string; schema_name: string; version: string; comment: string | null }>(EXTENSIONS_SQL, [namespaces]);
  return rows.map((r) => withComment<Extension>({ name: r.name, schema: r.schema_name, version: r.version }, r.comment));
}

// ---- Sequences --------------------------------------------------------------

// Identity sequences belong to their column; a sequence owned by a column
// whose default draws from it is that serial column's (the column renders it).
/** The owning column's default draws from the sequence: a serial's own (read with its column). */
const SERIAL_DEFAULT = `
    SELECT 1 FROM pg_catalog.pg_attrdef ad
    JOIN pg_catalog.pg_depend dd ON dd.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND dd.objid = ad.oid
      AND dd.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dd.refobjid = c.oid
    WHERE ad.adrelid = od.refobjid AND ad.adnum = od.refobjsubid`;

const SEQUENCES_SQL = `
SELECT c.oid::text AS oid, n.nspname::text AS schema_name, c.relname::text AS name, pg_catalog.format_type(s.seqtypid, NULL) AS data_type,
       s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min_value, s.seqmax::text AS max_value,
       s.seqcache::text AS cache, s.seqcycle AS cycle,
       on_.nspname::text AS owner_schema, oc.relname::text AS owner_table, oa.attname::text AS owner_column,
       ds.description AS comment, od.deptype = 'a' AND EXISTS (${SERIAL_DEFAULT}) AS serial
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
-- Per sequence (a lateral lookup): as a plain join the planner reads every
-- index's column dependencies first and filters them afterwards.
LEFT JOIN LATERAL (
  SELECT od.refobjid, od.refobjsubid, od.deptype FROM pg_catalog.pg_depend od
  WHERE od.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND od.objid = s.seqrelid
    AND od.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND od.refobjsubid > 0 AND od.deptype IN ('a', 'i')
  OFFSET 0
) od ON true
LEFT JOIN pg_catalog.pg_class oc ON oc.oid = od.refobjid
LEFT JOIN pg_catalog.pg_namespace on_ ON on_.oid = oc.relnamespace
LEFT JOIN pg_catalog.pg_attribute oa ON oa.attrelid = od.refobjid AND oa.attnum = od.refobjsubid
${commentJoin('ds', 'pg_class', 'c.oid')}
WHERE n.nspname = ANY ($1::text[])
  AND ${notExtensionMember('pg_class', 'c.oid')}
  AND (od.deptype IS NULL OR od.deptype = 'a')
ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"`;

interface SequenceRow {
  oid: string;
  schema_name: string;
  name: string;
  data_type: string;
  start: string;
  increment: string;
  min_value: string;
  max_value: string;
  cache: string;
  cycle: boolean;
  owner_schema: string | null;
  owner_table: string | null;
  owner_column: string | null;
  comment: string | null;
  serial: boolean | null;
}

/** `schema.table\0column` of a serial column → the comment on its sequence. */
export type SerialComments = Map<string, string>;

/** Standalone and owned sequences; a serial's own one is its column's, and only its comment is kept (in `serialComments`). */
export async function readSequences(session: PgSession, namespaces: string[], grantsLater: Later<GrantsMap>, serialComments?: SerialComments): Promise<Sequence[]> {
  const rows = await session.query<SequenceRow>(SEQUENCES_SQL, [namespaces]);
  const grants = await grantsLater;
  const serial = rows.filter((r) => r.serial);
  for (const r of serial) if (r.comment) serialComments?.set(`${r.owner_schema}.${r.owner_table}\u0000${r.owner_column}`, r.comment);
  return rows.filter((r) => !r.serial).map((r) => {
    const q: Sequence = {
      schema: r.schema_name,
      name: r.name,
      data_type: r.data_type,
      start: r.start,
      increment: r.increment,
      min_value: r.min_value,
      max_value: r.max_value,
      cache: r.cache,
      cycle: r.cycle,
    };
    if (r.owner_table !== null && r.owner_column !== null) q.owned_by = { schema: r.owner_schema ?? r.schema_name, table: r.owner_table, column: r.owner_column };
    const g = grants.get(grantKey('relation', r.oid));
    if (g) q.grants = g;
    return withComment(q, r.comment);
  });
}

// ---- Views ------------------------------------------------------------------

const VIEWS_SQL = `${relationsCte("'v', 'm'")}
SELECT t.oid::text AS oid, t.schema_name, t.table_name AS name, c.relkind = 'm' AS materialized,
       c.reloptions::text[] AS options,
       ds.description AS comment,
       (SELECT COALESCE(array_agg(a.attname::text ORDER BY a.attnum), '{}') FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped) AS column_names,
       (SELECT COALESCE(array_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum), '{}') FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped) AS column_types
FROM t JOIN pg_catalog.pg_class c ON c.oid = t.oid
${commentJoin('ds', 'pg_class', 't.oid')}
ORDER BY t.schema_name COLLATE "C", t.table_name COLLATE "C"`;

interface ViewRow {
  oid: string;
  schema_name: string;
  name: string;
  materialized: boolean;
  options: string[] | null;
  comment: string | null;
  column_names: string[];
  column_types: string[];
}

export async function readViews(
  session: PgSession,
  namespaces: string[],
  dependsLater: Later<DependsMap>,
  triggersLater: Later<ReadonlyMap<string, Trigger[]>>,
  grantsLater: Later<GrantsMap>,
  inTransaction = false,
): Promise<View[]> {
  const rows = await session.query<ViewRow>(VIEWS_SQL, [namespaces]);
  const definitions = await readViewDefinitions(session, rows.map((r) => r.oid), inTransaction);
  const indexes = rows.some((r) => r.materialized) ? await readIndexes(session, namespaces, relationsCte("'m'")) : new Map();
  const [depends, triggers, grants] = await Promise.all([dependsLater, triggersLater, grantsLater]);
  // A view dropped between the two reads is left out, as if read after.
  return rows.filter((r) => typeof definitions.get(r.oid) === 'string').map((r) => {
    const v: View = { schema: r.schema_name, name: r.name, definition: definitions.get(r.oid)! };
    if (r.materialized) v.materialized = true;
    if (r.options?.length) v.options = r.options;
    v.columns = r.column_names.map((name, i) => ({ name, type: r.column_types[i]! }));
    const idx = indexes.get(r.oid);
    if (idx?.length) v.indexes = idx;
    const trg = triggers.get(r.oid);
    if (trg?.length) v.triggers = trg;
    const g = grants.get(grantKey('relation', r.oid));
    if (g) v.grants = g;
    withComment(v, r.comment);
    const refs = depends.get(ownerKey('view', r.oid));
    if (refs) v.depends_on = refs;
    return v;
  });
}

// ---- Functions and procedures ----------------------------------------------

const ROUTINES_SQL = `
SELECT p.oid::text AS oid, n.nspname::text AS schema_name, p.proname::text AS name, p.prokind = 'p' AS procedure,
       pg_catalog.oidvectortypes(p.proargtypes) AS signature,
       pg_catalog.pg_get_function_identity_arguments(p.oid) AS arguments,
       pg_catalog.pg_get_function_arguments(p.oid) AS argument_list,
       pg_catalog.pg_get_function_result(p.oid) AS returns,
       pg_catalog.pg_get_functiondef(p.oid) AS definition,
       ds.description AS comment
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
${commentJoin('ds', 'pg_proc', 'p.oid')}
WHERE n.nspname = ANY ($1::text[])
  AND p.prokind IN ('f', 'p')
  AND ${notExtensionMember('pg_proc', 'p.oid')}
  -- Constructors of range and multirange types come with their type.
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND x.objid = p.oid
                  AND x.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND x.deptype = 'i')
ORDER BY n.nspname COLLATE "C", p.proname COLLATE "C", pg_catalog.oidvectortypes(p.proargtypes) COLLATE "C"`;

interface RoutineRow {
  oid: string;
  schema_name: string;
  name: string;
  procedure: boolean;
  signature: string;
  arguments: string;
  argument_list: string;
  returns: string | null;
  definition: string;
  comment: string | null;
}

export async function readRoutines(session: PgSession, namespaces: string[], dependsLater: Later<DependsMap>, grantsLater: Later<GrantsMap>): Promise<Routine[]> {
  const rows = await session.query<RoutineRow>(ROUTINES_SQL, [namespaces]);
  const depends = await dependsLater;
  const grants = await grantsLater;
  return rows.map((r) => {
    const f = { schema: r.schema_name, name: r.name } as Routine;
    if (r.procedure) f.kind = 'procedure';
    f.signature = r.signature;
    f.arguments = r.arguments;
    f.argument_list = r.argument_list;
    if (r.returns !== null) f.returns = r.returns;
    f.definition = r.definition;
    withComment(f, r.comment);
    const g = grants.get(grantKey('function', r.oid));
    if (g) f.grants = g;
    const refs = depends.get(ownerKey('function', r.oid));
    if (refs) f.depends_on = refs;
    return f;
  });
}

// ---- Triggers and policies (by table oid) ----------------------------------

const TRIGGERS_SQL = `
SELECT tg.oid::text AS oid, tg.tgrelid::text AS table_oid, tg.tgname::text AS name,
       pg_catalog.pg_get_triggerdef(tg.oid) AS definition, tg.tgenabled::text AS enabled,
       ds.description AS comment
FROM pg_catalog.pg_trigger tg
JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
${commentJoin('ds', 'pg_trigger', 'tg.oid')}
WHERE n.nspname = ANY ($1::text[]) AND NOT tg.tgisinternal AND tg.tgparentid = 0
ORDER BY tg.tgname COLLATE "C"`;

const TRIGGER_STATE: Record<string, Trigger['enabled']> = { D: 'disabled', R: 'replica', A: 'always' };

export async function readTriggers(session: PgSession, namespaces: string[], dependsLater: Later<DependsMap>): Promise<Map<string, Trigger[]>> {
  const rows = await session.query<{ oid: string; table_oid: string; name: string; definition: string; enabled: string; comment: string | null }>(
    TRIGGERS_SQL,
    [namespaces],
  );
  const depends = await dependsLater;
  const out = new Map<string, Trigger[]>();
  for (const r of rows) {
    const t: Trigger = { name: r.name, definition: r.definition };
    const state = TRIGGER_STATE[r.enabled];
    if (state) t.enabled = state;
    withComment(t, r.comment);
    const refs = depends.get(ownerKey('trigger', r.oid));
    if (refs) t.depends_on = refs;
    out.set(r.table_oid, [...(out.get(r.table_oid) ?? []), t]);
  }
  return out;
}

const POLICIES_SQL = `
SELECT p.oid::text AS oid, p.polrelid::text AS table_oid, p.polname::text AS name, NOT p.polpermissive AS restrictive,
       p.polcmd::text AS command,
       CASE WHEN p.polroles = '{0}' THEN ARRAY['public'] ELSE
         (SELECT array_agg(r.rolname::text ORDER BY r.rolname COLLATE "C") FROM pg_catalog.pg_roles r WHERE r.oid = ANY (p.polroles)) END AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr,
       ds.description AS comment
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
${commentJoin('ds', 'pg_policy', 'p.oid')}
WHERE n.nspname = ANY ($1::text[])
ORDER BY p.polname COLLATE "C"`;

const POLICY_COMMAND: Record<string, PolicyCommand> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' };

interface PolicyRow {
  oid: string;
  table_oid: string;
  name: string;
  restrictive: boolean;
  command: string;
  roles: string[] | null;
  using_expr: string | null;
  check_expr: string | null;
  comment: string | null;
}

export async function readPolicies(session: PgSession, namespaces: string[], dependsLater: Later<DependsMap>): Promise<Map<string, Policy[]>> {
  const rows = await session.query<PolicyRow>(POLICIES_SQL, [namespaces]);
  const depends = await dependsLater;
  const out = new Map<string, Policy[]>();
  for (const r of rows) {
    const p: Policy = { name: r.name };
    if (r.restrictive) p.restrictive = true;
    p.command = POLICY_COMMAND[r.command] ?? 'ALL';
    p.roles = r.roles ?? ['public'];
    if (r.using_expr !== null) p.using = r.using_expr;
    if (r.check_expr !== null) p.with_check = r.check_expr;
    withComment(p, r.comment);
    const refs = depends.get(ownerKey('policy', r.oid));
    if (refs) p.depends_on = refs;
    out.set(r.table_oid, [...(out.get(r.table_oid) ?? []), p]);
  }
  return out;
}

// ---- Domains and composite types ---------------------------------------------

const DOMAINS_SQL = `
SELECT t.oid::text AS oid, n.nspname::text AS schema_name, t.typname::text AS name,
       pg_catalog.format_type(t.typbasetype, t.typtypmod) AS type,
       CASE WHEN t.typcollation <> bt.typcollation THEN CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text ELSE '"' || replace(cn.nspname, '"', '""') || '"."' || replace(co.collname, '"', '""') || '"' END END AS collation,
       t.typdefault AS default_expr, t.typnotnull AS not_null,
       (SELECT COALESCE(array_agg(c.conname::text ORDER BY c.conname COLLATE "C"), '{}') FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c') AS check_names,
       (SELECT COALESCE(array_agg(pg_catalog.pg_get_constraintdef(c.oid) ORDER BY c.conname COLLATE "C"), '{}') FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c') AS check_defs,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
WHERE t.typtype = 'd' AND n.nspname = ANY ($1::text[])
  AND ${notExtensionMember('pg_type', 't.oid')}
ORDER BY n.nspname COLLATE "C", t.typname COLLATE "C"`;

interface DomainRow {
  oid: string;
  schema_name: string;
  name: string;
  type: string;
  collation: string | null;
  default_expr: string | null;
  not_null: boolean;
  check_names: string[];
  check_defs: string[];
  comment: string | null;
}

export async function readDomains(session: PgSession, namespaces: string[], dependsLater: Later<DependsMap>, grantsLater: Later<GrantsMap>): Promise<Domain[]> {
  const rows = await session.query<DomainRow>(DOMAINS_SQL, [namespaces]);
  const depends = await dependsLater;
  const grants = await grantsLater;
  return rows.map((r) => {
    const d: Domain = { schema: r.schema_name, name: r.name, type: r.type };
    if (r.collation !== null) d.collation = r.collation;
    if (r.default_expr !== null) d.default = r.default_expr;
    if (r.not_null) d.not_null = true;
    if (r.check_names.length) d.checks = r.check_names.map((name, i) => ({ name, definition: r.check_defs[i]! }));
    withComment(d, r.comment);
    const g = canonicalTypeGrants(typeGrants(grants, r.oid));
    if (g) d.grants = g;
    const refs = depends.get(ownerKey('type', r.oid));
    if (refs) d.depends_on = refs;
    return d;
  });
}

const COMPOSITES_SQL = `
SELECT t.oid::text AS oid, n.nspname::text AS schema_name, t.typname::text AS name,
       (SELECT COALESCE(array_agg(a.attname::text ORDER BY a.attnum), '{}') FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS names,
       (SELECT COALESCE(array_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum), '{}') FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS types,
       (SELECT COALESCE(array_agg(CASE WHEN a.attcollation <> at.typcollation THEN CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text ELSE '"' || replace(cn.nspname, '"', '""') || '"."' || replace(co.collname, '"', '""') || '"' END ELSE '' END ORDER BY a.attnum), '{}')
        FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS collations,
       pg_catalog.obj_description(t.oid, 'pg_type') AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
WHERE t.typtype = 'c' AND n.nspname = ANY ($1::text[])
  AND ${notExtensionMember('pg_type', 't.oid')}
ORDER BY n.nspname COLLATE "C", t.typname COLLATE "C"`;

export async function readComposites(session: PgSession, namespaces: string[], grantsLater: Later<GrantsMap>): Promise<CompositeType[]> {
  const rows = await session.query<{ oid: string; schema_name: string; name: string; names: string[]; types: string[]; collations: string[]; comment: string | null }>(
    COMPOSITES_SQL,
    [namespaces],
  );
  const grants = await grantsLater;
  return rows.map((r) => {
    const t = withComment<CompositeType>(
      {
        schema: r.schema_name,
        name: r.name,
        attributes: r.names.map((name, i) => (r.collations[i] ? { name, type: r.types[i]!, collation: r.collations[i]! } : { name, type: r.types[i]! })),
      },
      r.comment,
    );
    const g = canonicalTypeGrants(typeGrants(grants, r.oid));
    if (g) t.grants = g;
    return t;
  });
}
