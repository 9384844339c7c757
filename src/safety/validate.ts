// Validates a plan step by step: findings with stable codes, the reasons a
// step is safe, and whether (and how) it can be undone.
import { invertChange } from '../diff/invert.js';
import { summarizeChange } from '../plan/kinds/registry.js';
import type { Plan } from '../plan/types.js';
import type { Schema } from '../schema/types.js';
import { AssessContext, assessChange } from './assess.js';
import { lockFindings } from './locks.js';
import type { StepValidation } from './types.js';

export const ROLLBACK_PREFIX = 'Rollback: ';

/** Codes whose presence means undoing the step cannot bring the data back. */
const IRREVERSIBLE = new Set(['LP201', 'LP202', 'LP203']);

export function validatePlan(plan: Plan, from: Schema, to: Schema): StepValidation[] {
  const rollback = plan.steps.length > 0 && plan.steps.every((s) => s.description.startsWith(ROLLBACK_PREFIX));
  const ctx = new AssessContext(from, to, rollback);
  return plan.steps.map((step, index): StepValidation => {
    if (!step.change) {
      return {
        step: index,
        description: step.description,
        findings: lockFindings(step),
        reversible: false,
        reverseDescription: 'unknown (the step has no structured change)',
        reasons: ['Plain SQL step without a structured change: it cannot be checked'],
      };
    }
    const { findings, reasons } = assessChange(step.change, ctx);
    return {
      step: index,
      description: step.description,
      findings: [...findings, ...lockFindings(step)],
      reversible: !findings.some((f) => IRREVERSIBLE.has(f.code)),
      reverseDescription: summarizeChange(invertChange(step.change)),
      reasons,
    };
  });
}
