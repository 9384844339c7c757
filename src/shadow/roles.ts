// Roles are cluster objects, outside any schema: a scratch database does not
// have the ones a schema's policies name. Lockplane creates them there
// (NOLOGIN, nothing granted), never on a target.
import { quoteIdent } from '../dialects/postgres/quote.js';
import type { PgSession } from '../dialects/postgres/session.js';
import type { Plan } from '../plan/types.js';
import type { Schema } from '../schema/types.js';

const BUILT_IN = new Set(['public', 'current_user', 'session_user', 'current_role']);

/** Roles a schema's policies name, and those of the policies a plan creates or alters. */
export function rolesUsed(schema: Schema, plan?: Plan): string[] {
  const out = new Set<string>();
  for (const t of schema.tables) for (const p of t.policies ?? []) for (const r of p.roles ?? []) out.add(r);
  for (const step of plan?.steps ?? []) {
    const c = step.change;
    if (c?.kind === 'create_policy') for (const r of c.policy.roles ?? []) out.add(r);
    if (c?.kind === 'alter_policy') for (const r of c.to.roles ?? []) out.add(r);
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
