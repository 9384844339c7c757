// The SQLite side of the commands: same flags and outputs, the SQLite
// dialect's load / plan / validate / rollback / prove / apply underneath.
// Each command decides once (isSqliteCommand) and comes here.
import pc from 'picocolors';
import { BlockedError, ExitCode } from '../errors.js';
import type { Plan, Schema, SqliteSource } from '../index.js';
import { againstSource, lib, sqliteShadowPath, type HazardAllowance } from './common.js';
import { formatPlan, planText, type PlanFormat } from './plan-output.js';
import { info, json, out } from './output.js';
import { unapprovedHazards } from './gate.js';
import { confirm } from './confirm.js';
import type { ResolvedDatabase } from '../config/index.js';

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

export async function planSqliteCommand(fromDb: ResolvedDatabase, toDb: ResolvedDatabase, format: PlanFormat, validate: boolean, allowed: HazardAllowance): Promise<void> {
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
  /** Seconds to wait for another writer (SQLITE_BUSY). */
  lockWaitSeconds: number;
}

export async function applySqliteCommand(request: SqliteApplyRequest): Promise<void> {
  const lp = await lib();
  const db = await lp.openSqlite(request.target.url, { busyTimeoutMs: Math.max(1000, request.lockWaitSeconds * 1000) });
  try {
    const current = await lp.introspectSqlite(db);
    const plan = request.planPath ? lp.loadPlanJson(request.planPath) : await planFor(request, current);
    if (!plan) return;
    if (request.planPath && plan.source_hash && plan.source_hash !== lp.sqliteSchemaHash(current)) {
      throw new BlockedError(`${request.planPath}: the target is not in the state this plan was made for (source_hash differs); make a new plan`);
    }
    if (plan.steps.length === 0) {
      out('No changes: the plan has no steps.');
      return;
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
      return;
    }
    if (!request.skipShadow) {
      const shadowPath = sqliteShadowPath();
      const proof = await lp.proveSqlitePlan(current, plan, shadowPath);
      info(`${pc.green('✓')} Plan proven on the shadow (${proof.shadow})`);
      if (proof.reverse.ok) info(`${pc.green('✓')} Rollback proven on the shadow`);
      else info(pc.yellow(`⚠ Rollback not proven: ${proof.reverse.reason}`));
    }
    const result = await lp.applySqlitePlan(db, plan, { expectedSourceHash: plan.source_hash ?? lp.sqliteSchemaHash(current) });
    out(`${pc.green('✓')} Applied ${result.stepsApplied} step${result.stepsApplied === 1 ? '' : 's'} to ${db.description}`);
  } finally {
    await db.close();
  }
}

async function planFor(request: SqliteApplyRequest, current: Schema): Promise<Plan | null> {
  const lp = await lib();
  const desired = await loadSqliteSide(request.desired!);
  const plan = againstSource(desired.label, () => lp.buildSqlitePlan(current, desired.schema));
  if (plan.steps.length === 0) {
    out(`No changes: the database already matches ${desired.label}.`);
    return null;
  }
  const report = lp.formatValidationReport(lp.validateSqlitePlan(current, desired.schema), request.allowed);
  if (report.blocked) {
    info(report.text);
    throw new BlockedError('the plan is blocked by safety checks (see the report above); fix the schema or allow the hazards with --allow-hazards');
  }
  return plan;
}
