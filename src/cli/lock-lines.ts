// A step's lock analysis in one line per table, shared by the text, SQL and
// markdown forms of a plan.
import { blockedStatements } from '../dialects/postgres/locks.js';
import type { PlanStep } from '../plan/types.js';

/** `lock public.users: ACCESS EXCLUSIVE, rewrite (ALTER COLUMN TYPE) — blocks reads and writes [LP110]`, one per table. */
export function lockLines(step: PlanStep): string[] {
  return (step.locks ?? []).map((l) => {
    const impact = l.new ? 'new table, nothing waits' : blockedStatements(l.mode);
    const hazards = l.hazards?.length ? ` [${l.hazards.join(', ')}]` : '';
    const table = l.table === '*' ? 'unknown tables' : l.table;
    return `lock ${table}: ${l.mode}, ${l.effect} (${l.operation}) — ${impact}${hazards}`;
  });
}
