// apply: a plan file, applied as `lockplane apply PLAN` applies it (shadow
// proof, source-hash check, advisory lock, ledger, preflight), but only with an
// approval token a person made with `lockplane approve PLAN` for this exact
// plan file and target. Without one nothing is read from or written to the
// database.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { resetCommandState, targetFor } from '../cli/common.js';
import { APPROVAL_KEY_FILE, readApprovalKey, verifyApproval } from './approval.js';
import { runCommand } from './command.js';
import { expectedApproval, hazardsToAcknowledge, projectDir, readPlanFile, type PlanFile } from './plan-file.js';
import { errorResult, toolResult } from './result.js';
import { captured } from './stdio.js';

type Outcome = { refused: string } | { code: number; copy: string };

export function registerApplyTool(server: McpServer): void {
  server.registerTool(
    'apply',
    {
      title: 'Apply an approved plan',
      description:
        'Apply a plan JSON file to its target database, as `lockplane apply PLAN` does: proven on a shadow first, refused if the database is no longer in the state the plan was made for, ' +
        'under an advisory lock, recorded in the ledger. Requires approval_token: a token that only a person can create, by running `lockplane approve PLAN_FILE` in a terminal ' +
        'after reading the plan; it is bound to this exact plan file and target, expires, and for a plan with data-losing hazards must acknowledge them. ' +
        'Without a valid token the tool refuses and touches nothing: ask the person to run `lockplane approve` and give you the token. Never edit an approved plan file.',
      inputSchema: {
        plan_file: z.string().describe('the plan JSON file that was approved'),
        approval_token: z.string().describe('the token `lockplane approve PLAN_FILE` printed'),
        target: z.string().optional().describe('database URL to change (default: the configured one); must be the one the token was approved for'),
        target_environment: z.string().optional().describe('lockplane.toml environment whose database to change'),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    async (input) => {
      const run = await captured(async (): Promise<Outcome> => {
        resetCommandState();
        const file = readPlanFile(input.plan_file);
        const target = targetFor(input.target, input.target_environment);
        const refusal = checkApproval(file, target.url, input.approval_token);
        if (refusal) return { refused: refusal };
        const targetFlags = [...(input.target ? ['--target', input.target] : []), ...(input.target_environment ? ['--target-environment', input.target_environment] : [])];
        const codes = [...new Set(hazardsToAcknowledge(file.plan).map((h) => h.code))];
        return applyCopy(file, ['--auto-approve', '--json', ...targetFlags, ...(codes.length ? ['--allow-hazards', codes.join(',')] : [])]);
      });
      const outcome = run.value;
      if (!outcome) return errorResult(run);
      if ('refused' in outcome) {
        const text = `Refused: ${outcome.refused}. Nothing was applied. A person must read the plan and run \`lockplane approve ${input.plan_file}\` in a terminal, then give you the token it prints.`;
        return toolResult(text, { log: run.stderr, isError: true, structured: { applied: false, refused: outcome.refused } });
      }
      // Messages name the private copy; the agent knows the file it gave.
      const named = (text: string): string => text.replaceAll(outcome.copy, input.plan_file);
      const events = named(run.stdout).split('\n').filter((line) => line.trim().startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      const finished = events.find((e) => e.event === 'apply_finished');
      const status = typeof finished?.status === 'string' ? finished.status : outcome.code === 0 ? 'applied' : 'failed';
      const summary = summarize(status, finished ?? {}, outcome.code);
      return toolResult(summary, { log: named(run.stderr), isError: outcome.code !== 0, structured: { applied: status === 'applied', status, exit_code: outcome.code, events } });
    },
  );
}

function summarize(status: string, finished: Record<string, unknown>, code: number): string {
  const steps = Number(finished.steps_applied ?? 0);
  if (status === 'applied') return `Applied ${steps} step${steps === 1 ? '' : 's'} (apply #${String(finished.apply_id)}).`;
  if (status === 'no_changes') return 'Nothing to apply: the database is already in the state the plan leads to.';
  const where = finished.failed_step ? ` at step ${String(finished.failed_step)}` : '';
  const why = typeof finished.error === 'string' ? `: ${finished.error}` : '; see the log';
  return `Apply ${status}${where} (exit ${code})${why}`;
}

/** Why the token does not allow applying this plan to this target; undefined when it does. */
function checkApproval(file: PlanFile, targetUrl: string, token: string): string | undefined {
  const key = readApprovalKey(projectDir());
  if (!key) return `no plan was ever approved in this project (${APPROVAL_KEY_FILE} does not exist)`;
  const verdict = verifyApproval(key, token, expectedApproval(file, targetUrl));
  return verdict.ok ? undefined : verdict.reason;
}

/** Applies a private copy of the approved text: the file cannot change between the check and the apply. */
async function applyCopy(file: PlanFile, flags: string[]): Promise<{ code: number; copy: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lockplane-mcp-'));
  try {
    const copy = join(dir, basename(file.path));
    writeFileSync(copy, file.text, { mode: 0o600 });
    return { code: await runCommand(['apply', copy, ...flags]), copy };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
