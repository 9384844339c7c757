import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { BlockedError, InputError } from '../../errors.js';
import type { Ledger, PgSession, Plan, PlanStep, ResumePoint, Schema, SchemaFilter, SeedProvider, StatementTimeouts, TargetApplyOptions, TargetApplyResult } from '../../index.js';
import { applyReporter, backfillProgressEvent, stepStartedEvent, type ApplyEvent, type ApplyReporter } from '../apply-progress.js';
import { confirm, confirmByName, interactive } from '../confirm.js';
import {
  againstSource,
  addFilterOptions,
  commandFilter,
  configuredSchemaPath,
  LEDGER_SCHEMA_OPTION,
  ledgerSchemaFor,
  lib,
  loadSourceFor,
  proveOptions,
  parseAllowHazards,
  parseDuration,
  isSqliteCommand,
  targetFor,
  useFilterFlags,
  warnOnEngineMismatch,
  type FilterOptionValues,
  type HazardAllowance,
  type SourceScope,
} from '../common.js';
import { planText } from '../plan-output.js';
import { info, out } from '../output.js';
import { unapprovedHazards } from '../gate.js';
import { applySqliteCommand } from '../sqlite.js';
import type { ResolvedDatabase } from '../../config/index.js';

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
  json?: boolean;
  ledgerSchema?: string;
  batchSize: string;
  batchPause: string;
  skipPreflight?: boolean;
  preflightTimeout: string;
  /** False with --no-online. */
  online: boolean;
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
    .option('--no-online', 'with --schema: plain DDL for existing tables too (no CONCURRENTLY, NOT VALID + VALIDATE, …)')
    .option('--allow-hazards <codes>', 'allow these hazard codes (comma-separated, e.g. LP201,LP202) or all')
    .option('--lock-wait <seconds>', 'wait this long for another apply to release the database', '0')
    .option('--lock-timeout <duration>', 'Postgres lock_timeout for the steps', '5s')
    .option('--statement-timeout <durations>', 'Postgres statement_timeout: one duration for every step (0: none), and/or per kind of step, e.g. 30s,index=0,validate=10min (kinds: ddl, index, validate, data)', '0')
    .option('--batch-size <rows>', 'rows per transaction of a backfill step', '1000')
    .option('--batch-pause <duration>', 'pause between the batches of a backfill step, e.g. 100ms', '0')
    .option('--retries <n>', 'retries of a transaction or step after a lock timeout, with backoff', '3')
    .option('--skip-preflight', 'do not check the current data for rows the steps would fail on (emergencies only)')
    .option('--preflight-timeout <duration>', 'statement_timeout of each read-only preflight query', '10s')
    .option('--json', 'progress as newline-delimited JSON events on stdout')
    .option(...LEDGER_SCHEMA_OPTION)
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
  const { connect, introspect, findResume, seedFromSession } = lp;
  const reporter = applyReporter(Boolean(opts.json));
  const started = Date.now();
  const timing = parseTiming(opts, lp);
  useFilterFlags(opts);
  const planPath = resolvePlanArgument(planArg, opts, lp);
  const allowed = parseAllowHazards(opts.allowHazards);
  const target = targetFor(opts.target, opts.targetEnvironment);
  if (isSqliteCommand([target])) return applySqlite(target, planPath, allowed, timing, opts);
  const ledgerSchema = ledgerSchemaFor(opts.ledgerSchema, target);
  const session = await connect(target.url);
  const ledger = new lp.Ledger(session, ledgerSchema);
  let outcome: Outcome = { status: 'failed' };
  try {
    const scope = commandFilter(target.environment);
    // Objects the filter leaves out but the schema names (auth.users) are copied from the target into scratches.
    const seedFrom = seedFromSession(session, scope);
    // Taken before the read: if the database is still there under the apply lock, the read still describes it.
    const stampBefore = await lp.catalogStamp(session, scope);
    const current = await introspect(session, scope);
    const serverVersion = await lp.serverVersionNum(session);
    const { plan, label } = planPath
      ? { plan: lp.loadPlanJson(planPath), label: planPath }
      : await planFromSchema(opts.schema!, { url: target.url, filter: scope, seedFrom }, current, { allowed, online: opts.online, serverVersion }, lp);
    if (!plan) {
      if (!reporter.json) out(`No changes: the database already matches ${label}.`);
      outcome = { status: 'no_changes' };
      return;
    }
    const resume = planPath ? await findResume(ledger, plan) : null;
    if (planPath && !resume && (await finishedBefore(ledger, plan, current, lp))) {
      outcome = { status: 'no_changes' };
      return;
    }
    const start = resume ? await resumeStart(session, current, plan, resume, scope, lp) : { fromStep: 0, schema: current };
    if (!resume && planPath) checkSource(planPath, plan, current, lp);
    // The locks shown before confirmation are those of the steps still to run, from where they start.
    const remaining: Plan = await lp.annotateLocks({ ...plan, steps: plan.steps.slice(start.fromStep), source_hash: lp.schemaHash(start.schema) }, { from: start.schema, serverVersion });
    info(`Target: ${session.description}`);
    if (!(await approve(remaining, start.fromStep, allowed, opts, lp))) {
      info('Apply cancelled.');
      outcome = { status: 'cancelled' };
      return;
    }
    if (!opts.skipShadow && remaining.steps.length > 0) await prove(start.schema, remaining, target.url, scope, seedFrom, lp);
    const preflight = preflightOption(opts, allowed, reporter, lp);
    const result = await runApply(
      session,
      target.url,
      plan,
      start.fromStep,
      {
        ...(scope.schemas ? { schemas: scope.schemas } : {}),
        filter: scope,
        ...timing,
        ...preflight,
        ...(ledgerSchema ? { ledgerSchema } : {}),
        expectedSourceHash: plan.source_hash ?? lp.schemaHash(current),
        // The read was checked against the plan's source (checkSource, or the plan was made from it); a resume checks its own.
        ...(resume ? {} : { verifiedStamp: stampBefore }),
      },
      reporter,
      lp,
    );
    outcome = { status: 'applied', applyId: result.applyId, steps: result.stepsApplied };
    if (!reporter.json) out(`${pc.green('✓')} Applied ${result.stepsApplied} step${result.stepsApplied === 1 ? '' : 's'} to ${session.description}`);
  } catch (error) {
    outcome = failureOutcome(error, lp);
    throw error;
  } finally {
    reporter.emit({ event: 'apply_finished', ...finishedFields(outcome), duration_ms: Date.now() - started });
    await session.close();
  }
}

