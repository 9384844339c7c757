// The plan the MCP tools show: both sides resolved and loaded as `lockplane
// plan` does (flags → environments → lockplane.toml schema_path), the plan
// built and its locks analysed for the from-database's server version, then
// validated and, when the from-side is a database, preflighted against its data.
import { InputError } from '../errors.js';
import type { LoadedSource, Plan, PreflightReport } from '../index.js';
import type { StepValidation } from '../safety/types.js';
import { againstSource, configuredSchemaPath, databaseFor, isSqliteCommand, lib, loadResolvedSide, warnOnEngineMismatch } from '../cli/common.js';

export interface PlanRequest {
  from?: string;
  fromEnvironment?: string;
  to?: string;
  toEnvironment?: string;
  online: boolean;
}

export interface PlannedChange {
  plan: Plan;
  from: LoadedSource & { url: string };
  to: LoadedSource & { url: string };
}

export async function planChange(request: PlanRequest): Promise<PlannedChange> {
  const toSpec = request.to ?? (request.toEnvironment === undefined ? configuredSchemaPath(request.fromEnvironment, 'from_environment') : undefined);
  if (toSpec === undefined && request.toEnvironment === undefined) {
    throw new InputError('give `to` (a schema source) or `to_environment`, or set schema_path in lockplane.toml');
  }
  const fromDb = databaseFor({ url: request.from, urlFlag: 'from', environment: request.fromEnvironment, environmentFlag: 'from_environment' });
  const toDb = databaseFor({ url: toSpec, urlFlag: 'to', environment: request.toEnvironment, environmentFlag: 'to_environment' });
  if (isSqliteCommand([fromDb, toDb])) throw new InputError('the MCP plan tools work on Postgres; for SQLite/libSQL run `lockplane plan` in a shell');
  const from = await loadResolvedSide(fromDb);
  const to = await loadResolvedSide(toDb);
  warnOnEngineMismatch(from, to);
  const { annotateLocks, buildPlan } = await lib();
  const built = againstSource(to.label, () => buildPlan(from.schema, to.schema, { online: request.online }));
  const plan = await annotateLocks(built, { from: from.schema, ...(from.serverVersion ? { serverVersion: from.serverVersion } : {}) });
  return { plan, from, to };
}

export interface PlanReview {
  validation: StepValidation[];
  text: string;
  blocked: boolean;
  preflight?: PreflightReport;
}

/** The validation report (hazards, reversibility) and, on a database, the data-aware preflight. */
export async function reviewPlan({ plan, from, to }: PlannedChange, allowed: Set<string> | 'all'): Promise<PlanReview> {
  const { connect, formatPreflightReport, formatValidationReport, preflightPlan, validatePlan } = await lib();
  const validation = validatePlan(plan, from.schema, to.schema);
  const report = formatValidationReport(validation, allowed);
  if (from.kind !== 'database' || plan.steps.length === 0) return { validation, ...report };
  const session = await connect(from.url);
  try {
    const preflight = await preflightPlan(session, plan, { allowed: allowed === 'all' ? new Set() : allowed });
    return { validation, text: `${report.text}\n\n${formatPreflightReport(preflight)}`, blocked: report.blocked || preflight.failed.length > 0, preflight };
  } finally {
    await session.close();
  }
}
