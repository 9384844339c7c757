// Progress of an index build, read from pg_stat_progress_create_index on a
// second connection while the applying connection runs CREATE INDEX.
import type { PgSession } from '../dialects/postgres/session.js';
import { stepStatements, type PlanStep } from '../plan/types.js';

export interface IndexBuildProgress {
  phase: string;
  /** 0–100 within the current phase, when Postgres reports totals for it. */
  percent: number | null;
}

export function buildsIndex(step: PlanStep): boolean {
  return stepStatements(step).some((sql) => /^\s*CREATE\s+(UNIQUE\s+)?INDEX\b/i.test(sql));
}

export async function indexBuildProgress(monitor: PgSession, pid: number): Promise<IndexBuildProgress | null> {
  const rows = await monitor.query<{ phase: string; blocks_total: string; blocks_done: string; tuples_total: string; tuples_done: string }>(
    `SELECT phase, blocks_total::text, blocks_done::text, tuples_total::text, tuples_done::text
       FROM pg_catalog.pg_stat_progress_create_index WHERE pid = $1`,
    [pid],
  );
  const row = rows[0];
  if (!row) return null;
  const ratio = (done: string, total: string): number | null => (Number(total) > 0 ? Math.min(100, (100 * Number(done)) / Number(total)) : null);
  return { phase: row.phase, percent: ratio(row.blocks_done, row.blocks_total) ?? ratio(row.tuples_done, row.tuples_total) };
}

/** Polls every intervalMs until the returned function is called. */
export function watchIndexBuild(
  monitor: PgSession,
  pid: number,
  onProgress: (progress: IndexBuildProgress) => void,
  intervalMs = 500,
): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    indexBuildProgress(monitor, pid)
      .then((p) => p && onProgress(p))
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