async function applySqlite(target: ResolvedDatabase, planPath: string | undefined, allowed: HazardAllowance, timing: Timing, opts: ApplyOptions): Promise<void> {
  await applySqliteCommand({
    target,
    ...(planPath ? { planPath } : { desired: { url: opts.schema! } }),
    allowed,
    autoApprove: Boolean(opts.autoApprove),
    skipShadow: Boolean(opts.skipShadow),
    lockWaitSeconds: timing.lockWaitSeconds,
    json: Boolean(opts.json),
  });
}

type Outcome =
  | { status: 'applied'; applyId: number; steps: number }
  | { status: 'no_changes' | 'cancelled' }
  | { status: 'failed' | 'refused'; failedStep?: number; error?: string };

function failureOutcome(error: unknown, { BlockedError: Blocked, StepFailedError: StepFailed }: Lib): Outcome {
  const message = error instanceof Error ? error.message : String(error);
  const failedStep = error instanceof StepFailed ? error.stepIndex + 1 : undefined;
  return { status: error instanceof Blocked ? 'refused' : 'failed', error: message, ...(failedStep ? { failedStep } : {}) };
}

function finishedFields(outcome: Outcome): Omit<Extract<ApplyEvent, { event: 'apply_finished' }>, 'event' | 'duration_ms'> {
  if (outcome.status === 'applied') return { status: 'applied', steps_applied: outcome.steps, apply_id: outcome.applyId };
  if (outcome.status === 'failed' || outcome.status === 'refused') {
    return { status: outcome.status, steps_applied: 0, ...(outcome.failedStep ? { failed_step: outcome.failedStep } : {}), ...(outcome.error ? { error: outcome.error } : {}) };
  }
  return { status: outcome.status, steps_applied: 0 };
}

