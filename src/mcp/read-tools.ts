// introspect and validate_schema: the CLI commands themselves, run in this
// process, their JSON output returned as the result.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { formatReport, type ValidationReport } from '../schema/validate.js';
import { runCommand } from './command.js';
import { toolResult, errorResult } from './result.js';
import { captured } from './stdio.js';

const flag = (name: string, value: string | undefined): string[] => (value === undefined ? [] : [name, value]);

export function registerReadTools(server: McpServer): void {
  server.registerTool(
    'introspect',
    {
      title: 'Introspect a database',
      description:
        'Read the schema of a database (tables, columns, indexes, constraints, views, functions, policies, …) as Lockplane schema JSON, or as SQL DDL. ' +
        'Give a database URL (postgres://…, pglite://DIR) or the name of a lockplane.toml environment; with neither, the configured default is used. Read-only.',
      inputSchema: {
        database: z.string().optional().describe('database URL, e.g. postgres://user@host/db or pglite://./.lockplane/pglite'),
        environment: z.string().optional().describe('lockplane.toml environment whose database to read'),
        format: z.enum(['json', 'sql']).default('json').describe('json (Lockplane schema JSON) or sql (DDL)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ database, environment, format }) => {
      const run = await captured(() => runCommand(['introspect', '--format', format, ...flag('--db', database), ...flag('--source-environment', environment)]));
      if (run.error !== undefined || run.value !== 0) return run.error !== undefined ? errorResult(run) : toolResult(`introspect failed (exit ${run.value})`, { log: run.stderr, isError: true });
      return toolResult(run.stdout, { log: run.stderr, ...(format === 'json' ? { structured: { schema: JSON.parse(run.stdout) as unknown } } : {}) });
    },
  );

  server.registerTool(
    'validate_schema',
    {
      title: 'Validate a schema source',
      description:
        'Check a desired-schema source and list every problem with its location: a schema JSON file (against the published JSON Schema), ' +
        'or a .sql file or directory (parsed by the real Postgres parser and loaded into a scratch database). Read-only.',
      inputSchema: { path: z.string().describe('schema JSON file, or .sql file or directory, relative to the project directory') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ path }) => {
      const run = await captured(() => runCommand(['validate', 'schema', path, '--format', 'json']));
      if (run.error !== undefined) return errorResult(run);
      if (!run.stdout.trim()) return toolResult(`validate_schema failed (exit ${run.value})`, { log: run.stderr, isError: true });
      const report = JSON.parse(run.stdout) as ValidationReport;
      const count = `${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`;
      const summary = report.valid ? `${path} is valid.` : `${path} is invalid (${count}):\n${formatReport(report).map((line) => `- ${line}`).join('\n')}`;
      return toolResult(summary, { structured: report as unknown as Record<string, unknown>, log: run.stderr });
    },
  );
}
