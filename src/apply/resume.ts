// Resuming an apply whose process died or whose step failed: the ledger says
// which steps of the plan committed and where that left the database (its
// catalog stamp, or its schema hash: state.ts); the apply continues from the
// first unfinished step once the database is verified to be exactly there.
import type { Plan } from '../plan/types.js';
import { planHash, type Ledger } from './ledger.js';
import type { SchemaState } from './state.js';

export interface ResumePoint {
  /** The unfinished apply this one continues. */
  applyId: number;
  /** 0-based: the first step still to run (the plan's length when only closing is left). */
  fromStep: number;
  /** Where the ledger recorded the database before that step. */
  expected: SchemaState;
  /**
   * 0-based: a non-transactional step that started and did not finish. What
   * it left behind (an INVALID index) is dropped before it runs again.
   */
  interrupted: number | null;
  /** The catalog stamp the interrupted step recorded when it started, without the index it drops (online drops only). */
  interruptedStartStamp: string | null;
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
  const expected = done ? recordedState(done) : startState(latest.start_hash ?? plan.source_hash ?? null);
  if (expected === null) return null;
  // to_jsonb: a ledger not yet upgraded by this version has no catalog_stamp column.
  const [unfinished] = await ledger.session.query<{ step: number; catalog_stamp: string | null }>(
    `SELECT step, to_jsonb(s) ->> 'catalog_stamp' AS catalog_stamp FROM ${ledger.table('apply_steps')} s
      WHERE apply_id = $1 AND step = $2 AND NOT transactional AND status <> 'applied'`,
    [applyId, fromStep + 1],
  );
  const interrupted = unfinished ? fromStep : null;
  if (fromStep === 0 && interrupted === null) return null; // nothing committed, nothing left over: a fresh start
  return { applyId, fromStep, expected, interrupted, interruptedStartStamp: unfinished?.catalog_stamp ?? null };
}

const startState = (hash: string | null): SchemaState | null => (hash === null ? null : { hash });

function recordedState(done: DoneStep): SchemaState | null {
  if (done.catalog_stamp !== null) return { stamp: done.catalog_stamp };
  return startState(done.schema_hash);
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

interface DoneStep {
  step: number;
  schema_hash: string | null;
  catalog_stamp: string | null;
}

async function lastDoneStep(ledger: Ledger, applyId: number): Promise<DoneStep | null> {
  const [done] = await ledger.session.query<DoneStep>(
    `SELECT step, schema_hash, to_jsonb(s) ->> 'catalog_stamp' AS catalog_stamp FROM ${ledger.table('apply_steps')} s
      WHERE apply_id = $1 AND status = 'applied' ORDER BY step DESC LIMIT 1`,
    [applyId],
  );
  return done ?? null;
}
