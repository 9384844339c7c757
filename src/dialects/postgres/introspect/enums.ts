// Enum types with their labels in sort order, in one query; types that belong
// to an extension are the extension's, not the user's.
import type { EnumType } from '../../../schema/types.js';
import { canonicalTypeGrants } from '../../../schema/canonical.js';
import type { PgSession } from '../session.js';
import type { Later } from './scope.js';
import { typeGrants, type GrantsMap } from './grants.js';
import { commentJoin } from './names.js';

const ENUMS_SQL = `
SELECT t.oid::text AS oid, n.nspname::text AS schema_name,
       t.typname::text AS name,
       COALESCE(array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FILTER (WHERE e.oid IS NOT NULL), '{}'::text[]) AS labels,
       ds.description AS comment
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
${commentJoin('ds', 'pg_type', 't.oid')}
WHERE t.typtype = 'e'
  AND n.nspname = ANY ($1::text[])
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass
      AND d.objid = t.oid AND d.deptype = 'e')
GROUP BY n.nspname, t.typname, t.oid, ds.description
ORDER BY n.nspname COLLATE "C", t.typname COLLATE "C"`;

interface EnumRow {
  oid: string;
  schema_name: string;
  name: string;
  labels: string[];
  comment: string | null;
}

export async function readEnums(session: PgSession, namespaces: string[], grantsLater: Later<GrantsMap>): Promise<EnumType[]> {
  const rows = await session.query<EnumRow>(ENUMS_SQL, [namespaces]);
  const grants = await grantsLater;
  return rows.map((r) => {
    const t: EnumType = { schema: r.schema_name, name: r.name, values: r.labels };
    if (r.comment !== null) t.comment = r.comment;
    const g = canonicalTypeGrants(typeGrants(grants, r.oid));
    if (g) t.grants = g;
    return t;
  });
}
