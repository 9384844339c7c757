// Range types from pg_range, with their multirange types. Options that hold
// the subtype's defaults (its default btree opclass, its collation) are left
// out, as CREATE TYPE … AS RANGE without them would pick the same.
import { canonicalTypeGrants } from '../../../schema/canonical.js';
import { multirangeName } from '../../../schema/ranges.js';
import type { ObjectRef, RangeType, Schema } from '../../../schema/types.js';
import { qualifiedKey } from '../../../schema/types.js';
import type { PgSession } from '../session.js';
import type { Later } from './scope.js';
import { typeGrants, type GrantsMap } from './grants.js';
import { catalogObjectName, commentJoin } from './names.js';
import { notExtensionMember } from './objects.js';

/** A function as a range option spells it: bare in pg_catalog, else qualified. */
const fn = (column: string): string => `(SELECT CASE WHEN pn.nspname = 'pg_catalog' THEN pg_catalog.quote_ident(pp.proname)
  ELSE pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(pp.proname) END
  FROM pg_catalog.pg_proc pp JOIN pg_catalog.pg_namespace pn ON pn.oid = pp.pronamespace WHERE pp.oid = ${column})`;

const RANGES_SQL = `
SELECT t.oid::text AS oid, n.nspname::text AS schema_name, t.typname::text AS name,
       pg_catalog.format_type(r.rngsubtype, NULL) AS subtype,
       CASE WHEN NOT oc.opcdefault THEN ocn.nspname::text END AS opclass_schema,
       CASE WHEN NOT oc.opcdefault THEN oc.opcname::text END AS opclass_name,
       con.nspname::text AS collation_schema, co.collname::text AS collation_name,
       ${fn('r.rngcanonical')} AS canonical, ${fn('r.rngsubdiff')} AS subtype_diff,
       mn.nspname::text AS multirange_schema, mt.typname::text AS multirange_name,
       ds.description AS comment
FROM pg_catalog.pg_range r
JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
JOIN pg_catalog.pg_opclass oc ON oc.oid = r.rngsubopc
JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
LEFT JOIN pg_catalog.pg_collation co ON co.oid = r.rngcollation AND r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
LEFT JOIN pg_catalog.pg_type mt ON mt.oid = r.rngmultitypid
LEFT JOIN pg_catalog.pg_namespace mn ON mn.oid = mt.typnamespace
${commentJoin('ds', 'pg_type', 't.oid')}
WHERE n.nspname = ANY ($1::text[])
  AND ${notExtensionMember('pg_type', 't.oid')}
ORDER BY n.nspname COLLATE "C", t.typname COLLATE "C"`;

interface RangeRow {
  oid: string;
  schema_name: string;
  name: string;
  subtype: string;
  opclass_schema: string | null;
  opclass_name: string | null;
  collation_schema: string | null;
  collation_name: string | null;
  canonical: string | null;
  subtype_diff: string | null;
  multirange_schema: string | null;
  multirange_name: string | null;
  comment: string | null;
}

export async function readRanges(session: PgSession, namespaces: string[], grantsLater: Later<GrantsMap>): Promise<RangeType[]> {
  const rows = await session.query<RangeRow>(RANGES_SQL, [namespaces]);
  const grants = await grantsLater;
  return rows.map((row) => {
    const r: RangeType = { schema: row.schema_name, name: row.name, subtype: row.subtype };
    const opclass = catalogObjectName(row.opclass_schema, row.opclass_name);
    if (opclass !== undefined) r.subtype_opclass = opclass;
    const collation = catalogObjectName(row.collation_schema, row.collation_name);
    if (collation !== undefined) r.collation = collation;
    if (row.canonical !== null) r.canonical = row.canonical;
    if (row.subtype_diff !== null) r.subtype_diff = row.subtype_diff;
    if (row.multirange_name !== null) r.multirange_type_name = row.multirange_name;
    if (row.multirange_schema !== null && row.multirange_schema !== row.schema_name) r.multirange_schema = row.multirange_schema;
    if (row.comment !== null && row.comment !== '') r.comment = row.comment;
    const g = canonicalTypeGrants(typeGrants(grants, row.oid));
    if (g) r.grants = g;
    return r;
  });
}

/**
 * A range's and its multirange's constructor functions are named like the
 * types and are not in the schema: what calls them (a view, a default) uses
 * the type, which is what a plan orders around and rebuilds for.
 */
export function constructorRefsToTypes(schema: Schema): Schema {
  const typeNames = new Set((schema.range_types ?? []).flatMap((r) => [qualifiedKey({ schema: r.schema!, name: r.name }), qualifiedKey(multirangeName(r))]));
  if (!typeNames.size) return schema;
  const functions = new Set((schema.functions ?? []).map((f) => `${qualifiedKey({ schema: f.schema!, name: f.name })}(${f.signature})`));
  const remap = (refs: ObjectRef[] | undefined): void => {
    for (const ref of refs ?? []) {
      const k = qualifiedKey(ref);
      if (ref.kind !== 'function' || !typeNames.has(k) || functions.has(`${k}(${ref.signature ?? ''})`)) continue;
      ref.kind = 'type';
      delete ref.signature;
    }
  };
  const holders = [...schema.tables, ...(schema.views ?? []), ...(schema.functions ?? []), ...(schema.domains ?? [])];
  for (const h of holders) remap(h.depends_on);
  for (const t of [...schema.tables, ...(schema.views ?? [])]) {
    for (const trg of t.triggers ?? []) remap(trg.depends_on);
    for (const p of (t as { policies?: { depends_on?: ObjectRef[] }[] }).policies ?? []) remap(p.depends_on);
  }
  return schema;
}
