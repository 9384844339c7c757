// Roles are cluster objects, outside any schema: a scratch database does not
// have the ones a schema's policies name. Lockplane creates them there
// (NOLOGIN, nothing granted), never on a target.
import { quoteIdent } from '../dialects/postgres/quote.js';
import type { PgSession } from '../dialects/postgres/session.js';
import type { Plan } from '../plan/types.js';
import type { Grant, Schema } from '../schema/types.js';

const BUILT_IN = new Set(['public', 'current_user', 'session_user', 'current_role']);

/** Roles a schema's policies and grants name, and those a plan's policies and grants name. */
export function rolesUsed(schema: Schema, plan?: Plan): string[] {
  const out = new Set<string>();
  const grants = (list: readonly Grant[] | undefined): void => {
    for (const g of list ?? []) out.add(g.grantee);
  };
  for (const s of schema.schemas ?? []) grants(s.grants);
  for (const t of schema.tables) {
    for (const p of t.policies ?? []) for (const r of p.roles ?? []) out.add(r);
    grants(t.grants);
    for (const c of t.columns) grants(c.grants);
  }
  for (const o of [...(schema.views ?? []), ...(schema.functions ?? []), ...(schema.sequences ?? [])]) grants(o.grants);
  for (const d of schema.default_privileges ?? []) {
    out.add(d.role);
    grants(d.grants);
  }
  for (const step of plan?.steps ?? []) {
    const c = step.change;
    if (c?.kind === 'create_policy') for (const r of c.policy.roles ?? []) out.add(r);
    if (c?.kind === 'alter_policy') for (const r of c.to.roles ?? []) out.add(r);
    if (c?.kind === 'set_grants') grants(c.to);
    if (c?.kind === 'set_default_privileges' && c.to) {
      out.add(c.to.role);
      grants(c.to.grants);
    }
  }
  return [...out].filter((r) => !BUILT_IN.has(r.toLowerCase())).sort();
}

export function createRoleSql(role: string): string {
  return `DO $lockplane$ BEGIN CREATE ROLE ${quoteIdent(role)} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $lockplane$`;
}

const MISSING_ROLE = /^role "((?:[^"]|"")+)" does not exist$/;

/** Runs a statement in a scratch database, creating any role it names that is missing there. */
export async function execCreatingRoles(session: PgSession, sql: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await session.exec(sql);
      return;
    } catch (error) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      const match = code === '42704' && typeof message === 'string' ? MISSING_ROLE.exec(message) : null;
      if (!match || attempt >= 20) throw error;
      await session.exec(createRoleSql(match[1]!));
    }
  }
}

/**
 * Recreates `public` as a new database has it: owned by pg_database_owner,
 * USAGE for everyone (Postgres 15+), so an emptied scratch compares with a
 * fresh target.
 */
export async function recreatePublicSchema(session: PgSession): Promise<void> {
  const [existing] = await session.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_catalog.pg_namespace WHERE nspname = 'public'`);
  if (existing && existing.n > 0) return;
  // A role that may not act as pg_database_owner still gets the same privileges.
  await session.exec('CREATE SCHEMA public AUTHORIZATION pg_database_owner').catch(() => session.exec('CREATE SCHEMA public'));
  await session.exec('GRANT USAGE ON SCHEMA public TO PUBLIC');
}

const DEFAULT_ACL_SQL = `
SELECT r.rolname::text AS role, d.defaclobjtype::text AS objtype,
       COALESCE(array_agg(DISTINCT CASE WHEN e.grantee = 0 THEN 'public' ELSE g.rolname::text END)
                FILTER (WHERE e.grantee IS NOT NULL AND e.grantee <> d.defaclrole), '{}') AS grantees
FROM pg_catalog.pg_default_acl d
JOIN pg_catalog.pg_roles r ON r.oid = d.defaclrole
LEFT JOIN LATERAL pg_catalog.aclexplode(d.defaclacl) e ON true
LEFT JOIN pg_catalog.pg_roles g ON g.oid = e.grantee
WHERE d.defaclnamespace = 0
GROUP BY r.rolname, d.defaclobjtype`;

const OBJECTS: Record<string, string> = { r: 'TABLES', S: 'SEQUENCES', f: 'FUNCTIONS', T: 'TYPES', n: 'SCHEMAS' };

/** Global default privileges back to the built-in ones (IN SCHEMA entries go with their schema). */
export async function resetDefaultPrivileges(session: PgSession): Promise<void> {
  const rows = await session.query<{ role: string; objtype: string; grantees: string[] }>(DEFAULT_ACL_SQL);
  for (const { role, objtype, grantees } of rows) {
    const objects = OBJECTS[objtype];
    if (!objects) continue;
    const prefix = `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(role)}`;
    for (const g of grantees) await session.exec(`${prefix} REVOKE ALL ON ${objects} FROM ${g === 'public' ? 'PUBLIC' : quoteIdent(g)}`);
    await session.exec(`${prefix} GRANT ALL ON ${objects} TO ${quoteIdent(role)}`);
    if (objtype === 'f') await session.exec(`${prefix} GRANT EXECUTE ON FUNCTIONS TO PUBLIC`);
    if (objtype === 'T') await session.exec(`${prefix} GRANT USAGE ON TYPES TO PUBLIC`);
  }
}
