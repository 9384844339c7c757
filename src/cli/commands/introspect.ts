import type { Command } from 'commander';
import { addFilterOptions, choice, commandFilter, databaseFor, isSqliteCommand, useFilterFlags, type FilterOptionValues } from '../common.js';
import { introspectSqliteCommand } from '../sqlite.js';
import { out, warn } from '../output.js';

interface IntrospectOptions extends FilterOptionValues {
  db?: string;
  sourceEnvironment?: string;
  format: string;
}

export function registerIntrospect(program: Command): void {
  const command = program
    .command('introspect')
    .description('print the schema of a database as JSON or SQL DDL')
    .option('--db <url>', 'database URL (default: the environment\'s, else DATABASE_URL, else the embedded database)')
    .option('--source-environment <name>', 'lockplane.toml environment whose database to read (default: default_environment)')
    .option('--format <format>', 'json or sql', 'json')
    .action(async (opts: IntrospectOptions) => {
      const format = choice('--format', opts.format, ['json', 'sql'] as const);
      useFilterFlags(opts);
      const target = databaseFor({
        url: opts.db,
        urlFlag: '--db',
        environment: opts.sourceEnvironment,
        environmentFlag: '--source-environment',
      });
      if (isSqliteCommand([target])) return introspectSqliteCommand(target, format);
      // Only the modules reading needs, not the whole library: ~35 instead of ~230 (about 100 ms of start-up here).
      const [{ connect }, { introspect, unmodelledWarning }, { saveSchemaJson }] = await Promise.all([
        import('../../dialects/postgres/session.js'),
        import('../../dialects/postgres/introspect.js'),
        import('../../schema/json.js'),
      ]);
      const session = await connect(target.url);
      // A second connection to a server reads half of the catalog at the same time (~15% faster at 1,000 tables); without one, all on the first.
      const alongside = session.kind === 'server' ? await connect(target.url).catch(() => undefined) : undefined;
      try {
        const schema = await introspect(session, {
          ...commandFilter(target.environment),
          ...(alongside ? { alongside } : {}),
          onUnmodelled: (objects) => {
            const message = unmodelledWarning(objects);
            if (message) warn(message);
          },
        });
        out(format === 'json' ? saveSchemaJson(schema) : renderSql((await import('../../plan/ddl.js')).renderSchemaDdl(schema)));
      } finally {
        await Promise.all([session.close(), alongside?.close()]);
      }
    });
  addFilterOptions(command);
}

function renderSql(statements: string[]): string {
  return statements.length === 0 ? '-- empty schema\n' : `${statements.join(';\n\n')};\n`;
}
