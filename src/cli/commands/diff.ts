import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { addFilterOptions, againstSource, databaseFor, isSqliteCommand, loadResolvedSides, useFilterFlags, type FilterOptionValues } from '../common.js';
import { diffSqliteCommand } from '../sqlite.js';
import { json, out } from '../output.js';

interface DiffOptions extends FilterOptionValues {
  fromEnvironment?: string;
  toEnvironment?: string;
}

export function registerDiff(program: Command): void {
  const command = program
    .command('diff')
    .description('print the differences between two schemas as JSON (each side: JSON file, SQL file or directory, or database URL)')
    .argument('[from]', 'the schema as it is')
    .argument('[to]', 'the schema as it should be')
    .option('--from-environment <name>', 'instead of FROM: the database of this lockplane.toml environment')
    .option('--to-environment <name>', 'instead of TO: the database of this lockplane.toml environment')
    .action(async (first: string | undefined, second: string | undefined, opts: DiffOptions) => {
      useFilterFlags(opts);
      // Positional arguments fill the sides that no --*-environment flag names, in order.
      const positional = [first, second].filter((s): s is string => s !== undefined);
      const fromSpec = opts.fromEnvironment === undefined ? positional.shift() : undefined;
      const toSpec = opts.toEnvironment === undefined ? positional.shift() : undefined;
      if (positional.length > 0) throw new InputError(`diff: too many arguments (${positional.join(', ')}) with --from-environment/--to-environment`);
      if (fromSpec === undefined && opts.fromEnvironment === undefined) throw new InputError('diff: give FROM (or --from-environment) and TO (or --to-environment)');
      if (toSpec === undefined && opts.toEnvironment === undefined) throw new InputError('diff: give TO (or --to-environment)');
      const fromDb = databaseFor({ url: fromSpec, urlFlag: 'FROM', environment: opts.fromEnvironment, environmentFlag: '--from-environment' });
      const toDb = databaseFor({ url: toSpec, urlFlag: 'TO', environment: opts.toEnvironment, environmentFlag: '--to-environment' });
      if (isSqliteCommand([fromDb, toDb])) return diffSqliteCommand(fromDb, toDb);
      // The differ loads while the server reads the catalogs.
      const [from, to] = await loadResolvedSides(fromDb, toDb, () => void import('../../diff/index.js').catch(() => undefined));
      const { diffSchemas } = await import('../../diff/index.js');
      const changes = againstSource(to.label, () => diffSchemas(from.schema, to.schema));
      out(json({ from: from.label, to: to.label, changes }));
    });
  addFilterOptions(command);
}
