import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { BlockedError, InputError } from '../../errors.js';
import type { Plan, Schema } from '../../index.js';
import { confirm } from '../confirm.js';
import {
  addFilterOptions,
  commandFilter,
  configuredSchemaPath,
  lib,
  loadSourceFor,
  normalizeOptions,
  parseAllowHazards,
  targetFor,
  useFilterFlags,
  type FilterOptionValues,
  type HazardAllowance,
  type SourceScope,
} from '../common.js';
import { planText } from '../plan-output.js';
import { info, out } from '../output.js';
import { unapprovedHazards } from '../gate.js';

interface ApplyOptions extends FilterOptionValues {
  plan?: string;
  schema?: string;
  target?: string;
  targetEnvironment?: string;
  autoApprove?: boolean;
  skipShadow?: boolean;
  allowHazards?: string;
  lockWait: string;
  lockTimeout: string;
  statementTimeout: string;
  retries: string;
}

export function registerApply(program: Command): void {
  const command = program
    .command('apply')
    .description('apply a plan file, or plan and apply a desired schema, after proving it on a shadow database')
    .argument('[plan]', 'plan JSON file (same as --plan)')
    .option('--plan <file>', 'plan JSON file to apply')
    .option('--schema <source>', 'desired schema (JSON file, SQL file or directory, or database URL): plan against the target and apply')
    .option('--target <url>', 'database to change (default: the environment\'s, else DATABASE_URL, else the embedded database)')
    .option('--target-environment <name>', 'lockplane.toml environment whose database to change (default: default_environment)')
    .option('--auto-approve', 'apply without asking for confirmation')
    .option('--skip-shadow', 'do not prove the plan on a shadow database first')
    .option('--allow-hazards <codes>', 'allow these hazard codes (comma-separated, e.g. LP201,LP202) or all')
    .option('--lock-wait <seconds>', 'wait this long for another apply to release the database', '0')
    .option('--lock-timeout <duration>', 'Postgres lock_timeout for the steps', '5s')
    .option('--statement-timeout <duration>', 'Postgres statement_timeout for the steps (0: none)', '0')
    .option('--retries <n>', 'retries of the transaction after a lock timeout, with backoff', '3')
    .action(async (planArg: string | undefined, opts: ApplyOptions) => apply(planArg, withConfiguredSchema(planArg, opts)));
  addFilterOptions(command);
}

/** With neither a plan nor --schema, the desired schema is lockplane.toml's schema_path. */
function withConfiguredSchema(planArg: string | undefined, opts: ApplyOptions): ApplyOptions {
  if (planArg || opts.plan || opts.schema) return opts;
  const schema = configuredSchemaPath(opts.targetEnvironment, '--target-environment');
  return schema === undefined ? opts : { ...opts, schema };
}

type Lib = Awaited<ReturnType<typeof lib>>;

async function apply(planArg: string | undefined, opts: ApplyOptions): Promise<void> {
  const lp = await lib();
  const { connect, introspect, applyToTarget, provePlan, schemaHash, seedFromSession } = lp;
  const timing = parseTiming(opts);
  useFilterFlags(opts);
  const planPath = resolvePlanArgument(planArg, opts, lp);
  const allowed = parseAllowHazards(opts.allowHazards);
  const target = targetFor(opts.target, opts.targetEnvironment);
  const session = await connect(target.url);
  try {
    const scope = commandFilter(target.environment);
    // Objects the filter leaves out but the schema names (auth.users) are copied from the target into scratches.
    const seedFrom = seedFromSession(session, scope);
    const current = await introspect(session, scope);
    const plan = planPath
      ? loadPlanFor(planPath, current, lp)
      : await planFromSchema(opts.schema!, { url: target.url, filter: scope, seedFrom }, current, allowed, lp);
    if (!plan) return;
    gate(plan, allowed, lp);
    info(`Target: ${session.description}`);
    info(planText(plan));
    if (!(await confirm('Apply these steps?', Boolean(opts.autoApprove)))) {
      info('Apply cancelled.');
      return;
    }
    if (!opts.skipShadow) {
      const { ddl } = await seedFrom([JSON.stringify(current), ...plan.steps.flatMap((s) => [JSON.stringify(s), ...[s.sql].flat()])]);
      const proof = await provePlan(current, plan, { ...normalizeOptions([target.url]), ...scope, seed: ddl });
      info(`${pc.green('✓')} Plan proven on the shadow (${proof.shadow})`);
      if (proof.reverse.ok) info(`${pc.green('✓')} Rollback proven on the shadow`);
      else info(pc.yellow(`⚠ Rollback not proven: ${proof.reverse.reason}`));
    }
    const started = Date.now();
    const result = await applyToTarget(session, plan, {
      expectedSourceHash: plan.source_hash ?? schemaHash(current),
      ...(scope.schemas ? { schemas: scope.schemas } : {}),
      filter: scope,
      ...timing,
      onStep: (i, step) => info(`  [${i + 1}/${plan.steps.length}] ${step.description} (${elapsed(started)})`),
      onRetry: (attempt, of, waitMs, error) =>
        info(`  lock timeout at step ${error.stepIndex + 1}; retry ${attempt}/${of} in ${(waitMs / 1000).toFixed(1)} s`),
    });
    out(`${pc.green('✓')} Applied ${result.stepsApplied} step${result.stepsApplied === 1 ? '' : 's'} to ${session.description}`);
  } finally {
    await session.close();
  }
}

function parseTiming(opts: ApplyOptions): { lockWaitSeconds: number; lockTimeout: string; statementTimeout: string; retries: number } {
  const lockWaitSeconds = Number(opts.lockWait);
  const retries = Number(opts.retries);
  if (!Number.isFinite(lockWaitSeconds) || lockWaitSeconds < 0) throw new InputError(`--lock-wait: expected seconds, got ${JSON.stringify(opts.lockWait)}`);
  if (!Number.isInteger(retries) || retries < 0) throw new InputError(`--retries: expected a whole number, got ${JSON.stringify(opts.retries)}`);
  for (const [flag, value] of [['--lock-timeout', opts.lockTimeout], ['--statement-timeout', opts.statementTimeout]] as const) {
    if (!/^\d+(\.\d+)?\s*(ms|s|min|h)?$/.test(value)) throw new InputError(`${flag}: expected a duration like 500ms, 5s or 2min, got ${JSON.stringify(value)}`);
  }
  return { lockWaitSeconds, lockTimeout: opts.lockTimeout, statementTimeout: opts.statementTimeout, retries };
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
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
  target: { url: string } & SourceScope,
  current: Schema,
  allowed: HazardAllowance,
  { buildPlan, formatValidationReport, validatePlan }: Lib,
): Promise<Plan | null> {
  const desired = await loadSourceFor(spec, target, [target.url]);
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
