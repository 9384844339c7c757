import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { choice, lib, loadSourceFor, parseAllowHazards, targetFor } from '../common.js';
import { formatPlan, PLAN_FORMATS } from '../plan-output.js';
import { info, out } from '../output.js';

interface PlanOptions {
  from?: string;
  to: string;
  validate?: boolean;
  output: string;
  allowHazards?: string;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('plan the SQL steps that take one schema to another (each side: JSON file, SQL file or directory, or database URL)')
    .option('--from <source>', 'the schema as it is (default: DATABASE_URL, else the embedded database)')
    .requiredOption('--to <source>', 'the schema as it should be')
    .option('--validate', 'check every step for safety and reversibility; report to stderr; exit 3 when blocked')
    .option('--output <format>', 'json, sql or text', 'json')
    .option('--allow-hazards <codes>', 'with --validate: do not block on these hazard codes (comma-separated) or all')
    .action(async (opts: PlanOptions) => {
      const format = choice('--output', opts.output, PLAN_FORMATS);
      const allowed = parseAllowHazards(opts.allowHazards);
      const from = await loadSourceFor(opts.from ?? targetFor(undefined).url);
      const to = await loadSourceFor(opts.to);
      const { buildPlan, formatValidationReport, validatePlan } = await lib();
      const plan = buildPlan(from.schema, to.schema);
      if (opts.validate) {
        const report = formatValidationReport(validatePlan(plan, from.schema, to.schema), allowed);
        info(report.text);
        if (report.blocked) {
          process.exitCode = ExitCode.blocked;
          return;
        }
      }
      out(formatPlan(plan, format));
    });
}
