// A shadow schema (SHADOW_SCHEMA): the shadow is one schema inside a database
// — the shadow database, or the environment's own database when there is no
// SHADOW_DATABASE_URL. Lockplane resets it only when it is missing, empty or
// marked as Lockplane's (a COMMENT ON SCHEMA), and never when it is a schema
// the environment manages. The ORM reaches it through the URL's search_path;
// `shadow diff` reads it back as if its tables lived in the managed schema.
import { InputError } from '../errors.js';
import { quoteIdent, quoteLiteral } from '../dialects/postgres/quote.js';
import type { PgSession } from '../dialects/postgres/session.js';
import { canonicalize } from '../schema/canonical.js';
import type { Schema } from '../schema/types.js';
import { UnsafeShadowError } from './server-shadow.js';

export const SHADOW_SCHEMA_MARKER = 'Lockplane shadow schema: its contents are reset at every use';
const SIMPLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const RESERVED = new Set(['public', 'lockplane', 'information_schema']);

/** Refuses names that cannot safely be a shadow schema; `managed` are the environment's schemas. */
export function checkShadowSchemaName(name: string, managed: readonly string[]): void {
  if (!SIMPLE_NAME.test(name)) {
    throw new InputError(`SHADOW_SCHEMA ${JSON.stringify(name)}: use a lower-case name of letters, digits and _ (e.g. lockplane_shadow)`);
  }
  if (RESERVED.has(name) || name.startsWith('pg_') || managed.includes(name)) {
    throw new UnsafeShadowError(`SHADOW_SCHEMA ${name} is a schema the environment uses: name a schema of its own (e.g. lockplane_shadow)`);
  }
}

/** Creates the schema, or empties it when it is empty or marked; refuses one holding objects Lockplane did not put there. */
export async function resetShadowSchema(session: PgSession, name: string): Promise<void> {
  const ident = quoteIdent(name);
  const rows = await session.query<{ comment: string | null; objects: number }>(
    `SELECT obj_description(n.oid, 'pg_namespace') AS comment,
            (SELECT count(*)::int FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid)
          + (SELECT count(*)::int FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid)
          + (SELECT count(*)::int FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid AND t.typrelid = 0 AND t.typelem = 0) AS objects
       FROM pg_catalog.pg_namespace n WHERE n.nspname = $1`,
    [name],
  );
  const existing = rows[0];
  if (existing && existing.comment !== SHADOW_SCHEMA_MARKER && existing.objects > 0) {
    throw new UnsafeShadowError(
      `the shadow schema ${name} in ${session.description} holds ${existing.objects} objects and is not marked as Lockplane's; ` +
        'Lockplane only resets an empty schema or one it marked: set SHADOW_SCHEMA to a new schema name',
    );
  }
  if (existing) await session.exec(`DROP SCHEMA ${ident} CASCADE`);
  await session.exec(`CREATE SCHEMA ${ident}; COMMENT ON SCHEMA ${ident} IS ${quoteLiteral(SHADOW_SCHEMA_MARKER)}`);
}

/** The database URL with the shadow schema first on the search path, for the ORM. */
export function shadowSchemaUrl(url: string, name: string): string {
  const [base, query] = splitQuery(url);
  const params = query ? query.split('&').filter((p) => !/^options=/i.test(p)) : [];
  params.push(`options=${encodeURIComponent(`-csearch_path=${name}`)}`);
  return `${base}?${params.join('&')}`;
}

function splitQuery(url: string): [string, string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)];
}

/**
 * The shadow schema's contents as if they lived in `target`: the namespace
 * replaced in every name and expression (`lockplane_shadow.users_id_seq` →
 * `public.users_id_seq`), and the namespace entry taken from the target side.
 */
export function rehomeSchema(shadow: Schema, from: string, target: string, targetSide: Schema): Schema {
  const qualified = new RegExp(String.raw`(^|[^A-Za-z0-9_$."])${from}\.`, 'g');
  const rename = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      if (key === 'schema' || key === 'referenced_schema') return value === from ? target : value;
      return value.replace(qualified, `$1${target}.`);
    }
    if (Array.isArray(value)) return value.map((inner) => rename(inner));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, rename(inner, name)]));
    }
    return value;
  };
  const renamed = rename({ ...shadow, schemas: undefined }) as Schema;
  const namespaces = (targetSide.schemas ?? []).filter((n) => n.name === target);
  return canonicalize({ ...renamed, schemas: namespaces });
}
