// Privileges (GRANT) on schemas, tables, views, sequences, columns and
// functions (aggregates included), from their ACLs. A NULL ACL means the
// kind's default, which acldefault spells out; the owner's own privileges are implicit and left out.
import type { DefaultPrivilege, Grant } from '../../../schema/types.js';
import type { PgSession } from '../session.js';

const GRANTS_SQL = `
WITH acl AS (
  SELECT 'schema' AS kind, n.nspname::text AS object, NULL::text AS column_name, n.nspowner AS owner,
         COALESCE(n.nspacl, pg_catalog.acldefault('n'::"char", n.nspowner)) AS acl
  FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY ($1::text[])
  UNION ALL
  SELECT 'relation', c.oid::text, NULL, c.relowner,
         COALESCE(c.relacl, pg_catalog.acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY ($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
  UNION ALL
  SELECT 'column', c.oid::text, a.attname::text, c.relowner, a.attacl
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY ($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
  UNION ALL
  SELECT 'function', p.oid::text, NULL, p.proowner, COALESCE(p.proacl, pg_catalog.acldefault('f'::"char", p.proowner))
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = ANY ($1::text[]) AND p.prokind IN ('f', 'p', 'a')
  UNION ALL
  SELECT 'type', t.oid::text, NULL, t.typowner, COALESCE(t.typacl, pg_catalog.acldefault('T'::"char", t.typowner))
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = ANY ($1::text[]) AND t.typtype IN ('e', 'd', 'c', 'r')
)
SELECT acl.kind, acl.object, acl.column_name,
       CASE WHEN e.grantee = 0 THEN 'public' ELSE r.rolname::text END AS grantee,
       e.privilege_type::text AS privilege, e.is_grantable AS grantable
FROM acl CROSS JOIN LATERAL pg_catalog.aclexplode(acl.acl) e
LEFT JOIN pg_catalog.pg_roles r ON r.oid = e.grantee
WHERE e.grantee <> acl.owner
ORDER BY 1, 2, 3, 4, 5`;

interface GrantRow {
  kind: 'schema' | 'relation' | 'column' | 'function' | 'type';
  object: string;
  column_name: string | null;
  grantee: string;
  privilege: string;
  grantable: boolean;
}

/** `kind:object[:column]` → grants, one per grantee (and grant option). */
export type GrantsMap = Map<string, Grant[]>;

export const grantKey = (kind: GrantRow['kind'], object: string, column?: string): string =>
  column === undefined ? `${kind}:${object}` : `${kind}:${object}:${column}`;

/** The oids of the tables some of whose columns have grants of their own. */
export function columnGrantTables(grants: GrantsMap): Set<string> {
  const prefix = grantKey('column', '');
  const out = new Set<string>();
  for (const key of grants.keys()) if (key.startsWith(prefix)) out.add(key.slice(prefix.length, key.indexOf(':', prefix.length)));
  return out;
}

/** A type's grants: none listed means nobody but the owner (the default, USAGE for everyone, is listed). */
export function typeGrants(grants: GrantsMap, oid: string): Grant[] {
  return grants.get(grantKey('type', oid)) ?? [];
}

export async function readGrants(session: PgSession, namespaces: string[]): Promise<GrantsMap> {
  const rows = await session.query<GrantRow>(GRANTS_SQL, [namespaces]);
  const out: GrantsMap = new Map();
  for (const r of rows) {
    const k = grantKey(r.kind, r.object, r.column_name ?? undefined);
    const list = out.get(k) ?? [];
    let g = list.find((x) => x.grantee === r.grantee && Boolean(x.grantable) === r.grantable);
    if (!g) {
      g = r.grantable ? { grantee: r.grantee, privileges: [], grantable: true } : { grantee: r.grantee, privileges: [] };
      list.push(g);
    }
    g.privileges.push(r.privilege);
    out.set(k, list);
  }
  return out;
}

const DEFAULT_PRIVILEGES_SQL = `
SELECT r.rolname::text AS role, n.nspname::text AS schema_name, d.defaclobjtype::text AS objtype,
       CASE WHEN e.grantee = 0 THEN 'public' ELSE g.rolname::text END AS grantee,
       e.privilege_type::text AS privilege, e.is_grantable AS grantable
FROM pg_catalog.pg_default_acl d
JOIN pg_catalog.pg_roles r ON r.oid = d.defaclrole
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
LEFT JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) e ON e.grantee <> d.defaclrole
LEFT JOIN pg_catalog.pg_roles g ON g.oid = e.grantee
WHERE d.defaclnamespace = 0 OR n.nspname = ANY ($1::text[])
ORDER BY 1, 2, 3, 4, 5`;

const OBJECT_TYPES: Record<string, DefaultPrivilege['on']> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' };

/** ALTER DEFAULT PRIVILEGES entries: global ones (every schema) whole, IN SCHEMA ones as what they add. */
export async function readDefaultPrivileges(session: PgSession, namespaces: string[]): Promise<DefaultPrivilege[]> {
  const rows = await session.query<{ role: string; schema_name: string | null; objtype: string; grantee: string | null; privilege: string | null; grantable: boolean | null }>(
    DEFAULT_PRIVILEGES_SQL,
    [namespaces],
  );
  const out = new Map<string, DefaultPrivilege>();
  for (const r of rows) {
    const on = OBJECT_TYPES[r.objtype];
    if (!on) continue;
    const k = `${r.role}\u0000${r.schema_name ?? ''}\u0000${on}`;
    let entry = out.get(k);
    if (!entry) {
      entry = r.schema_name === null ? { role: r.role, on, grants: [] } : { role: r.role, schema: r.schema_name, on, grants: [] };
      out.set(k, entry);
    }
    if (r.grantee === null || r.privilege === null) continue;
    let g = entry.grants.find((x) => x.grantee === r.grantee && Boolean(x.grantable) === Boolean(r.grantable));
    if (!g) {
      g = r.grantable ? { grantee: r.grantee, privileges: [], grantable: true } : { grantee: r.grantee, privileges: [] };
      entry.grants.push(g);
    }
    g.privileges.push(r.privilege);
  }
  return [...out.values()];
}