/**
 * Where a resumed apply starts, and the schema the remaining steps start
 * from (the live one, without the INVALID indexes the interrupted step left,
 * which the apply drops first). A preview: applyToTarget decides again under the lock.
 */
async function resumeStart(
  session: PgSession,
  current: Schema,
  plan: Plan,
  resume: ResumePoint,
  scope: SchemaFilter,
  lp: Lib,
): Promise<{ fromStep: number; schema: Schema }> {
  const schema = resume.interrupted === null ? current : await lp.invalidIndexesRemoved(session, current, plan.steps[resume.interrupted]);
  const done = resume.fromStep;
  info(
    `Apply #${resume.applyId} of this plan did not finish: ${done === 0 ? 'no step' : `steps 1-${done}`} of ${plan.steps.length} completed` +
      `${resume.interrupted === null ? '' : `, step ${resume.interrupted + 1} was interrupted`}. Resuming at step ${done + 1}.`,
  );
  const { expected } = resume;
  const there = async (): Promise<boolean> =>
    'stamp' in expected ? (await lp.catalogStamp(session, scope)) === expected.stamp : lp.schemaHash(schema) === expected.hash;
  if (resume.interrupted === null && !(await there())) {
    throw new lp.BlockedError(
      `cannot resume apply #${resume.applyId}: the database is not in the state the ledger recorded after step ${done}; something else changed it. Make a new plan from the database as it is`,
    );
  }
  return { fromStep: done, schema };
}

/** A plan whose apply finished and whose result is still the database: nothing to do (say so, exit 0). */
async function finishedBefore(ledger: Ledger, plan: Plan, current: Schema, lp: Lib): Promise<boolean> {
  const done = await lp.appliedBefore(ledger, plan);
  if (!done || done.hash === null || done.hash !== lp.schemaHash(current)) return false;
  info(`Already applied: apply #${done.applyId} applied this plan and the database is still in the state it left.`);
  return true;
}

function checkSource(path: string, plan: Plan, current: Schema, { schemaHash, sourceDrift }: Lib): void {
  const actual = schemaHash(current);
  if (plan.source_hash && plan.source_hash !== actual) {
    throw new BlockedError(`${path}: the target is not in the state this plan was made for: ${sourceDrift(plan.source_hash, actual, current, plan.source_objects)}; make a new plan`);
  }
}

async function prove(schema: Schema, plan: Plan, targetUrl: string, scope: SchemaFilter, seedFrom: SeedProvider, { provePlan }: Lib): Promise<void> {
  // Objects the filter leaves out but the plan names (auth.users) are copied into the shadow first.
  const { ddl } = await seedFrom([JSON.stringify(schema), ...plan.steps.flatMap((s) => [JSON.stringify(s), ...[s.sql].flat()])]);
  const proof = await provePlan(schema, plan, proveOptions(targetUrl, scope, ddl));
  info(`${pc.green('✓')} Plan proven on the shadow (${proof.shadow})`);
  if (proof.reverse.ok) info(`${pc.green('✓')} Rollback proven on the shadow`);
  else info(pc.yellow(`⚠ Rollback not proven: ${proof.reverse.reason}`));
}

type Timing = ReturnType<typeof parseTiming>;

/**
 * The preflight runs unless --skip-preflight; its failures stop the apply
 * unless their codes are named in --allow-hazards (`all` does not cover them:
 * a preflight failure means a step would fail).
 */
