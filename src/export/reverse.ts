// The steps that undo a plan without a database: each step's own reverse
// (computed from its structured change when Lockplane wrote the plan), last
// in first out. A step without one makes the plan irreversible this way.
import type { Plan, PlanStep } from '../plan/types.js';

export type OfflineRollback = { steps: PlanStep[] } | { missing: { index: number; description: string } };

export function offlineRollback(plan: Plan): OfflineRollback {
  const steps: PlanStep[] = [];
  for (let index = plan.steps.length - 1; index >= 0; index--) {
    const step = plan.steps[index]!;
    if (!step.reverse) return { missing: { index, description: step.description } };
    if (step.reverse.sql.length === 0) continue;
    // Undoing a step that cannot run in a transaction (CREATE INDEX CONCURRENTLY) runs outside one too.
    const sql = step.reverse.sql.length === 1 ? step.reverse.sql[0]! : step.reverse.sql;
    steps.push({ description: step.reverse.description, sql, transactional: step.transactional !== false });
  }
  return { steps };
}
