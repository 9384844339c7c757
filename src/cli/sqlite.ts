// The SQLite side of the commands: same flags and outputs, the SQLite
// dialect's load / plan / validate / rollback / prove / apply underneath.
// Each command decides once (isSqliteCommand) and comes here.
import pc from 'picocolors';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BlockedError, ExitCode, InputError, LockplaneError, redact } from '../errors.js';
import type { Plan, Reservation, Schema, SqliteSession, SqliteSource } from '../index.js';
import { againstSource, lib, sqliteShadowPath, type HazardAllowance } from './common.js';
import { formatPlan, planText, type PlanFormat } from './plan-output.js';
import { info, json, out } from './output.js';
import { unapprovedHazards } from './gate.js';
import { confirm } from './confirm.js';
import type { ResolvedDatabase } from '../config/index.js';
import { historyText } from './commands/history.js';
import { printStatus } from './commands/status.js';
import { applyReporter, stepStartedEvent, type ApplyEvent, type ApplyReporter } from './apply-progress.js';

/** The SQLite dialect's own exports beyond the library's (ledger, shadow): loaded only by SQLite commands. */
const sqliteLib = () => import('../dialects/sqlite/index.js');

export async function loadSqliteSide(database: Pick<ResolvedDatabase, 'url'>): Promise<SqliteSource> {
  const shadowPath = sqliteShadowPath();
  return (await lib()).loadSqliteSource(database.url, shadowPath ? { shadowPath } : {});
}

export async function introspectSqliteCommand(database: ResolvedDatabase, format: 'json' | 'sql'): Promise<void> {
  const { renderSqliteDdl, saveSchemaJson } = await lib();
  const { schema } = await loadSqliteSide(database);
  if (format === 'json') out(saveSchemaJson(schema));
  else {
    const ddl = renderSqliteDdl(schema);
    out(ddl.length === 0 ? '-- empty schema\n' : `${ddl.join(';\n\n')};\n`);
  }
}

export async function diffSqliteCommand(fromDb: ResolvedDatabase, toDb: ResolvedDatabase): Promise<void> {
  const from = await loadSqliteSide(fromDb);
  const to = await loadSqliteSide(toDb);
  const plan = (await lib()).buildSqlitePlan(from.schema, to.schema);
  const changes = plan.steps.map((s) => ({ description: s.description, ...(s.hazards ? { hazards: s.hazards } : {}) }));
  out(json({ from: from.label, to: to.label, dialect: 'sqlite', changes }));
}

export async function planSqliteCommand(fromDb: ResolvedDatabase, toDb: ResolvedDatabase, format: PlanFormat, validate: boolean, allowed: HazardAllowance, check = false): Promise<void> {
  const from = await loadSqliteSide(fromDb);
  const to = await loadSqliteSide(toDb);
  const { buildSqlitePlan, validateSqlitePlan, formatValidationReport } = await lib();
  const plan = againstSource(to.label, () => buildSqlitePlan(from.schema, to.schema));
  if (validate) {
    const report = formatValidationReport(validateSqlitePlan(from.schema, to.schema), allowed);
    info(report.text);
    if (report.blocked) {
      process.exitCode = ExitCode.blocked;
      return;
    }
  }
  out(formatPlan(plan, format));
  if (check && plan.steps.length > 0) process.exitCode = ExitCode.pending;
}

export async function rollbackSqliteCommand(forward: Plan, beforeDb: ResolvedDatabase, format: PlanFormat): Promise<void> {
  const { rollbackSqlitePlan } = await lib();
  const before = await loadSqliteSide(beforeDb);
  out(formatPlan(await rollbackSqlitePlan(forward, before.schema), format));
}

export interface SqliteApplyRequest {
  target: ResolvedDatabase;
  planPath?: string;
  schema?: string;
  desired?: Pick<ResolvedDatabase, 'url'>;
  allowed: HazardAllowance;
  autoApprove: boolean;
  skipShadow: boolean;
  /** Seconds to wait for another writer (SQLITE_BUSY); at least one. */
  lockWaitSeconds: number;
  /** --json: progress events on stdout, as the Postgres apply writes them. */
  json: boolean;
}

type Finished = Omit<Extract<ApplyEvent, { event: 'apply_finished' }>, 'event' | 'duration_ms'>;

