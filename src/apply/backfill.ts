// A backfill step: one UPDATE, run as many short transactions that each
// update the next batch of rows in primary-key order, so that no lock is held
// for long and a large table never sits in one transaction. Each batch
// commits together with the key it reached (through `onBatch`, e.g. into
// the ledger), so an interrupted backfill resumes after the last committed
// batch instead of starting over.
import { quoteIdent, quoteQualified } from '../dialects/postgres/quote.js';
import type { PgSession } from '../dialects/postgres/session.js';
import type { Backfill } from '../plan/types.js';

export interface BackfillProgress {
  rowsDone: number;
  /** The planner's estimate of the rows the step updates in all (null when unknown). */
  rowsTotal: number | null;
  rowsPerSecond: number;
}

export interface BackfillOptions {
  batchSize?: number;
  /** Milliseconds to wait between batches, to leave room for the application's own writes. */
  pauseMs?: number;
  /** Where an earlier, interrupted run of this step stopped: the last key it committed. */
  resumeAfter?: unknown[] | null;
  /** Inside each batch's transaction, after its UPDATE: record the key reached. */
  onBatch?: (lastKey: unknown[], rowsDone: number) => Promise<void>;
  onProgress?: (progress: BackfillProgress) => void;
}

export const DEFAULT_BATCH_SIZE = 1000;

/** The rows the backfill updates, as the planner estimates them: cheap on any table size. */
async function estimateRows(session: PgSession, backfill: Backfill): Promise<number | null> {
  try {
    const [row] = await session.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${quoteQualified(backfill.table)} WHERE ${backfill.where}`);
    const plan = (typeof row?.['QUERY PLAN'] === 'string' ? JSON.parse(row['QUERY PLAN']) : row?.['QUERY PLAN']) as { Plan?: { 'Plan Rows'?: number } }[];
    return plan[0]?.Plan?.['Plan Rows'] ?? null;
  } catch {
    return null;
  }
}

function batchSql(backfill: Backfill, after: boolean, limit: number): string {
  const table = quoteQualified(backfill.table);
  const keys = backfill.key.map(quoteIdent);
  // The batch's own column names, so that the SET list's column names are never ambiguous.
  const alias = keys.map((_, i) => `lp_key_${i + 1}`);
  const list = (names: string[], prefix = ''): string => names.map((n) => `${prefix}${n}`).join(', ');
  const bound = after ? `(${list(keys)}) > (${keys.map((_, i) => `$${i + 1}`).join(', ')}) AND ` : '';
  return `WITH batch AS (
  SELECT ${keys.map((k, i) => `${k} AS ${alias[i]}`).join(', ')} FROM ${table} WHERE ${bound}(${backfill.where}) ORDER BY ${list(keys)} LIMIT ${limit}
), done AS (
  UPDATE ${table} AS t SET ${backfill.set} FROM batch WHERE (${list(keys, 't.')}) = (${list(alias, 'batch.')}) RETURNING 1
)
SELECT (SELECT count(*) FROM done)::int AS updated, ${list(alias)}
  FROM (SELECT ${list(alias)} FROM batch ORDER BY ${alias.map((a) => `${a} DESC`).join(', ')} LIMIT 1) AS last`;
}

/** Runs the backfill to its end; returns the number of rows updated by this run. */
export async function runBackfill(session: PgSession, backfill: Backfill, options: BackfillOptions = {}): Promise<number> {
  const limit = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  const total = await estimateRows(session, backfill);
  const started = Date.now();
  let lastKey = options.resumeAfter ?? null;
  let rowsDone = 0;
  for (;;) {
    await session.exec('BEGIN');
    let row: Record<string, unknown> | undefined;
    try {
      [row] = await session.query<Record<string, unknown>>(batchSql(backfill, lastKey !== null, limit), lastKey ?? []);
      if (row) {
        lastKey = backfill.key.map((_, i) => row![`lp_key_${i + 1}`]);
        rowsDone += Number(row.updated);
        await options.onBatch?.(lastKey, rowsDone);
      }
      await session.exec('COMMIT');
    } catch (error) {
      await session.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
    if (!row) return rowsDone;
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    options.onProgress?.({ rowsDone, rowsTotal: total, rowsPerSecond: rowsDone / seconds });
    if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
}
