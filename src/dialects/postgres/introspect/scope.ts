// Which namespaces and tables an introspection covers.
import type { PgSession } from '../session.js';
import { CompiledFilter, type SchemaFilter } from '../../../schema/filter.js';
import { commentJoin } from './names.js';

/**
 * A result a read needs only once its own rows are in: the reads take their
 * dependencies as promises, so that every query is sent at once and the
 * connection runs them back to back (see introspect.ts).
 */
export type Later<T> = T | Promise<T>;

/** The comment on a Lockplane ledger schema: it is left out of introspection whatever its name. */
export const LEDGER_SCHEMA_COMMENT = 'Lockplane ledger: the applies Lockplane ran on this database';

const PLAIN_NAME = /^[a-z_][a-z0-9_$]*$/;

/** Why a name cannot be a ledger schema, or undefined when it can. */
export function ledgerSchemaProblem(name: string): string | undefined {
  if (!PLAIN_NAME.test(name) || name.length > 63) return `"${name}" is not a plain lower-case identifier (letters, digits, _, $; at most 63)`;
  if (name.startsWith('pg_') || ['public', 'information_schema'].includes(name)) return `"${name}" is reserved; pick a schema of Lockplane's own`;
  return undefined;
}

/** Namespaces that are never the user's: system, temp, toast, and Lockplane's own. */
const NAMESPACES_SQL = `
SELECT n.nspname::text AS name,
       ds.description AS comment
FROM pg_catalog.pg_namespace n
${commentJoin('ds', 'pg_namespace', 'n.oid')}
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'lockplane')
  AND ds.description IS DISTINCT FROM $3
  AND n.nspname NOT LIKE 'pg\\_temp\\_%'
  AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
      AND d.objid = n.oid AND d.deptype = 'e')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
  AND NOT (n.nspname = ANY ($2::text[]))
ORDER BY n.nspname COLLATE "C"`;

export interface NamespaceRow {
  name: string;
  comment: string | null;
}

/** `public`'s comment in a fresh database: a default, so the IR omits it. */
const DEFAULT_PUBLIC_COMMENT = 'standard public schema';

export async function readNamespaces(session: PgSession, only: string[] | undefined, never: string[] = []): Promise<NamespaceRow[]> {
  const rows = await session.query<NamespaceRow>(NAMESPACES_SQL, [only ?? null, never, LEDGER_SCHEMA_COMMENT]);
  return rows.map((r) => (r.name === 'public' && r.comment === DEFAULT_PUBLIC_COMMENT ? { name: r.name, comment: null } : r));
}

/** The namespaces a filter manages: what introspection reads and what a catalog stamp covers. */
export async function readManagedNamespaces(session: PgSession, filter: SchemaFilter): Promise<NamespaceRow[]> {
  const inScope = new CompiledFilter(filter);
  return (await readNamespaces(session, filter.schemas, filter.excludeSchemas)).filter((n) => inScope.namespace(n.name));
}

/**
 * A CTE `t(oid, schema_name, table_name)` of the covered tables; `$1` is the
 * namespace list. Each per-kind query starts with it so that every query is
 * one round trip whatever the schema size.
 */
/** The same CTE over relations of the given kinds (`'m'` for materialized views). */
export const relationsCte = (relkinds: string): string => `
WITH t AS (
  SELECT c.oid, n.nspname::text AS schema_name, c.relname::text AS table_name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY ($1::text[])
    AND c.relkind IN (${relkinds})
    AND c.relpersistence <> 't'
    AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
        AND d.objid = c.oid AND d.deptype = 'e')
)`;

export const TABLES_CTE = relationsCte("'r', 'p'");

export interface TableRow {
  oid: string;
  schema_name: string;
  table_name: string;
  comment: string | null;
  row_security: boolean;
  force_row_security: boolean;
  unlogged: boolean;
  partition_by: string | null;
  parent_schema: string | null;
  parent_table: string | null;
  partition_bound: string | null;
  attached_indexes: string[] | null;
}

export async function readTables(session: PgSession, namespaces: string[]): Promise<TableRow[]> {
  return session.query<TableRow>(
    `${TABLES_CTE}
SELECT t.oid::text AS oid, t.schema_name, t.table_name, ds.description AS comment,
       c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security, c.relpersistence = 'u' AS unlogged,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_by,
       pn.nspname::text AS parent_schema, pc.relname::text AS parent_table,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
       CASE WHEN c.relispartition THEN (SELECT COALESCE(array_agg(ic.relname::text), '{}') FROM pg_catalog.pg_index x
         JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid AND ic.relispartition
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = x.indexrelid)) END AS attached_indexes
FROM t JOIN pg_catalog.pg_class c ON c.oid = t.oid
LEFT JOIN pg_catalog.pg_inherits ih ON c.relispartition AND ih.inhrelid = c.oid
LEFT JOIN pg_catalog.pg_class pc ON pc.oid = ih.inhparent
LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
${commentJoin('ds', 'pg_class', 't.oid')}`,
    [namespaces],
  );
}
