// `lockplane approve PLAN`: a person reads the plan at a terminal, types the
// name of everything it destroys, confirms, and gets the token the MCP
// `apply` tool needs. Without a terminal it refuses: an agent running it
// through a pipe gets no token.
import * as p from '@clack/prompts';
import pc from 'picocolors';
import { durationMs } from '../config/duration.js';
import { InputError, LockplaneError, redact } from '../errors.js';
import { targetFor } from '../cli/common.js';
import { planText } from '../cli/plan-output.js';
import { info, out } from '../cli/output.js';
import { ensureApprovalKey, signApproval } from './approval.js';
import { expectedApproval, hazardsToAcknowledge, projectDir, readPlanFile } from './plan-file.js';

export interface ApproveOptions {
  target?: string;
  targetEnvironment?: string;
  ttl: string;
}

export async function approvePlan(path: string, opts: ApproveOptions): Promise<void> {
  if (process.stdin.isTTY !== true) {
    throw new InputError(
      `approve: standard input is not a terminal. A person approves a plan by running \`lockplane approve ${path}\` in a terminal and reading it; agents and scripts cannot approve`,
    );
  }
  const ttl = durationMs(opts.ttl);
  if (ttl === null || ttl <= 0) throw new InputError(`--ttl: expected a duration like 30min or 1h, got ${JSON.stringify(opts.ttl)}`);
  const file = readPlanFile(path);
  if (file.plan.steps.length === 0) throw new InputError(`${path}: the plan has no steps; there is nothing to approve`);
  const target = targetFor(opts.target, opts.targetEnvironment);
  const io = { input: process.stdin, output: process.stderr };
  const refuse = (why: string): never => {
    throw new LockplaneError(`not approved (${why}); no token was printed`);
  };

  info(planText(file.plan));
  info(`Target: ${redact(target.url)}`);
  const hazards = hazardsToAcknowledge(file.plan);
  for (const h of hazards) {
    const answer = await p.text({
      ...io,
      message: pc.red(`Step ${h.step + 1} (${h.description}): ${h.code} ${h.message}. Type ${h.object} to acknowledge`),
    });
    if (p.isCancel(answer)) refuse('cancelled');
    if (String(answer).trim() !== h.object) refuse(`the name did not match ${h.object}`);
  }
  const approved = await p.confirm({ ...io, message: `Approve this plan for ${redact(target.url)}, valid for ${opts.ttl}?`, initialValue: false });
  if (p.isCancel(approved) || approved !== true) refuse('declined');

  const issued = Date.now();
  const expected = expectedApproval(file, target.url);
  const token = signApproval(ensureApprovalKey(projectDir()), { ...expected, hazards: [...new Set(expected.hazards)], issued, expires: issued + ttl });
  info(`Approved until ${new Date(issued + ttl).toISOString()}. Give this token to the agent's apply tool with plan_file ${path}:`);
  out(token);
}
