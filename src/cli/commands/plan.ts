import type { Command } from 'commander';
import { ExitCode, InputError } from '../../errors.js';
import { addFilterOptions, againstSource, choice, configuredSchemaPath, lib, loadSideFor, parseAllowHazards, useFilterFlags, type FilterOptionValues } from '../common.js';
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
    .option('--output <format>', 'json, sql, text or markdown (a pull-request comment)', 'json')
    .option('--allow-hazards <codes>', 'with --validate: do not block on these hazard codes (comma-separated) or all')
    .option('--check', 'exit 4 when the plan has steps (changes pending), 0 when the two sides match: a CI gate')
    .action(async (opts: PlanOptions) => {
      const format = choice('--output', opts.output, PLAN_COMMAND_FORMATS);
      const allowed = parseAllowHazards(opts.allowHazards);
      useFilterFlags(opts);
      const toSpec = opts.to ?? (opts.toEnvironment === undefined ? configuredSchemaPath(opts.fromEnvironment, '--from-environment') : undefined);
      if (toSpec === undefined && opts.toEnvironment === undefined) {
        throw new InputError('plan: give --to SOURCE or --to-environment NAME (or set schema_path in lockplane.toml)');
      }
      const from = await loadSideFor({ url: opts.from, urlFlag: '--from', environment: opts.fromEnvironment, environmentFlag: '--from-environment' });
      const to = await loadSideFor({ url: toSpec, urlFlag: '--to', environment: opts.toEnvironment, environmentFlag: '--to-environment' });
      const { buildPlan, formatValidationReport, validatePlan } = await lib();
      const plan = againstSource(to.label, () => buildPlan(from.schema, to.schema));
      if (opts.validate) {
        const report = formatValidationReport(validatePlan(plan, from.schema, to.schema), allowed);
        info(report.text);
        if (report.blocked) {
          process.exitCode = ExitCode.blocked;
          return;
        }
      }
      out(formatPlan(plan, format));
      if (opts.check && plan.steps.length > 0) process.exitCode = ExitCode.pending;
    });
  addFilterOptions(command);
}