export async function applySqliteCommand(request: SqliteApplyRequest): Promise<void> {
  const lp = await lib();
  const reporter = applyReporter(request.json);
  const started = Date.now();
  let finished: Finished = { status: 'failed', steps_applied: 0 };
  const db = await lp.openSqlite(request.target.url, { busyTimeoutMs: Math.max(1000, request.lockWaitSeconds * 1000) });
  try {
    finished = await applyOn(db, request, reporter);
  } catch (error) {
    finished = failed(error, lp);
    throw error;
  } finally {
    reporter.emit({ event: 'apply_finished', ...finished, duration_ms: Date.now() - started });
    await db.close();
  }
}

async function applyOn(db: SqliteSession, request: SqliteApplyRequest, reporter: ApplyReporter): Promise<Finished> {
  const lp = await lib();
  const current = await lp.introspectSqlite(db);
  const currentHash = lp.sqliteSchemaHash(current);
  const plan = request.planPath ? lp.loadPlanJson(request.planPath) : await planFor(request, current, reporter);
  const noChanges: Finished = { status: 'no_changes', steps_applied: 0 };
  if (!plan) return noChanges;
  if (request.planPath) {
    if (plan.dialect && plan.dialect !== 'sqlite') throw new InputError(`${request.planPath}: a ${plan.dialect} plan, and ${db.description} is a SQLite database; make the plan against it`);
    const last = await (await sqliteLib()).latestApplyOfPlan(db, plan);
    if (last?.status === 'applied' && plan.target_hash === currentHash) {
      info(`Already applied: apply #${last.id} applied this plan and the database is still in the state it left.`);
      return noChanges;
    }
    if (plan.source_hash && plan.source_hash !== currentHash) {
      throw new BlockedError(`${request.planPath}: the target is not in the state this plan was made for (source_hash differs); make a new plan`);
    }
  }
  if (plan.steps.length === 0) {
    if (!reporter.json) out('No changes: the plan has no steps.');
    return noChanges;
  }
  info(`Target: ${db.description}`);
  const problems = unapprovedHazards(plan, request.allowed, lp.hazardInfo);
  if (problems.length > 0) {
    info(problems.map((p) => `  step ${p.step + 1} (${p.description}): ${p.code} ${p.message}`).join('\n'));
    throw new BlockedError(`the plan has hazards that need approval; rerun with --allow-hazards ${[...new Set(problems.map((p) => p.code))].join(',')} if that is intended`);
  }
  info(planText(plan));
  if (!(await confirm('Apply these steps?', request.autoApprove))) {
    info('Apply cancelled.');
    return { status: 'cancelled', steps_applied: 0 };
  }
  if (!request.skipShadow) {
    const proof = await lp.proveSqlitePlan(current, plan, sqliteShadowPath());
    info(`${pc.green('✓')} Plan proven on the shadow (${proof.shadow})`);
    if (proof.reverse.ok) info(`${pc.green('✓')} Rollback proven on the shadow`);
    else info(pc.yellow(`⚠ Rollback not proven: ${proof.reverse.reason}`));
  }
  const steps = plan.steps.length;
  const result = await lp.applySqlitePlan(db, plan, {
    expectedSourceHash: plan.source_hash ?? currentHash,
    onStart: (applyId) => reporter.emit({ event: 'apply_started', target: db.description, ...(plan.source_hash ? { plan_hash: plan.source_hash } : {}), steps, from_step: 0, resumes: null, apply_id: applyId }),
    onStep: (i, step) => reporter.emit(stepStartedEvent(i, steps, step)),
    onStepDone: (i, _step, ms) => reporter.emit({ event: 'step_finished', step: i + 1, status: 'applied', duration_ms: ms }),
  });
  if (!reporter.json) out(`${pc.green('✓')} Applied ${result.stepsApplied} step${result.stepsApplied === 1 ? '' : 's'} to ${db.description}`);
  return { status: 'applied', steps_applied: result.stepsApplied, apply_id: result.applyId };
}

function failed(error: unknown, { SqliteStepFailedError: StepFailed }: Awaited<ReturnType<typeof lib>>): Finished {
  const message = error instanceof Error ? error.message : String(error);
  const step = error instanceof StepFailed ? { failed_step: error.stepIndex + 1 } : {};
  return { status: error instanceof BlockedError ? 'refused' : 'failed', steps_applied: 0, ...step, error: message };
}

async function planFor(request: SqliteApplyRequest, current: Schema, reporter: ApplyReporter): Promise<Plan | null> {
  const lp = await lib();
  const desired = await loadSqliteSide(request.desired!);
  const plan = againstSource(desired.label, () => lp.buildSqlitePlan(current, desired.schema));
  if (plan.steps.length === 0) {
    if (!reporter.json) out(`No changes: the database already matches ${desired.label}.`);
    return null;
  }
  const report = lp.formatValidationReport(lp.validateSqlitePlan(current, desired.schema), request.allowed);
  if (report.blocked) {
    info(report.text);
    throw new BlockedError('the plan is blocked by safety checks (see the report above); fix the schema or allow the hazards with --allow-hazards');
  }
  return plan;
}

