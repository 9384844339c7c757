import type { Command } from 'commander';
import { ExitCode, InputError } from '../../errors.js';
import type { ValidationReport } from '../../index.js';
import { choice, isSqliteCommand, lib, loadSourceFor } from '../common.js';
import { loadSqliteSide } from '../sqlite.js';
import { info, json, out } from '../output.js';

export function registerValidate(program: Command): void {
  const validate = program.command('validate').description('check a schema or plan file and list every problem');
  validate
    .command('schema')
    .description('validate a schema: JSON against schema-json/schema.json, or SQL files by parsing and loading them')
    .argument('<file>', 'schema JSON file, or .sql file or directory')
    .option('--format <format>', 'text or json', 'text')
    .action(async (file: string, opts: { format: string }) => {
      const format = choice('--format', opts.format, ['text', 'json'] as const);
      const { isSqlSourcePath, validateSchemaFile, formatReport } = await lib();
      const report = isSqlSourcePath(file) ? await validateSqlSchema(file) : validateSchemaFile(file);
      print(report, format, 'Schema', formatReport);
    });
  validate
    .command('plan')
    .description('validate a plan JSON file against schema-json/plan.json')
    .argument('<file>', 'plan JSON file')
    .option('--format <format>', 'text or json', 'text')
    .action(async (file: string, opts: { format: string }) => {
      const format = choice('--format', opts.format, ['text', 'json'] as const);
      const { validatePlanFile, formatReport } = await lib();
      print(validatePlanFile(file), format, 'Plan', formatReport);
    });
  validate.exitOverride();
  for (const command of validate.commands) command.exitOverride();
}

async function validateSqlSchema(file: string): Promise<ValidationReport> {
  try {
    if (isSqliteCommand([])) await loadSqliteSide({ url: file });
    else await loadSourceFor(file);
    return { file, valid: true, problems: [] };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { file, valid: false, problems: [{ path: '', message: error.message }] };
  }
}

function print(
  report: ValidationReport,
  format: 'text' | 'json',
  what: string,
  formatReport: (report: ValidationReport) => string[],
): void {
  if (format === 'json') {
    out(json(report));
  } else if (report.valid) {
    info(`✓ ${what} ${report.file} is valid`);
  } else {
    info(`✗ ${what} ${report.file} is invalid (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}):`);
    for (const line of formatReport(report)) info(`  ${line}`);
  }
  if (!report.valid) process.exitCode = ExitCode.badInput;
}
