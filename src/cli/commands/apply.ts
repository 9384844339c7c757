import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { BlockedError, InputError } from '../../errors.js';
import type { Plan, Schema } from '../../index.js';
import { confirm } from '../confirm.js';
import { lib, loadSourceFor, normalizeOptions, parseAllowHazards, targetFor, type HazardAllowance } from '../common.js';
import { planText } from '../plan-output.js';
import { info, out } from '../output.js';
import { unapprovedHazards } from '../gate.js';

interface ApplyOptions {
  plan?: string;
  schema?: string;
  target?: string;
  autoApprove?: boolean;
  skipShadow?: boolean;
  allowHazards?: string;
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('apply a plan file, or plan and apply a desired schema, after proving it on a shadow database')
    .argument('[plan]', 'plan JSON file (same as --plan)')
    .option('--plan <file>', 'plan JSON file to apply')
    .option('--schema <source>', 'desired schema (JSON file, SQL file or directory, or database URL): plan against the target and apply')
    .option('--target <url>', 'database to change (default: DATABASE_URL, else the embedded database)')
    .option('--auto-approve', 'apply without asking for confirmation')
    .option('--skip-shadow', 'do not prove the plan on a shadow database first')
    .option('--allow-hazards <codes>', 'allow these hazard codes (comma-separated, e.g. LP201,LP202) or all')
    .action(async (planArg: string | undefined, opts: ApplyOptions) => apply(planArg, opts));
}

type Lib = Awaited<ReturnType<typeof lib>>;

async function apply(planArg: string | undefined, opts: ApplyOptions): Promise<void> {
  const lp = await lib();
  const { connect, introspect, executePlan, provePlan, schemaHash } = lp;
  const planPath = resolvePlanArgument(planArg, opts, lp);
  const allowed = parseAllowHazards(opts.allowHazards);
  const target = targetFor(opts.target);
  const session = await connect(target.url);
  try {
    const current = await introspect(session);
    const plan = planPath ? loadPlanFor(planPath, current, lp) : await planFromSchema(opts.schema!, current, allowed, lp);
    if (!plan) return;
    gate(plan, allowed, lp);
    info(`Target: ${session.description}`);
    info(planText(plan));
    if (!(await confirm('Apply these steps?', Boolean(opts.autoApprove)))) {
      info('Apply cancelled.');
      return;
    }
    if (!opts.skipShadow) {
      const proof = await provePlan(current, plan, normalizeOptions());
      info(`${pc.green('✓')} Plan proven on the shadow (${proof.shadow})`);
    }
    const result = await executePlan(session, plan, {
      expectedSourceHash: plan.source_hash ?? schemaHash(current),
      onStep: (i, step) => info(`  [${i + 1}/${plan.steps.length}] ${step.description}`),
    });
    out(`${pc.green('✓')} Applied ${result.stepsApplied} step${result.stepsApplied === 1 ? '' : 's'} to ${session.description}`);
  } finally {
    await session.close();
  }
}

function resolvePlanArgument(planArg: string | undefined, opts: ApplyOptions, { isSqlSourcePath }: Lib): string | undefined {
  if (planArg && opts.plan && planArg !== opts.plan) throw new InputError('give the plan once: as an argument or with --plan');
  const planPath = planArg ?? opts.plan;
  if (planPath && opts.schema) throw new InputError('give either a plan file or --schema, not both');
  if (!planPath && !opts.schema) throw new InputError('nothing to apply: give a plan file or --schema SOURCE');
  if (planPath && existsSync(planPath) && (statSync(planPath).isDirectory() || isSqlSourcePath(planPath))) {
    throw new InputError(`${planPath} is a schema, not a plan; did you mean --schema ${planPath}?`);
  }
  return planPath;
}

function loadPlanFor(path: string, current: Schema, { loadPlanJson, schemaHash }: Lib): Plan {
  const plan = loadPlanJson(path);
  if (plan.source_hash && plan.source_hash !== schemaHash(current)) {
    throw new BlockedError(`${path}: the target is not in the state this plan was made for (source_hash differs); make a new plan`);
  }
  return plan;
}

async function planFromSchema(
  spec: string,
  current: Schema,
  allowed: HazardAllowance,
  { buildPlan, formatValidationReport, validatePlan }: Lib,
): Promise<Plan | null> {
  const desired = await loadSourceFor(spec);
  const plan = buildPlan(current, desired.schema);
  if (plan.steps.length === 0) {
    out(`No changes: the database already matches ${desired.label}.`);
    return null;
  }
  const report = formatValidationReport(validatePlan(plan, current, desired.schema), allowed);
  if (report.blocked) {
    info(report.text);
    throw new BlockedError('the plan is blocked by safety checks (see the report above); fix the schema or allow the hazards with --allow-hazards');
  }
  return plan;
}

function gate(plan: Plan, allowed: HazardAllowance, { hazardInfo }: Lib): void {
  const problems = unapprovedHazards(plan, allowed, hazardInfo);
  if (problems.length === 0) return;
  const lines = problems.map((p) => `  step ${p.step + 1} (${p.description}): ${p.code} ${p.message}`);
  info(lines.join('\n'));
  const codes = [...new Set(problems.map((p) => p.code))].join(',');
  throw new BlockedError(`the plan has hazards that need approval; rerun with --allow-hazards ${codes} if that is intended`);
}
