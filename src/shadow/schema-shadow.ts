// A shadow that is one schema inside a database (SHADOW_SCHEMA): in
// SHADOW_DATABASE_URL's database when it is set, else in the target's. It is
// used over one pinned connection whose search_path is that schema (set at
// connection start, so it survives RESET). Lockplane resets it only when it
// is empty or carries Lockplane's marker comment, and never when that would
// reach outside it (objects elsewhere depending on it). It is refused when it
// is part of the target: in the target's database, a schema the target
// manages (or any, without lockplane.toml `schemas`) or one the plan touches.
import { LockplaneError } from '../errors.js';
import { quoteIdent, quoteLiteral } from '../dialects/postgres/quote.js';
import { connect, type PgSession } from '../dialects/postgres/session.js';
import { sameServerDatabase, UnsafeShadowError } from './server-shadow.js';
import { SHADOW_SCHEMA_MARKER } from './shadow-schema.js';

const SIMPLE_NAME = /^[a-z_][a-z0-9_]*$/;

export interface SchemaShadowOptions {
  /** The shadow schema's name (SHADOW_SCHEMA). */
  schema: string;
  /** The database it lives in (postgres:// URL). */
  url: string;
  /** The target: its URL and the schemas it manages (undefined: all of them). */
  targetUrl: string;
  targetSchemas?: string[];
  /** Schemas the plan touches. */
  touched: string[];
}

export function checkShadowSchemaName(schema: string): void {
  if (!SIMPLE_NAME.test(schema) || schema.startsWith('pg_') || ['public', 'information_schema', 'lockplane'].includes(schema)) {
    throw new UnsafeShadowError(
      `SHADOW_SCHEMA ${JSON.stringify(schema)}: use a dedicated schema with a simple lower-case name (not public, lockplane, pg_*)`,
    );
  }
}

export async function openSchemaShadow(options: SchemaShadowOptions): Promise<PgSession> {
  const { schema } = options;
  checkShadowSchemaName(schema);
  if (!/^postgres(ql)?:\/\//i.test(options.url)) {
    throw new UnsafeShadowError('SHADOW_SCHEMA needs a Postgres server: set SHADOW_DATABASE_URL, or use it with a postgres:// target');
  }
  if (options.touched.includes(schema)) {
    throw new UnsafeShadowError(`SHADOW_SCHEMA ${schema} is a schema the plan changes; choose a schema of its own`);
  }
  const url = new URL(options.url);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const session = await connect(url.toString());
  try {
    if (await sameServerDatabase(session, options.url, options.targetUrl)) {
      if (!options.targetSchemas) {
        throw new UnsafeShadowError(
          `SHADOW_SCHEMA ${schema} is in the target's database, whose every schema Lockplane manages: list the target's schemas in lockplane.toml (schemas = [...]) without it, or set SHADOW_DATABASE_URL`,
        );
      }
      if (options.targetSchemas.includes(schema)) {
        throw new UnsafeShadowError(`SHADOW_SCHEMA ${schema} is one of the target's schemas (lockplane.toml schemas); choose a schema of its own`);
      }
    }
    await lockShadowSchema(session, schema);
    await resetShadowSchema(session, schema);
    return session;
  } catch (error) {
    await session.close();
    throw error;
  }
}

export async function releaseSchemaShadow(session: PgSession, schema: string): Promise<void> {
  try {
    await session.exec('ROLLBACK').catch(() => undefined);
    await resetShadowSchema(session, schema);
  } finally {
    await session.close();
  }
}

async function lockShadowSchema(session: PgSession, schema: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const rows = await session.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked`, [0x4c50, `shadow schema ${schema}`]);
    if (rows[0]?.locked) return;
    if (Date.now() > deadline) throw new LockplaneError(`the shadow schema ${schema} stayed in use by another lockplane for 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function resetShadowSchema(session: PgSession, schema: string): Promise<void> {
  const [state] = await session.query<{ present: boolean; comment: string | null; objects: number }>(
    `SELECT n.oid IS NOT NULL AS present, obj_description(n.oid, 'pg_namespace') AS comment,
            (SELECT count(*)::int FROM pg_class WHERE relnamespace = n.oid) + (SELECT count(*)::int FROM pg_type WHERE typnamespace = n.oid)
              + (SELECT count(*)::int FROM pg_proc WHERE pronamespace = n.oid) AS objects
       FROM (SELECT $1::text AS name) s LEFT JOIN pg_namespace n ON n.nspname = s.name`,
    [schema],
  );
  const q = quoteIdent(schema);
  if (state?.present) {
    if (state.comment !== SHADOW_SCHEMA_MARKER && state.objects > 0) {
      throw new UnsafeShadowError(
        `the shadow schema ${schema} holds objects and is not marked as Lockplane's; Lockplane only resets an empty schema or one it marked: choose a new schema name`,
      );
    }
    const outside = await dependentsOutside(session, schema);
    if (outside.length > 0) {
      throw new UnsafeShadowError(`the shadow schema ${schema} cannot be reset: objects outside it depend on it (${outside.slice(0, 3).join(', ')})`);
    }
    await session.exec(`DROP SCHEMA ${q} CASCADE`);
  }
  await session.exec(`CREATE SCHEMA ${q}; COMMENT ON SCHEMA ${q} IS ${quoteLiteral(SHADOW_SCHEMA_MARKER)}`);
}

/** Objects in other schemas that a DROP SCHEMA … CASCADE of this one would take with it. */
async function dependentsOutside(session: PgSession, schema: string): Promise<string[]> {
  const rows = await session.query<{ what: string }>(
    `WITH inside AS (
       SELECT 'pg_class'::regclass AS classid, oid FROM pg_class WHERE relnamespace = $1::regnamespace
       UNION ALL SELECT 'pg_type'::regclass, oid FROM pg_type WHERE typnamespace = $1::regnamespace
       UNION ALL SELECT 'pg_proc'::regclass, oid FROM pg_proc WHERE pronamespace = $1::regnamespace
       UNION ALL SELECT 'pg_constraint'::regclass, oid FROM pg_constraint WHERE connamespace = $1::regnamespace
       UNION ALL SELECT 'pg_rewrite'::regclass, r.oid FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class WHERE c.relnamespace = $1::regnamespace
       UNION ALL SELECT 'pg_attrdef'::regclass, a.oid FROM pg_attrdef a JOIN pg_class c ON c.oid = a.adrelid WHERE c.relnamespace = $1::regnamespace
       UNION ALL SELECT 'pg_trigger'::regclass, t.oid FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = $1::regnamespace
       UNION ALL SELECT 'pg_policy'::regclass, p.oid FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = $1::regnamespace
     )
     SELECT DISTINCT pg_describe_object(d.classid, d.objid, d.objsubid) AS what
       FROM pg_depend d
      WHERE d.deptype IN ('n', 'a')
        AND (d.refclassid, d.refobjid) IN (SELECT classid, oid FROM inside)
        AND (d.classid, d.objid) NOT IN (SELECT classid, oid FROM inside)
        AND NOT (d.classid = 'pg_namespace'::regclass)
      LIMIT 10`,
    [schema],
  );
  return rows.map((r) => r.what);
}