function preflightOption(opts: ApplyOptions, allowed: HazardAllowance, reporter: ApplyReporter, { formatPreflightReport }: Lib): Pick<TargetApplyOptions, 'preflight'> {
  if (opts.skipPreflight) {
    if (reporter.json) reporter.emit({ event: 'preflight', status: 'skipped', checks: [], duration_ms: 0 });
    else info(pc.yellow('⚠ Preflight skipped (--skip-preflight): the current data is not checked'));
    return {};
  }
  return {
    preflight: {
      timeout: opts.preflightTimeout,
      allowed: allowed === 'all' ? new Set() : allowed,
      onReport: (report) => {
        if (reporter.json) {
          reporter.emit({ event: 'preflight', status: report.failed.length ? 'failed' : 'passed', checks: report.checks, duration_ms: report.duration_ms });
        } else if (report.checks.length > 0) info(formatPreflightReport(report));
      },
    },
  };
}

async function runApply(
  session: PgSession,
  url: string,
  plan: Plan,
  fromStep: number,
  options: Timing & Pick<TargetApplyOptions, 'preflight' | 'verifiedStamp'> & { schemas?: string[]; filter?: SchemaFilter; expectedSourceHash: string; ledgerSchema?: string },
  reporter: ApplyReporter,
  lp: Lib,
): Promise<TargetApplyResult> {
  const watcher = await indexWatcher(session, url, plan, reporter, lp);
  try {
    return await lp.applyToTarget(session, plan, {
      ...options,
      expectFromStep: fromStep,
      onStart: ({ applyId, fromStep: from, resumes }) =>
        reporter.emit({ event: 'apply_started', target: session.description, ...(plan.source_hash ? { plan_hash: plan.source_hash } : {}), steps: plan.steps.length, from_step: from, resumes, apply_id: applyId }),
      onStep: (i, step) => {
        reporter.emit(stepStartedEvent(i, plan.steps.length, step));
        watcher.stepStarted(i, step);
      },
      onBackfillProgress: throttled(1000, (i, p) => reporter.emit(backfillProgressEvent(i, p))),
      onStepDone: (i, _step, ms) => {
        watcher.stepDone();
        reporter.emit({ event: 'step_finished', step: i + 1, status: 'applied', duration_ms: ms });
      },
      onRetry: (attempt, of, waitMs, error) => {
        watcher.stepDone();
        reporter.emit({ event: 'step_retry', step: error.stepIndex + 1, attempt, of, wait_ms: waitMs, error: error.message });
      },
      onCleanup: (message) => reporter.emit({ event: 'cleanup', message }),
    });
  } finally {
    await watcher.close();
  }
}

/** At most one call per `ms` (batches can finish hundreds of times a second). */
function throttled<A extends unknown[]>(ms: number, fn: (...args: A) => void): (...args: A) => void {
  let last = 0;
  return (...args) => {
    const now = Date.now();
    if (now - last < ms) return;
    last = now;
    fn(...args);
  };
}

