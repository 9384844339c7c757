// Resuming an apply whose process died or whose step failed: the ledger says
// which steps of the plan committed and the schema hash after them; the
// apply continues from the first unfinished step once the database is
// verified to be exactly there.
import type { Plan } from '../plan/types.js';
import { planHash, type Ledger } from './ledger.js';

export interface ResumePoint {
  /** The unfinished apply this one continues. */
  applyId: number;
  /** 0-based: the first step still to run (the plan's length when only closing is left). */
  fromStep: number;
  /** The schema hash the ledger recorded before that step. */
  expectedHash: string;
  /**
   * 0-based: a non-transactional step that started and did not finish. What
   * it left behind (an INVALID index) is dropped before it runs again.
   */
  interrupted: number | null;
}

/**
 * The unfinished apply of this same plan, if it is the latest apply that did
 * anything (refusals change nothing and are skipped). Call under the apply
 * lock for an answer that holds; without it, for a preview.
 */
export async function findResume(ledger: Ledger, plan: Plan): Promise<ResumePoint | null> {
  const latest = await latestApplyOf(ledger, plan);
  if (!latest || latest.status === 'applied') return null;
  const applyId = Number(latest.id);
  const done = await lastDoneStep(ledger, applyId);
  const fromStep = done ? done.step : latest.first_step - 1;
  const expectedHash = done ? done.schema_hash : (latest.start_hash ?? plan.source_hash ?? null);
  if (expectedHash === null) return null;
  const [unfinished] = await ledger.session.query<{ step: number }>(
    `SELECT step FROM ${ledger.table('apply_steps')} WHERE apply_id = $1 AND step = $2 AND NOT transactional AND status <> 'applied'`,
    [applyId, fromStep + 1],
  );
  const interrupted = unfinished ? fromStep : null;
  if (fromStep === 0 && interrupted === null) return null; // nothing committed, nothing left over: a fresh start
  return { applyId, fromStep, expectedHash, interrupted };
}

/**
 * When the latest apply that did anything applied this very plan: its id and
 * the schema hash it left (a re-run of a finished plan is then a no-op).
 */
export async function appliedBefore(ledger: Ledger, plan: Plan): Promise<{ applyId: number; hash: string | null } | null> {
  const latest = await latestApplyOf(ledger, plan);
  if (latest?.status !== 'applied') return null;
  const applyId = Number(latest.id);
  return { applyId, hash: (await lastDoneStep(ledger, applyId))?.schema_hash ?? null };
}

interface LatestApply {
  id: string;
  status: string;
  first_step: number;
  start_hash: string | null;
}

/** The latest apply that was not refused (refusals change nothing), when it ran this plan. */
async function latestApplyOf(ledger: Ledger, plan: Plan): Promise<LatestApply | null> {
  if (!(await ledger.exists())) return null;
  const [latest] = await ledger.session.query<LatestApply & { plan_hash: string }>(
    `SELECT id, plan_hash, status, first_step, start_hash FROM ${ledger.table('applies')} WHERE status <> 'refused' ORDER BY id DESC LIMIT 1`,
  );
  return latest && latest.plan_hash === planHash(plan) ? latest : null;
}

async function lastDoneStep(ledger: Ledger, applyId: number): Promise<{ step: number; schema_hash: string | null } | null> {
  const [done] = await ledger.session.query<{ step: number; schema_hash: string | null }>(
    `SELECT step, schema_hash FROM ${ledger.table('apply_steps')} WHERE apply_id = $1 AND status = 'applied' ORDER BY step DESC LIMIT 1`,
    [applyId],
  );
  return done ?? null;
}
