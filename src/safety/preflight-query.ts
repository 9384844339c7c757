// The preflight's only way to the database: one read-only transaction per
// query, bounded by a statement timeout, so a check can neither change the
// target nor run on forever. A timeout or an error becomes an outcome, not
// an exception.
import { errorText, type PgSession } from '../dialects/postgres/session.js';
import { quoteIdent, quoteQualified } from '../dialects/postgres/quote.js';
import type { QualifiedName } from '../schema/types.js';

export type QueryOutcome<R> =
  | { ok: true; rows: R[] }
  | { ok: false; timedOut: boolean; code: string | undefined; error: string };

const QUERY_CANCELED = '57014';

export async function readOnly<R extends object>(
  session: PgSession,
  timeout: string,
  sql: string,
  params: unknown[] = [],
): Promise<QueryOutcome<R>> {
  await session.exec('BEGIN READ ONLY');
  try {
    await session.query(`SELECT set_config('statement_timeout', $1, true)`, [timeout]);
    const rows = await session.query<R>(sql, params);
    await session.exec('COMMIT');
    return { ok: true, rows };
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => undefined);
    const code = (error as { code?: unknown }).code;
    const sqlstate = typeof code === 'string' ? code : undefined;
    return { ok: false, timedOut: sqlstate === QUERY_CANCELED, code: sqlstate, error: errorText(error) };
  }
}

/** What the checks need to know about a table that exists now. */
export interface TableFacts {
  /** Primary-key columns, in key order; empty without one (rows are then named by ctid). */
  primaryKey: string[];
  columns: Set<string>;
}

export async function tableFacts(session: PgSession, timeout: string, table: QualifiedName): Promise<TableFacts | null> {
  const result = await readOnly<{ pk: string[] | null; columns: string[] | null }>(
    session,
    timeout,
    `SELECT (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord), pg_attribute a
              WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = c.oid AND a.attnum = k.attnum) AS pk,
            (SELECT array_agg(a.attname::text) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'f', 'm')`,
    [table.schema, table.name],
  );
  if (!result.ok) throw new Error(`preflight: cannot read ${quoteQualified(table)} from the catalog: ${result.error}`);
  const row = result.rows[0];
  if (!row) return null;
  return { primaryKey: row.pk ?? [], columns: new Set(row.columns ?? []) };
}

export async function serverVersion(session: PgSession): Promise<number> {
  const rows = await session.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  return Number(rows[0]?.v ?? 0);
}

/** How rows are named in a report: by primary key, else by ctid. */
export function rowKey(facts: TableFacts): { expression: string; label: 'ids' | 'ctids' } {
  const pk = facts.primaryKey.map(quoteIdent);
  if (pk.length === 0) return { expression: 'ctid', label: 'ctids' };
  return { expression: pk.length === 1 ? pk[0]! : `ROW(${pk.join(', ')})`, label: 'ids' };
}