/** Index builds report their progress from a second connection (servers only). */
async function indexWatcher(session: PgSession, url: string, plan: Plan, reporter: ApplyReporter, lp: Lib) {
  let monitor: PgSession | undefined;
  let pid = 0;
  if (session.kind === 'server' && plan.steps.some(lp.buildsIndex)) {
    pid = Number((await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid);
    monitor = await lp.connect(url).catch(() => undefined);
  }
  let stop: (() => void) | undefined;
  return {
    stepStarted(index: number, s: PlanStep) {
      stop?.();
      stop = undefined;
      const current = index + 1;
      if (monitor && lp.buildsIndex(s)) {
        stop = lp.watchIndexBuild(monitor, pid, (p) => reporter.emit({ event: 'step_progress', step: current, phase: p.phase, percent: p.percent }));
      }
    },
    stepDone() {
      stop?.();
      stop = undefined;
    },
    async close() {
      stop?.();
      await monitor?.close();
    },
  };
}

function parseTiming(
  opts: ApplyOptions,
  lp: Lib,
): { lockWaitSeconds: number; lockTimeout: string; statementTimeout: StatementTimeouts; retries: number; batchSize: number; batchPauseMs: number } {
  const lockWaitSeconds = Number(opts.lockWait);
  const retries = Number(opts.retries);
  if (!Number.isFinite(lockWaitSeconds) || lockWaitSeconds < 0) throw new InputError(`--lock-wait: expected seconds, got ${JSON.stringify(opts.lockWait)}`);
  if (!Number.isInteger(retries) || retries < 0) throw new InputError(`--retries: expected a whole number, got ${JSON.stringify(opts.retries)}`);
  parseDuration('--lock-timeout', opts.lockTimeout);
  parseDuration('--preflight-timeout', opts.preflightTimeout);
  const statementTimeout = lp.parseStatementTimeouts(opts.statementTimeout);
  const batchSize = Number(opts.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InputError(`--batch-size: expected a whole number of rows, got ${JSON.stringify(opts.batchSize)}`);
  const batchPauseMs = lp.durationMs(opts.batchPause);
  if (batchPauseMs === null) throw new InputError(`--batch-pause: expected a duration like 100ms or 1s, got ${JSON.stringify(opts.batchPause)}`);
  return { lockWaitSeconds, lockTimeout: opts.lockTimeout, statementTimeout, retries, batchSize, batchPauseMs };
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

async function planFromSchema(
  spec: string,
  target: { url: string } & SourceScope,
  current: Schema,
  { allowed, online, serverVersion }: { allowed: HazardAllowance; online: boolean; serverVersion: number },
  { annotateLocks, buildPlan, formatValidationReport, validatePlan }: Lib,
): Promise<{ plan: Plan | null; label: string }> {
  const desired = await loadSourceFor(spec, target, [target.url]);
  warnOnEngineMismatch({ serverVersion }, desired);
  const built = againstSource(desired.label, () => buildPlan(current, desired.schema, { online }));
  if (built.steps.length === 0) return { plan: null, label: desired.label };
  const plan = await annotateLocks(built, { from: current, serverVersion });
  const report = formatValidationReport(validatePlan(plan, current, desired.schema), allowed);
  if (report.blocked) {
    info(report.text);
    throw new BlockedError('the plan is blocked by safety checks (see the report above); fix the schema or allow the hazards with --allow-hazards');
  }
  return { plan, label: desired.label };
}

/**
 * Hazards: a blocking one needs --allow-hazards; a data-losing one needs it
 * too, or, on a terminal, the user typing the name of what it destroys
 * (--auto-approve never approves data loss). Then the plan itself needs `yes`
 * unless --auto-approve.
 */
async function approve(plan: Plan, offset: number, allowed: HazardAllowance, opts: ApplyOptions, { hazardInfo }: Lib): Promise<boolean> {
  const problems = unapprovedHazards(plan, allowed, hazardInfo).map((p) => ({ ...p, step: p.step + offset }));
  const needFlag = problems.filter((p) => p.flagOnly || !interactive());
  const codes = (list: typeof problems): string => [...new Set(list.map((p) => p.code))].join(',');
  if (needFlag.length > 0) {
    info(problems.map((p) => `  step ${p.step + 1} (${p.description}): ${p.code} ${p.message}`).join('\n'));
    const typed = needFlag.every((p) => !p.flagOnly) ? ', or run apply in a terminal and type the name of each object to confirm' : '';
    throw new BlockedError(`the plan has hazards that need approval; rerun with --allow-hazards ${codes(problems)} if that is intended${typed}`);
  }
  info(planText(plan, offset));
  for (const p of problems) {
    const question = pc.red(`Step ${p.step + 1} (${p.description}) destroys data: ${p.code} ${p.message}.`);
    if (!(await confirmByName(question, p.object))) {
      info(`The name did not match ${p.object}.`);
      return false;
    }
  }
  return confirm('Apply these steps?', Boolean(opts.autoApprove));
}
