import type { Command } from 'commander';
import { introspect } from '../../dialects/postgres/introspect.js';
import { renderSchemaDdl } from '../../dialects/postgres/render.js';
import { connect } from '../../dialects/postgres/session.js';
import { saveSchemaJson } from '../../schema/json.js';
import { choice, targetFor } from '../common.js';
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
