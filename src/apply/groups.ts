// How a plan runs: consecutive transactional steps share one transaction;
// a step Postgres refuses inside a transaction block runs alone, outside
// one; a step marked `transaction: 'own'` gets a transaction to itself.
import type { PlanStep } from '../plan/types.js';

export interface StepGroup {
  /** First step (0-based) and one past the last. */
  start: number;
  end: number;
  transactional: boolean;
}

export function stepGroups(steps: readonly PlanStep[], from = 0): StepGroup[] {
  const groups: StepGroup[] = [];
  for (let index = from; index < steps.length; index++) {
    const step = steps[index]!;
    const transactional = step.transactional !== false;
    const open = groups.at(-1);
    const alone = (i: number): boolean => steps[i]?.transaction === 'own';
    if (transactional && open?.transactional && open.end === index && !alone(index) && !alone(index - 1)) open.end = index + 1;
    else groups.push({ start: index, end: index + 1, transactional });
  }
  return groups;
}
