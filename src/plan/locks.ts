// The lock-analysis pass: every step of a plan gets the locks its SQL takes,
// per table, from the statements' parse trees (dialects/postgres/locks*),
// and the lock hazards (LP110–LP129) of the tables that hold rows. It reads
// only the SQL and the schema the plan starts from, so it works as well on a
// plan file written by hand.
import { analyzeSql } from '../dialects/postgres/locks-analyze.js';
import { DEFAULT_SERVER_VERSION, effectRank, modeRank, type LockRisk, type RelationLock } from '../dialects/postgres/locks.js';
import { RelationState } from '../dialects/postgres/locks-state.js';
import type { Schema } from '../schema/types.js';
import { isLockHazard, lockHazardCode } from '../safety/locks.js';
import { stepStatements, type Plan, type PlanStep, type StepLock } from './types.js';

export interface AnnotateLocksOptions {
  /** The schema the plan starts from. */
  from: Schema;
  /** server_version_num of the target; DEFAULT_SERVER_VERSION (150000) when not given. */
  serverVersion?: number;
}

export async function annotateLocks(plan: Plan, options: AnnotateLocksOptions): Promise<Plan> {
  const version = options.serverVersion ?? DEFAULT_SERVER_VERSION;
  const ctx = { state: new RelationState(options.from), version };
  const steps: PlanStep[] = [];
  for (const step of plan.steps) {
    const found: (RelationLock & { new: boolean })[] = [];
    for (const sql of stepStatements(step)) {
      for (const lock of await analyzeSql(sql, ctx)) {
        const table = ctx.state.indexTable(lock.table) ?? lock.table;
        found.push({ ...lock, new: ctx.state.isNew(table) });
      }
    }
    steps.push(withLocks(step, mergeByTable(found)));
  }
  const { steps: _old, lock_analysis_version: _version, ...header } = plan;
  return { ...header, lock_analysis_version: version, steps };
}

/** One entry per table: the strongest mode and effect, every operation, the hazards of its risks. */
function mergeByTable(locks: (RelationLock & { new: boolean })[]): StepLock[] {
  const byTable = new Map<string, { lock: StepLock; operations: string[]; risks: Set<LockRisk> }>();
  for (const l of locks) {
    const seen = byTable.get(l.table) ?? { lock: { table: l.table, mode: l.mode, effect: l.effect, operation: '', new: l.new }, operations: [], risks: new Set<LockRisk>() };
    byTable.set(l.table, seen);
    if (modeRank(l.mode) > modeRank(seen.lock.mode)) seen.lock.mode = l.mode;
    if (effectRank(l.effect) > effectRank(seen.lock.effect)) seen.lock.effect = l.effect;
    if (!seen.operations.includes(l.operation)) seen.operations.push(l.operation);
    seen.lock.new = seen.lock.new && l.new;
    // A table created by the plan holds no rows: nothing waits, no hazard.
    if (l.risk && !l.new) seen.risks.add(l.risk);
  }
  return [...byTable.values()].map(({ lock, operations, risks }) => {
    const out: StepLock = { table: lock.table, mode: lock.mode, effect: lock.effect, operation: operations.join(', ') };
    if (lock.new) out.new = true;
    // A rewrite checks constraints while it copies the rows: no separate scan.
    if (risks.has('rewrite')) risks.delete('scan');
    const hazards = [...new Set([...risks].map(lockHazardCode))].sort();
    if (hazards.length) out.hazards = hazards;
    return out;
  });
}

/** The step with its locks placed after `transactional`, and its lock hazards (replacing earlier ones). */
function withLocks(step: PlanStep, locks: StepLock[]): PlanStep {
  const { description, sql, hazards, transactional, locks: _old, ...rest } = step;
  const lockCodes = [...new Set(locks.flatMap((l) => l.hazards ?? []))].sort();
  const codes = [...(hazards ?? []).filter((c) => !isLockHazard(c)), ...lockCodes];
  return {
    description,
    sql,
    ...(codes.length ? { hazards: codes } : {}),
    ...(transactional !== undefined ? { transactional } : {}),
    locks,
    ...rest,
  };
}
