// Objects in the covered namespaces that Lockplane does not model yet. They
// are never dropped (a plan cannot see them on either side), but a user must
// know they are outside the plan: introspection lists them as warnings.
import type { PgSession } from '../session.js';

export interface UnmodelledObject {
  kind: string;
  name: string;
}

const UNMODELLED_SQL = `
SELECT kind, name FROM (
  SELECT 'window function' AS kind,
         pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)) AS name
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = ANY ($1::text[]) AND p.prokind = 'w'
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND x.objid = p.oid AND x.deptype = 'e')
  UNION ALL
  SELECT 'foreign table', pg_catalog.format('%I.%I', n.nspname, c.relname)
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY ($1::text[]) AND c.relkind = 'f'
  UNION ALL
  SELECT 'publication', pg_catalog.quote_ident(pubname) FROM pg_catalog.pg_publication
  UNION ALL
  SELECT 'event trigger', pg_catalog.quote_ident(evtname) FROM pg_catalog.pg_event_trigger
) u
ORDER BY kind COLLATE "C", name COLLATE "C"`;

export async function readUnmodelled(session: PgSession, namespaces: string[]): Promise<UnmodelledObject[]> {
  return session.query<UnmodelledObject>(UNMODELLED_SQL, [namespaces]);
}

/** One line for the user: "not managed by Lockplane (left as they are): domain public.d, …". */
export function unmodelledWarning(objects: readonly UnmodelledObject[]): string | undefined {
  if (!objects.length) return undefined;
  const shown = objects.slice(0, 10).map((o) => `${o.kind} ${o.name}`);
  const more = objects.length > 10 ? `, and ${objects.length - 10} more` : '';
  return `warning: not managed by Lockplane yet (plans neither create, change nor drop them): ${shown.join(', ')}${more}`;
}
