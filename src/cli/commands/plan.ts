import type { Command } from 'commander';
import { ExitCode, InputError } from '../../errors.js';
import type { Plan } from '../../index.js';
import { addFilterOptions, againstSource, choice, configuredSchemaPath, databaseFor, isSqliteCommand, lib, loadResolvedSides, parseAllowHazards, parseDuration, useFilterFlags, warnOnEngineMismatch, type FilterOptionValues, type HazardAllowance } from '../common.js';
import { planSqliteCommand } from '../sqlite.js';
import { formatPlan, PLAN_COMMAND_FORMATS } from '../plan-output.js';
import { info, out } from '../output.js';

interface PlanOptions extends FilterOptionValues {
  from?: string;
  fromEnvironment?: string;
  to?: string;
  toEnvironment?: string;
  validate?: boolean;
  output: string;
  allowHazards?: string;
  skipPreflight?: boolean;
  preflightTimeout: string;
  /** False with --no-online. */
  online: boolean;
  check?: boolean;
}

export function registerPlan(program: Command): void {
  const command = program
    .command('plan')
    .description('plan the SQL steps that take one schema to another (each side: JSON file, SQL file or directory, or database URL)')
    .option('--from <source>', 'the schema as it is (default: the environment\'s database, else DATABASE_URL, else the embedded database)')
    .option('--from-environment <name>', 'lockplane.toml environment whose database is the schema as it is')
    .option('--to <source>', 'the schema as it should be (default: schema_path from lockplane.toml)')
    .option('--to-environment <name>', 'lockplane.toml environment whose database is the schema as it should be')
    .option('--validate', 'check every step for safety and reversibility; report to stderr; exit 3 when blocked')
    .option('--output <format>', 'json, sql, text, markdown (a pull-request comment) or github (workflow annotations for hazards, then the text plan)', 'json')
    .option('--allow-hazards <codes>', 'with --validate: do not block on these hazard codes (comma-separated) or all')
    .option('--skip-preflight', 'with --validate: do not check the --from database\'s data')
    .option('--preflight-timeout <duration>', 'with --validate: statement_timeout of each read-only preflight query', '10s')
    .option('--no-online', 'plain DDL for existing tables too (no CONCURRENTLY, NOT VALID + VALIDATE, …)')
    .option('--check', 'exit 4 when the plan has steps (changes pending), 0 when the two sides match: a CI gate')
    .action(async (opts: PlanOptions) => {
      const format = choice('--output', opts.output, PLAN_COMMAND_FORMATS);
      const allowed = parseAllowHazards(opts.allowHazards);
      useFilterFlags(opts);
      const toSpec = opts.to ?? (opts.toEnvironment === undefined ? configuredSchemaPath(opts.fromEnvironment, '--from-environment') : undefined);
      if (toSpec === undefined && opts.toEnvironment === undefined) {
        throw new InputError('plan: give --to SOURCE or --to-environment NAME (or set schema_path in lockplane.toml)');
      }
      const fromDb = databaseFor({ url: opts.from, urlFlag: '--from', environment: opts.fromEnvironment, environmentFlag: '--from-environment' });
      const toDb = databaseFor({ url: toSpec, urlFlag: '--to', environment: opts.toEnvironment, environmentFlag: '--to-environment' });
      if (isSqliteCommand([fromDb, toDb])) {
        if (format === 'github') throw new InputError('--output github: not available for SQLite yet; use --output text or markdown');
        return planSqliteCommand(fromDb, toDb, format, Boolean(opts.validate), allowed, Boolean(opts.check));
      }
      // Loaded while the server reads the catalogs: the planner, the safety
      // checks and the lock analysis's parser (its WebAssembly compiles meanwhile).
      const [from, to] = await loadResolvedSides(fromDb, toDb, () => {
        for (const module of [import('../../plan/index.js'), import('../../safety/index.js'), import('libpg-query')]) void module.catch(() => undefined);
      });
      warnOnEngineMismatch(from, to);
      const [{ annotateLocks, buildPlan }, { formatValidationReport, validatePlan }] = await Promise.all([import('../../plan/index.js'), import('../../safety/index.js')]);
      const built = againstSource(to.label, () => buildPlan(from.schema, to.schema, { online: opts.online }));
      // Locks for the version of the database the plan changes (when --from is one).
      const plan = await annotateLocks(built, { from: from.schema, ...(from.serverVersion ? { serverVersion: from.serverVersion } : {}) });
      if (opts.validate) {
        const report = formatValidationReport(validatePlan(plan, from.schema, to.schema), allowed);
        info(report.text);
        const preflightFailed = from.kind === 'database' && !opts.skipPreflight && (await preflight(from.url, plan, opts, allowed));
        if (report.blocked || preflightFailed) {
          process.exitCode = ExitCode.blocked;
          return;
        }
      }
      if (format === 'github') {
        const { planGithub } = await import('../plan-github.js');
        const locate = await (await lib()).sourceLocator(to.kind, to.label);
        out(planGithub(plan, validatePlan(plan, from.schema, to.schema), locate, allowed));
      } else {
        out(formatPlan(plan, format));
      }
      if (opts.check && plan.steps.length > 0) process.exitCode = ExitCode.pending;
    });
  addFilterOptions(command);
}

/** The data-aware preflight on the --from database, as apply runs it; true when a check fails. */
async function preflight(url: string, plan: Plan, opts: PlanOptions, allowed: HazardAllowance): Promise<boolean> {
  const timeout = parseDuration('--preflight-timeout', opts.preflightTimeout);
  const { connect, preflightPlan, formatPreflightReport } = await lib();
  const session = await connect(url);
  try {
    const report = await preflightPlan(session, plan, { timeout, allowed: allowed === 'all' ? new Set() : allowed });
    info(formatPreflightReport(report));
    return report.failed.length > 0;
  } finally {
    await session.close();
  }
}
