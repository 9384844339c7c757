// A shadow database on a Postgres server (SHADOW_DATABASE_URL). Lockplane
// resets it only when it is provably a shadow: empty, or marked as
// Lockplane's by an earlier use. It refuses, touching nothing, when the
// shadow is one of the databases the command works on, or holds objects
// Lockplane did not put there.
import { LockplaneError, redact } from '../errors.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import { connect, type PgSession } from '../dialects/postgres/session.js';
import { recreatePublicSchema, resetDefaultPrivileges } from './roles.js';
import { dropSchemaInBatches } from './drop-schema.js';

const MARKER_SCHEMA = 'lockplane';
const MARKER_TABLE = 'shadow_marker';
// Advisory lock keys: 0x4C50 ("LP") and 2 = "shadow in use".
const SHADOW_LOCK = [0x4c50, 2] as const;

export class UnsafeShadowError extends LockplaneError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UnsafeShadowError';
  }
}

interface DatabaseIdentity {
  system: string | null;
  host: string;
  port: number;
  database: string;
}

export async function openServerShadow(shadowUrl: string, protect: readonly string[]): Promise<PgSession> {
  const session = await connect(shadowUrl);
  try {
    await refuseIfProtected(session, shadowUrl, protect);
    await waitForShadowLock(session);
    await resetShadow(session);
    return session;
  } catch (error) {
    await session.close();
    throw error;
  }
}

/** Empties a marked shadow, leaving only the marker; closes the session. */
export async function releaseServerShadow(session: PgSession): Promise<void> {
  try {
    await session.exec('ROLLBACK').catch(() => undefined);
    await dropUserSchemas(session);
  } finally {
    await session.query('SELECT pg_advisory_unlock($1, $2)', [...SHADOW_LOCK]).catch(() => undefined);
    await session.close();
  }
}

async function refuseIfProtected(shadow: PgSession, shadowUrl: string, protect: readonly string[]): Promise<void> {
  for (const url of protect) {
    if (await sameServerDatabase(shadow, shadowUrl, url)) {
      throw new UnsafeShadowError(
        `the shadow database (SHADOW_DATABASE_URL, ${shadow.description}) is the same database as ${redact(url)}; ` +
          'point SHADOW_DATABASE_URL at a separate, empty database',
      );
    }
  }
}

/** True when `otherUrl` is a server database and the very database `session` is connected to (URLs written differently included). */
export async function sameServerDatabase(session: PgSession, sessionUrl: string, otherUrl: string): Promise<boolean> {
  if (!/^postgres(ql)?:\/\//i.test(otherUrl.trim())) return false; // files and PGlite are never a server database
  let other: PgSession;
  try {
    other = await connect(otherUrl);
  } catch {
    return false; // An unreachable database cannot be the one we just reached.
  }
  try {
    return sameDatabase(await identify(session, sessionUrl), await identify(other, otherUrl));
  } finally {
    await other.close();
  }
}

async function identify(session: PgSession, url: string): Promise<DatabaseIdentity> {
  const rows = await session.query<{ db: string; port: number | null }>(
    `SELECT current_database() AS db, inet_server_port() AS port`,
  );
  let system: string | null = null;
  try {
    const sys = await session.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
    system = sys[0]?.id ?? null;
  } catch {
    // pg_control_system() may be restricted; host and port stand in.
  }
  const parsed = new URL(url);
  return {
    system,
    host: loopback(parsed.hostname || 'localhost'),
    port: rows[0]?.port ?? (Number(parsed.port) || 5432),
    database: rows[0]!.db,
  };
}

function loopback(host: string): string {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || h.startsWith('127.') ? 'loopback' : h;
}

function sameDatabase(a: DatabaseIdentity, b: DatabaseIdentity): boolean {
  if (a.database !== b.database) return false;
  if (a.system !== null && b.system !== null) return a.system === b.system;
  return a.host === b.host && a.port === b.port;
}

async function waitForShadowLock(session: PgSession): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const rows = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [...SHADOW_LOCK]);
    if (rows[0]?.locked) return;
    if (Date.now() > deadline) throw new LockplaneError(`the shadow database ${session.description} stayed in use by another lockplane for 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function resetShadow(session: PgSession): Promise<void> {
  const marked = await session.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
    `${quoteIdent(MARKER_SCHEMA)}.${quoteIdent(MARKER_TABLE)}`,
  ]);
  if (!marked[0]?.present) {
    const objects = await unmarkedObjects(session);
    if (objects.length > 0) {
      throw new UnsafeShadowError(
        `the shadow database ${session.description} is not empty and not marked as Lockplane's (it holds ${objects.slice(0, 3).join(', ')}${objects.length > 3 ? ', …' : ''}); ` +
          'Lockplane only resets an empty database or one it marked: point SHADOW_DATABASE_URL at a new, empty database',
      );
    }
    await session.exec(
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(MARKER_SCHEMA)};
       CREATE TABLE ${quoteIdent(MARKER_SCHEMA)}.${quoteIdent(MARKER_TABLE)} (marked_at timestamptz NOT NULL DEFAULT now(), note text NOT NULL DEFAULT 'Lockplane shadow database: its contents are reset at every use')`,
    );
    await session.exec(`INSERT INTO ${quoteIdent(MARKER_SCHEMA)}.${quoteIdent(MARKER_TABLE)} DEFAULT VALUES`);
  }
  await dropUserSchemas(session);
}

async function dropUserSchemas(session: PgSession): Promise<void> {
  const namespaces = await session.query<{ nspname: string }>(
    `SELECT nspname FROM pg_catalog.pg_namespace
      WHERE nspname !~ '^pg_' AND nspname NOT IN ('information_schema', $1)`,
    [MARKER_SCHEMA],
  );
  for (const { nspname } of namespaces) await dropSchemaInBatches(session, nspname);
  await recreatePublicSchema(session);
  await resetDefaultPrivileges(session);
}

/** Relations, types and functions in user schemas, and non-public schemas. */
async function unmarkedObjects(session: PgSession): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `SELECT format('%s %I.%I', kind, nspname, name) AS name FROM (
       SELECT 'relation' AS kind, n.nspname, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
       UNION ALL
       SELECT 'function', n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
       UNION ALL
       SELECT 'type', n.nspname, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' AND t.typrelid = 0 AND t.typelem = 0
       UNION ALL
       SELECT 'schema', n.nspname, '' FROM pg_namespace n
        WHERE n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'public')
     ) o ORDER BY 1 LIMIT 20`,
  );
  return rows.map((r) => r.name.replace(/\.""$/, ''));
}
