import type { Command } from 'commander';
import { lib, loadSourceFor } from '../common.js';
import { json, out } from '../output.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description('print the differences between two schemas as JSON (each side: JSON file, SQL file or directory, or database URL)')
    .argument('<from>', 'the schema as it is')
    .argument('<to>', 'the schema as it should be')
    .action(async (fromSpec: string, toSpec: string) => {
      const from = await loadSourceFor(fromSpec);
      const to = await loadSourceFor(toSpec);
      const { diffSchemas } = await lib();
      const changes = diffSchemas(from.schema, to.schema);
      out(json({ from: from.label, to: to.label, changes }));
    });
}
