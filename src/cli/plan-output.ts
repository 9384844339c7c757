// The ways a plan is printed: JSON (the artifact), SQL (a script to read or
// hand to another tool), text (for people) and, from `plan`, markdown (a
// pull-request comment).
import { stepStatements, type Plan } from '../plan/types.js';
import { lockLines } from './lock-lines.js';
import { json } from './output.js';
import { planMarkdown } from './plan-markdown.js';

export type PlanFormat = 'json' | 'sql' | 'text' | 'markdown';
export const PLAN_FORMATS = ['json', 'sql', 'text'] as const;
export const PLAN_COMMAND_FORMATS = [...PLAN_FORMATS, 'markdown', 'github'] as const;

export function formatPlan(plan: Plan, format: PlanFormat): string {
  if (format === 'json') return json(plan);
  if (format === 'sql') return planSql(plan);
  if (format === 'markdown') return planMarkdown(plan);
  return planText(plan);
}

function planSql(plan: Plan): string {
  if (plan.steps.length === 0) return '-- no changes\n';
  const header = plan.source_hash ? `-- lockplane plan: source ${plan.source_hash}, target ${plan.target_hash ?? 'unknown'}\n\n` : '';
  return (
    header +
    plan.steps
      .map((step, i) => {
        const hazards = step.hazards?.length ? ` [hazards: ${step.hazards.join(', ')}]` : '';
        const locks = lockLines(step).map((l) => `-- ${l}\n`).join('');
        return `-- ${i + 1}. ${step.description}${hazards}\n${stepStatements(step).map((s) => `${s};`).join('\n')}\n${locks}`;
      })
      .join('\n')
  );
}

/** `offset`: the steps are the rest of a plan whose first `offset` steps are done. */
export function planText(plan: Plan, offset = 0): string {
  if (plan.steps.length === 0) return 'No changes.\n';
  const count = `${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}`;
  const lines = [offset > 0 ? `Plan: ${count} left (from step ${offset + 1})` : `Plan: ${count}`, ''];
  plan.steps.forEach((step, i) => {
    const hazards = step.hazards?.length ? `  [${step.hazards.join(', ')}]` : '';
    lines.push(`${i + 1 + offset}. ${step.description}${hazards}`);
    for (const sql of stepStatements(step)) lines.push(`     ${sql.replace(/\n/g, '\n     ')}`);
    for (const line of lockLines(step)) lines.push(`     ${line}`);
  });
  return `${lines.join('\n')}\n`;
}
