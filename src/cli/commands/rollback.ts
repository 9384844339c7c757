import type { Command } from 'commander';
import { addFilterOptions, choice, databaseFor, isSqliteCommand, lib, loadResolvedSide, normalizeOptions, useFilterFlags, type FilterOptionValues } from '../common.js';
import { rollbackSqliteCommand } from '../sqlite.js';
import { formatPlan, PLAN_FORMATS } from '../plan-output.js';
import { out } from '../output.js';

interface RollbackOptions extends FilterOptionValues {
  plan: string;
  from?: string;
  fromEnvironment?: string;
  output: string;
}

export function registerRollback(program: Command): void {
  for (const name of ['rollback', 'plan-rollback']) {
    const command = program
      .command(name)
      .description('write the plan that reverses a forward plan (computed from its structured changes, last in first out)')
      .requiredOption('--plan <file>', 'the forward plan JSON')
      .option('--from <source>', 'the schema the forward plan starts from (JSON file, SQL file or directory, or database URL; default: the environment\'s database)')
      .option('--from-environment <name>', 'lockplane.toml environment whose database the forward plan starts from')
      .option('--output <format>', 'json, sql or text', 'json')
      .action(async (opts: RollbackOptions) => {
        const format = choice('--output', opts.output, PLAN_FORMATS);
        useFilterFlags(opts);
        const { loadPlanJson, reversePlan } = await lib();
        const forward = loadPlanJson(opts.plan);
        const beforeDb = databaseFor({ url: opts.from, urlFlag: '--from', environment: opts.fromEnvironment, environmentFlag: '--from-environment' });
        if (forward.dialect === 'sqlite' || isSqliteCommand([beforeDb])) return rollbackSqliteCommand(forward, beforeDb, format);
        const before = await loadResolvedSide(beforeDb);
        out(formatPlan(await reversePlan(forward, before.schema, normalizeOptions()), format));
      });
    addFilterOptions(command);
  }
}
