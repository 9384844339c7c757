// explain_step: one step of a plan file, in full: what it does, its SQL,
// whether it runs in a transaction, the locks it takes and what they block,
// each hazard with its explanation and safer alternative, and its rollback.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { blockedStatements } from '../dialects/postgres/locks.js';
import { planText } from '../cli/plan-output.js';
import { stepStatements, type Plan, type PlanStep } from '../plan/types.js';
import { hazardInfo } from '../safety/registry.js';
import { readPlanFile } from './plan-file.js';
import { errorResult, toolResult } from './result.js';
import { captured } from './stdio.js';

export function registerExplainTool(server: McpServer): void {
  server.registerTool(
    'explain_step',
    {
      title: 'Explain one step of a plan',
      description:
        'Explain step N (1-based) of a plan JSON file: what it does, its SQL, whether it runs in a transaction, the locks it takes per table and what they block, ' +
        'each hazard (code, severity, whether it loses data, why it matters, a safer alternative) and the rollback SQL. Read-only.',
      inputSchema: {
        plan_file: z.string().describe('plan JSON file, e.g. one the plan tool wrote'),
        step: z.number().int().min(1).describe('step number, 1-based as the plan shows them'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ plan_file, step }) => {
      const run = await captured(async () => {
        const { plan } = readPlanFile(plan_file);
        const chosen = plan.steps[step - 1];
        if (!chosen) throw new InputError(`${plan_file}: no step ${step}; the plan has ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}`);
        return explainStep(plan, chosen, step);
      });
      return run.value ? toolResult(run.value.text, { structured: run.value.structured }) : errorResult(run);
    },
  );
}

function explainStep(plan: Plan, step: PlanStep, number: number): { text: string; structured: Record<string, unknown> } {
  const hazards = (step.hazards ?? []).map((code) => hazardInfo(code) ?? { code, title: 'unknown hazard' });
  const locks = (step.locks ?? []).map((lock) => ({ ...lock, blocks: lock.new ? 'nothing (new table)' : blockedStatements(lock.mode) }));
  const transactional = step.transactional !== false;
  // planText of just this step: its line, SQL and locks, numbered as in the whole plan.
  const [, , ...body] = planText({ ...plan, steps: [step] }, number - 1).trimEnd().split('\n');
  const lines = [`Step ${number} of ${plan.steps.length}`, ...body, ''];
  lines.push(transactional ? 'Runs inside a transaction.' : 'Runs outside a transaction (Postgres refuses it inside one, or it is a batched backfill).');
  if (step.backfill) lines.push(`Backfill: batches by ${step.backfill.key.join(', ')} of ${step.backfill.table.schema}.${step.backfill.table.name}, each its own transaction.`);
  for (const h of hazards) {
    const facts = 'severity' in h ? [h.severity, h.blocking ? 'blocking' : undefined, h.data_loss ? 'loses data' : undefined].filter(Boolean).join(', ') : 'not in this version\'s catalog';
    lines.push(`Hazard ${h.code} ${h.title} (${facts})`);
    if ('explanation' in h && h.explanation) lines.push(`  ${h.explanation}`);
    if ('alternative' in h && h.alternative) lines.push(`  Safer alternative: ${h.alternative}`);
  }
  if (hazards.length === 0) lines.push('No hazards.');
  lines.push(step.reverse ? `Rollback: ${step.reverse.description}\n${step.reverse.sql.map((s) => `  ${s};`).join('\n')}` : 'Rollback: none recorded in the plan.');
  return {
    text: lines.join('\n'),
    structured: {
      step: number,
      steps_total: plan.steps.length,
      description: step.description,
      sql: stepStatements(step),
      transactional,
      locks,
      hazards,
      rollback: step.reverse ?? null,
    },
  };
}
