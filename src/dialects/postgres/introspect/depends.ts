// What views, functions, triggers and policies use, from pg_depend: one
// query for all of them. Only objects in the covered namespaces are kept
// (a dependency on pg_catalog is not something a plan orders around).
import type { ObjectRef } from '../../../schema/types.js';
import type { PgSession } from '../session.js';

/** Owner kinds: a view (its rewrite rule), a function, a trigger, a policy, a table (its defaults and checks). */
export type OwnerKind = 'view' | 'function' | 'trigger' | 'policy' | 'table' | 'type';

const DEPENDS_SQL = `
WITH d AS (
  SELECT CASE dep.classid
           WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN 'view'
           WHEN 'pg_catalog.pg_proc'::pg_catalog.regclass THEN 'function'
           WHEN 'pg_catalog.pg_trigger'::pg_catalog.regclass THEN 'trigger'
           WHEN 'pg_catalog.pg_policy'::pg_catalog.regclass THEN 'policy'
           WHEN 'pg_catalog.pg_type'::pg_catalog.regclass THEN 'type'
           WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass
             THEN (SELECT CASE WHEN co.conrelid <> 0 THEN 'table' ELSE 'type' END FROM pg_catalog.pg_constraint co WHERE co.oid = dep.objid)
           ELSE 'table' END AS owner_kind,
         CASE dep.classid
           WHEN 'pg_catalog.pg_rewrite'::pg_catalog.regclass THEN (SELECT r.ev_class FROM pg_catalog.pg_rewrite r WHERE r.oid = dep.objid)
           WHEN 'pg_catalog.pg_attrdef'::pg_catalog.regclass THEN (SELECT ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE ad.oid = dep.objid)
           WHEN 'pg_catalog.pg_constraint'::pg_catalog.regclass
             THEN (SELECT COALESCE(NULLIF(co.conrelid, 0), co.contypid) FROM pg_catalog.pg_constraint co WHERE co.oid = dep.objid)
           ELSE dep.objid END AS owner_oid,
         dep.refclassid, dep.refobjid, dep.refobjsubid
  FROM pg_catalog.pg_depend dep
  WHERE dep.deptype IN ('n', 'a')
    AND dep.classid IN ('pg_catalog.pg_rewrite'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass,
                        'pg_catalog.pg_trigger'::pg_catalog.regclass, 'pg_catalog.pg_policy'::pg_catalog.regclass,
                        'pg_catalog.pg_attrdef'::pg_catalog.regclass, 'pg_catalog.pg_constraint'::pg_catalog.regclass,
                        'pg_catalog.pg_type'::pg_catalog.regclass)
    -- A table's defaults, generation expressions and checks, and a domain: only the functions and types they use matter here.
    AND (dep.classid NOT IN ('pg_catalog.pg_attrdef'::pg_catalog.regclass, 'pg_catalog.pg_constraint'::pg_catalog.regclass,
                             'pg_catalog.pg_type'::pg_catalog.regclass)
         OR dep.refclassid IN ('pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass))
),
-- A type used through its array, or a table's row type, is the element or the table.
ty AS (
  SELECT t.oid, COALESCE(NULLIF(CASE WHEN t.typcategory = 'A' THEN t.typelem END, 0), t.oid) AS base FROM pg_catalog.pg_type t
)
SELECT d.owner_kind, d.owner_oid::text AS owner_oid,
       CASE WHEN c.oid IS NOT NULL THEN (CASE WHEN d.refobjsubid > 0 THEN 'column' ELSE 'relation' END)
            WHEN p.oid IS NOT NULL THEN 'function'
            WHEN bt.typrelid <> 0 THEN 'relation'
            ELSE 'type' END AS kind,
       n.nspname::text AS schema_name,
       COALESCE(c.relname, p.proname, tc.relname, bt.typname)::text AS name,
       a.attname::text AS column_name,
       CASE WHEN p.oid IS NOT NULL THEN pg_catalog.oidvectortypes(p.proargtypes) END AS signature
FROM d
LEFT JOIN pg_catalog.pg_class c ON d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = d.refobjid
LEFT JOIN pg_catalog.pg_attribute a ON c.oid IS NOT NULL AND d.refobjsubid > 0 AND a.attrelid = c.oid AND a.attnum = d.refobjsubid
LEFT JOIN pg_catalog.pg_proc p ON d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = d.refobjid
LEFT JOIN ty ON d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND ty.oid = d.refobjid
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = ty.base
LEFT JOIN pg_catalog.pg_class tc ON bt.typrelid <> 0 AND tc.oid = bt.typrelid
JOIN pg_catalog.pg_namespace n ON n.oid = COALESCE(c.relnamespace, p.pronamespace, bt.typnamespace)
WHERE n.nspname = ANY ($1::text[])
  AND (d.owner_kind <> 'view' OR c.oid IS DISTINCT FROM d.owner_oid)
  AND (d.owner_kind <> 'function' OR p.oid IS DISTINCT FROM d.owner_oid)
  AND (d.owner_kind <> 'type' OR bt.oid IS DISTINCT FROM d.owner_oid)`;

interface DependRow {
  owner_kind: OwnerKind;
  owner_oid: string;
  kind: ObjectRef['kind'];
  schema_name: string;
  name: string;
  column_name: string | null;
  signature: string | null;
}

/** `kind:oid` → what that object uses. */
export type DependsMap = Map<string, ObjectRef[]>;

export const ownerKey = (kind: OwnerKind, oid: string): string => `${kind}:${oid}`;

export async function readDepends(session: PgSession, namespaces: string[]): Promise<DependsMap> {
  const rows = await session.query<DependRow>(DEPENDS_SQL, [namespaces]);
  const out: DependsMap = new Map();
  for (const r of rows) {
    const ref: ObjectRef = { kind: r.kind, schema: r.schema_name, name: r.name };
    if (r.kind === 'column' && r.column_name !== null) ref.column = r.column_name;
    if (r.signature !== null) ref.signature = r.signature;
    const k = ownerKey(r.owner_kind, r.owner_oid);
    const list = out.get(k);
    if (list) list.push(ref);
    else out.set(k, [ref]);
  }
  return out;
}
