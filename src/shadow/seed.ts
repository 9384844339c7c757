// A desired schema may name objects Lockplane does not manage: a foreign key to
// auth.users, a policy calling auth.uid(). The scratch Postgres that builds the
// desired schema (and the shadow that proves a plan) does not have them, so the
// namespaces left out by the filter that the source names are first copied
// there from a database that has them (the target). They are filtered away
// again when the result is read back, so they never enter a plan or a hash.
import { introspect } from '../dialects/postgres/introspect.js';
import { readNamespaces } from '../dialects/postgres/introspect/scope.js';
import { connect, type PgSession } from '../dialects/postgres/session.js';
import { renderSchemaDdl } from '../plan/ddl.js';
import { CompiledFilter, isEmptyFilter, type SchemaFilter } from '../schema/filter.js';
import type { Schema } from '../schema/types.js';
import { platformPrivilegeDdl } from './platform-privileges.js';

/** Objects to create in a scratch before a source: their schema (as read from the database) and its DDL. */
export interface Seed {
  schema: Schema;
  ddl: string[];
}

/** The seed for a source whose texts are `texts`. */
export type SeedProvider = (texts: readonly string[]) => Promise<Seed>;

const NO_SEED: Seed = { schema: { tables: [] }, ddl: [] };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The source names `ns.something` (SQL, quoted or not; a JSON string) or has a JSON `"…schema": "ns"`. */
export function namesNamespace(texts: readonly string[], ns: string): boolean {
  const bare = /^[a-z_][a-z0-9_$]*$/.test(ns) ? `|${escapeRegExp(ns)}` : '';
  // A quoted name may stand escaped inside JSON text: \"auth\".
  const quoted = `\\\\?"${escapeRegExp(ns.replace(/"/g, '""'))}\\\\?"`;
  const qualified = new RegExp(`(^|[^A-Za-z0-9_$.])(${quoted}${bare})\\s*\\.`, bare ? 'i' : '');
  const jsonKey = new RegExp(`"[a-z_]*schema"\\s*:\\s*${escapeRegExp(JSON.stringify(ns))}`);
  return texts.some((t) => qualified.test(t) || jsonKey.test(t));
}

/** The source creates the namespace itself (a full dump, say): copying it would collide. */
function createsNamespace(texts: readonly string[], ns: string): boolean {
  const name = /^[a-z_][a-z0-9_$]*$/.test(ns) ? `("?)${escapeRegExp(ns)}\\1` : `"${escapeRegExp(ns.replace(/"/g, '""'))}"`;
  const pattern = new RegExp(`create\\s+schema\\s+(?!if\\s+not\\s+exists\\b)${name}(\\s|;|$)`, 'i');
  return texts.some((t) => pattern.test(t));
}

/** The left-out namespaces of the database behind `session` that the texts name. */
export async function excludedSeed(session: PgSession, filter: SchemaFilter, texts: readonly string[]): Promise<Seed> {
  if (isEmptyFilter(filter)) return NO_SEED;
  const inScope = new CompiledFilter(filter);
  const namespaces = (await readNamespaces(session, undefined)).map((n) => n.name);
  const wanted = namespaces.filter((name) => !inScope.namespace(name) && namesNamespace(texts, name) && !createsNamespace(texts, name));
  const privileges = filter.platformPrivileges ? await platformPrivilegeDdl(session, namespaces.filter((name) => inScope.namespace(name))) : [];
  if (wanted.length === 0) return privileges.length === 0 ? NO_SEED : { schema: { tables: [] }, ddl: privileges };
  const schema = await introspect(session, { schemas: wanted });
  return { schema, ddl: [...renderSchemaDdl(schema), ...privileges] };
}

/** A seed provider over an open session (apply's target). */
export function seedFromSession(session: PgSession, filter: SchemaFilter): SeedProvider {
  return (texts) => excludedSeed(session, filter, texts);
}

/** A seed provider that connects to `url` only when the filter leaves something out. */
export function seedFromUrl(url: string, filter: SchemaFilter): SeedProvider {
  return async (texts) => {
    if (isEmptyFilter(filter)) return NO_SEED;
    const session = await connect(url);
    try {
      return await excludedSeed(session, filter, texts);
    } finally {
      await session.close();
    }
  };
}

/**
 * Best effort: a seed statement a scratch cannot run (a missing role or
 * extension) only matters if the source needs it, and then the source's own
 * statement fails with its file and line.
 */
export async function runSeed(session: PgSession, seed: readonly string[] | undefined): Promise<void> {
  for (const sql of seed ?? []) await session.exec(sql).catch(() => undefined);
}
