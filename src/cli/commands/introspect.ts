import type { Command } from 'commander';
import { choice, lib, targetFor } from '../common.js';
import { out } from '../output.js';

export function registerIntrospect(program: Command): void {
  program
    .command('introspect')
    .description('print the schema of a database as JSON or SQL DDL')
    .option('--db <url>', 'database URL (default: DATABASE_URL, else the embedded database)')
    .option('--format <format>', 'json or sql', 'json')
    .action(async (opts: { db?: string; format: string }) => {
      const format = choice('--format', opts.format, ['json', 'sql'] as const);
      const target = targetFor(opts.db);
      const { connect, introspect, renderSchemaDdl, saveSchemaJson } = await lib();
      const session = await connect(target.url);
      try {
        const schema = await introspect(session);
        out(format === 'json' ? saveSchemaJson(schema) : renderSql(renderSchemaDdl(schema)));
      } finally {
        await session.close();
      }
    });
}

function renderSql(statements: string[]): string {
  return statements.length === 0 ? '-- empty schema\n' : `${statements.join(';\n\n')};\n`;
}
