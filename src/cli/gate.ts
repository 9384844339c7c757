// Which hazards of a plan need the user's explicit approval, and the name a
// user types to approve a data-losing step interactively.
import type { HazardInfo, Plan, PlanStep } from '../index.js';
import type { HazardAllowance } from './common.js';

export interface UnapprovedHazard {
  step: number;
  description: string;
  code: string;
  message: string;
  /** Only --allow-hazards approves it (blocking or unknown); else typing the object's name does too. */
  flagOnly: boolean;
  /** What the user types to approve it interactively. */
  object: string;
}

export function unapprovedHazards(
  plan: Plan,
  allowed: HazardAllowance,
  hazardInfo: (code: string) => HazardInfo | undefined,
): UnapprovedHazard[] {
  if (allowed === 'all') return [];
  const problems: UnapprovedHazard[] = [];
  plan.steps.forEach((step, index) => {
    for (const code of step.hazards ?? []) {
      const known = hazardInfo(code);
      const needsApproval = !known || known.blocking || known.data_loss === true;
      if (needsApproval && !allowed.has(code)) {
        problems.push({
          step: index,
          description: step.description,
          code,
          message: known?.title ?? 'unknown hazard',
          flagOnly: !known || known.blocking,
          object: stepObject(step, index),
        });
      }
    }
  });
  return problems;
}

/** The object a step destroys data in: `users`, `app.users`, `users.email`, `mood`; else `step N`. */
export function stepObject(step: PlanStep, index: number): string {
  const change = step.change;
  const name = (q: { schema?: string; name: string }): string => (q.schema && q.schema !== 'public' ? `${q.schema}.${q.name}` : q.name);
  switch (change?.kind) {
    case 'drop_table':
      return name(change.table);
    case 'drop_column':
      return `${name(change.table)}.${change.column.name}`;
    case 'alter_column':
      return `${name(change.table)}.${change.to.name}`;
    case 'recreate_enum':
    case 'recreate_range':
      return name(change.to);
    default:
      return `step ${index + 1}`;
  }
}
