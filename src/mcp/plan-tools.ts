// plan and check_drift: what would change, step by step, and whether anything would.
import { writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { parseAllowHazards, resetCommandState } from '../cli/common.js';
import { json } from '../cli/output.js';
import { planText } from '../cli/plan-output.js';
import { InputError } from '../errors.js';
import { projectDir } from './plan-file.js';
import { planChange, reviewPlan } from './planning.js';
import { errorResult, toolResult } from './result.js';
import { captured } from './stdio.js';

const SOURCE = 'a JSON schema file, .sql file or directory, or a database URL (postgres://…, pglite://DIR)';

/** Anywhere but `.lockplane/`, where the approval key and Lockplane's state live. */
function planFilePath(path: string): string {
  const inside = relative(join(projectDir(), '.lockplane'), resolve(path));
  if (!inside.startsWith('..') && !isAbsolute(inside)) throw new InputError(`output_file: ${path} is inside .lockplane/; write plans elsewhere`);
  return path;
}

export function registerPlanTools(server: McpServer): void {
  server.registerTool(
    'plan',
    {
      title: 'Plan a schema change',
      description:
        'Plan the SQL steps that take one schema to another, as `lockplane plan --validate` does. Returns every step (what it does, its SQL, hazard codes, ' +
        'the locks it takes and what they block, its rollback) and the validation report (safety, reversibility, and on a database a check of the current data). ' +
        'With output_file the plan JSON is written there: that file is what a person approves (`lockplane approve FILE`) and the apply tool applies. ' +
        'Defaults: from = the configured database, to = schema_path from lockplane.toml. Changes no database.',
      inputSchema: {
        from: z.string().optional().describe(`the schema as it is: ${SOURCE}`),
        from_environment: z.string().optional().describe('lockplane.toml environment whose database is the schema as it is'),
        to: z.string().optional().describe(`the schema as it should be: ${SOURCE}`),
        to_environment: z.string().optional().describe('lockplane.toml environment whose database is the schema as it should be'),
        online: z.boolean().default(true).describe('online DDL for existing tables (CREATE INDEX CONCURRENTLY, NOT VALID + VALIDATE, …)'),
        allow_hazards: z.array(z.string().regex(/^LP\d{3}$/)).optional().describe('hazard codes the validation report should not count as blocking'),
        output_file: z.string().optional().describe('write the plan JSON to this path (relative to the project directory)'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async (input) => {
      const run = await captured(async () => {
        resetCommandState();
        const outputPath = input.output_file === undefined ? undefined : planFilePath(input.output_file);
        const planned = await planChange({ from: input.from, fromEnvironment: input.from_environment, to: input.to, toEnvironment: input.to_environment, online: input.online });
        const review = await reviewPlan(planned, parseAllowHazards(input.allow_hazards?.join(',')));
        if (outputPath) writeFileSync(outputPath, json(planned.plan));
        return { ...planned, review };
      });
      if (!run.value) return errorResult(run);
      const { plan, from, to, review } = run.value;
      const written = input.output_file ? `\nPlan written to ${input.output_file}${plan.steps.length > 0 ? ` (a person approves it with \`lockplane approve ${input.output_file}\`)` : ''}.` : '';
      const text = plan.steps.length === 0 ? `No changes: ${from.label} already matches ${to.label}.${written}` : `${planText(plan)}\n${review.text}\n${written}`;
      return toolResult(text, {
        log: run.stderr,
        structured: {
          steps: plan.steps.length,
          blocked: review.blocked,
          validation: review.validation,
          ...(review.preflight ? { preflight: review.preflight } : {}),
          plan,
          ...(input.output_file ? { output_file: input.output_file } : {}),
        },
      });
    },
  );

  server.registerTool(
    'check_drift',
    {
      title: 'Check a database against the desired schema',
      description:
        'Does the database match the desired schema? Like `lockplane plan --check`: in_sync is true when no step is pending; otherwise the pending steps are listed. ' +
        'Defaults: the configured database and schema_path from lockplane.toml. Read-only.',
      inputSchema: {
        database: z.string().optional().describe('database URL to check (default: the configured one)'),
        environment: z.string().optional().describe('lockplane.toml environment whose database to check'),
        schema: z.string().optional().describe(`the desired schema: ${SOURCE} (default: schema_path)`),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (input) => {
      const run = await captured(async () => {
        resetCommandState();
        return planChange({ from: input.database, fromEnvironment: input.environment, to: input.schema, online: true });
      });
      if (!run.value) return errorResult(run);
      const { plan, from, to } = run.value;
      const inSync = plan.steps.length === 0;
      const text = inSync
        ? `In sync: ${from.label} matches ${to.label}.`
        : `Drift: ${from.label} does not match ${to.label}; ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} pending:\n\n${planText(plan)}`;
      return toolResult(text, { log: run.stderr, structured: { in_sync: inSync, pending_steps: plan.steps.length, steps: plan.steps.map((s) => s.description) } });
    },
  );
}
