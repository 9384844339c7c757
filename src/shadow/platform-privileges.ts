// A platform (Supabase) grants its roles USAGE on `public` and sets default
// privileges there, so that every table, sequence and function created in it
// is granted to anon, authenticated and service_role. A desired schema that
// does not repeat those statements would otherwise be built without them, and
// every plan would revoke them. Under such a preset the scratch that builds
// the desired schema first gets the database's schema grants and IN SCHEMA
// default privileges (and the roles they name): what the source then creates
// is granted as the platform would grant it, and an explicit REVOKE in the
// source still wins.
import { defaultPrivilegeStatements, grantStatements } from '../dialects/postgres/render/grants.js';
import { readDefaultPrivileges } from '../dialects/postgres/introspect/grants.js';
import type { PgSession } from '../dialects/postgres/session.js';
import type { Grant } from '../schema/types.js';
import { createRoleSql } from './roles.js';

const SCHEMA_GRANTS_SQL = `
SELECT n.nspname::text AS schema_name,
       CASE WHEN e.grantee = 0 THEN 'public' ELSE r.rolname::text END AS grantee,
       e.privilege_type::text AS privilege, e.is_grantable AS grantable
FROM pg_catalog.pg_namespace n
CROSS JOIN LATERAL pg_catalog.aclexplode(n.nspacl) e
LEFT JOIN pg_catalog.pg_roles r ON r.oid = e.grantee
WHERE n.nspname = ANY ($1::text[]) AND e.grantee <> n.nspowner
ORDER BY 1, 2, 3`;

interface SchemaGrantRow {
  schema_name: string;
  grantee: string;
  privilege: string;
  grantable: boolean;
}

function schemaGrants(rows: SchemaGrantRow[]): Map<string, Grant[]> {
  const out = new Map<string, Grant[]>();
  for (const r of rows) {
    const list = out.get(r.schema_name) ?? [];
    let g = list.find((x) => x.grantee === r.grantee && Boolean(x.grantable) === r.grantable);
    if (!g) {
      g = r.grantable ? { grantee: r.grantee, privileges: [], grantable: true } : { grantee: r.grantee, privileges: [] };
      list.push(g);
    }
    g.privileges.push(r.privilege);
    out.set(r.schema_name, list);
  }
  return out;
}

/** DDL giving a scratch the grants on `namespaces` and their default privileges, as the database behind `session` has them. */
export async function platformPrivilegeDdl(session: PgSession, namespaces: string[]): Promise<string[]> {
  if (namespaces.length === 0) return [];
  const grants = schemaGrants(await session.query<SchemaGrantRow>(SCHEMA_GRANTS_SQL, [namespaces]));
  const defaults = (await readDefaultPrivileges(session, namespaces)).filter((d) => d.schema !== undefined);
  const roles = new Set<string>();
  for (const list of [...grants.values(), ...defaults.map((d) => d.grants)]) for (const g of list) if (g.grantee !== 'public') roles.add(g.grantee);
  for (const d of defaults) roles.add(d.role);
  return [
    ...[...roles].sort().map(createRoleSql),
    ...[...grants].flatMap(([schema, list]) => grantStatements({ kind: 'schema', schema }, undefined, list)),
    ...defaults.flatMap((d) => defaultPrivilegeStatements(d, undefined, d.grants)),
  ];
}
