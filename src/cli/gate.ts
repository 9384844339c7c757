// Which hazards of a plan need the user's explicit --allow-hazards.
import type { HazardInfo, Plan } from '../index.js';
import type { HazardAllowance } from './common.js';

export interface UnapprovedHazard {
  step: number;
  description: string;
  code: string;
  message: string;
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
        problems.push({ step: index, description: step.description, code, message: known?.title ?? 'unknown hazard' });
      }
    }
  });
  return problems;
}