/** `history` on SQLite: the ledger table's rows, as the Postgres ledger's. */
export async function historySqliteCommand(target: ResolvedDatabase, limit: number, format: 'text' | 'json'): Promise<void> {
  const { listSqliteApplies, openSqlite } = await sqliteLib();
  const db = await openSqlite(target.url);
  try {
    const applies = await listSqliteApplies(db, limit);
    out(format === 'json' ? json(applies) : historyText(applies));
  } finally {
    await db.close();
  }
}

/** `status` on SQLite: a SQLite apply is one transaction, so none is ever running for long or left unfinished. */
export async function statusSqliteCommand(target: ResolvedDatabase, schema: string | undefined, format: 'text' | 'json'): Promise<void> {
  const { listSqliteApplies, openSqlite, introspectSqlite, buildSqlitePlan } = await sqliteLib();
  const desired = schema === undefined ? undefined : await loadSqliteSide({ url: schema });
  const db = await openSqlite(target.url);
  try {
    const applies = await listSqliteApplies(db, 20);
    const pending = desired ? buildSqlitePlan(await introspectSqlite(db), desired.schema).steps.map((s) => s.description) : null;
    const latest = applies.find((a) => a.status !== 'refused') ?? null;
    printStatus(format, { target: db.description, ...(schema === undefined ? {} : { schema }), pending, last: applies[0] ?? null, latest, runningNow: false, unfinished: null });
  } finally {
    await db.close();
  }
}

/**
 * `shadow prepare` on SQLite: the shadow is a file an ORM can open —
 * SQLITE_SHADOW_DB_PATH, else .lockplane/shadow.db — emptied (only when it is
 * a marked shadow or empty) and reserved like a Postgres shadow.
 */
export async function prepareSqliteShadowCommand(projectDir: string, database: ResolvedDatabase, environment: string, force: boolean): Promise<void> {
  const { readReservation, writeReservation, RESERVATION_FILE } = await import('../shadow/reservation.js');
  const { locate, openSqliteShadow } = await sqliteLib();
  const existing = readReservation(projectDir);
  if (existing && !force) {
    throw new LockplaneError(`a shadow is already reserved for environment "${existing.environment}" since ${existing.created_at} (${RESERVATION_FILE}); run \`lockplane shadow release\` first, or pass --force to replace it`);
  }
  const configured = sqliteShadowPath();
  const path = configured ?? join(projectDir, '.lockplane', 'shadow.db');
  const shadow = locate(path);
  if (shadow.remote || shadow.clientUrl === ':memory:') throw new InputError(`SQLITE_SHADOW_DB_PATH ${redact(path)}: the shadow an ORM writes to must be a SQLite file`);
  if (shadow.clientUrl === locate(database.url).clientUrl) throw new InputError(`${shadow.description}: the shadow is the environment's own database; set SQLITE_SHADOW_DB_PATH to another file`);
  if (existing) await (await lib()).releaseShadow(projectDir);
  mkdirSync(dirname(shadow.clientUrl.slice('file:'.length)), { recursive: true });
  await (await openSqliteShadow(path)).close();
  const reservation = { shadow_url: shadow.clientUrl, environment, created_at: new Date().toISOString() };
  writeReservation(projectDir, reservation);
  info(`✓ Shadow ready: SQLite file ${shadow.description}${configured ? ' from SQLITE_SHADOW_DB_PATH' : ''}; reserved in ${RESERVATION_FILE} until \`lockplane shadow release\``);
  out(json({ ...reservation, shadow_path: shadow.clientUrl.slice('file:'.length) }));
}

/** `shadow diff` on SQLite: from the environment's database to the reserved shadow file. */
export async function sqliteShadowPlan(reservation: Reservation, database: ResolvedDatabase): Promise<{ plan: Plan; label: string }> {
  const { isSqliteSpec, buildSqlitePlan } = await lib();
  if (!isSqliteSpec(reservation.shadow_url)) {
    throw new InputError(`the reserved shadow ${redact(reservation.shadow_url)} is not a SQLite database and ${redact(database.url)} is: run \`lockplane shadow release\`, then \`lockplane shadow prepare\` for this environment`);
  }
  const before = await loadSqliteSide(database);
  const after = await loadSqliteSide({ url: reservation.shadow_url });
  return { plan: buildSqlitePlan(before.schema, after.schema), label: before.label };
}
