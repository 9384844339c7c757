import type { Command } from 'commander';
import { addFilterOptions, choice, commandFilter, lib, loadSourceFor, targetFor, useFilterFlags, type FilterOptionValues } from '../common.js';
import { json, out } from '../output.js';
import { applyLine } from './history.js';

interface StatusOptions extends FilterOptionValues {
  db?: string;
  targetEnvironment?: string;
  schema?: string;
  format: string;
}

export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description('show whether the target matches a desired schema, and its last and unfinished applies')
    .option('--db <url>', 'database URL (default: the environment\'s DATABASE_URL, else the embedded database)')
    .option('--target-environment <name>', 'the lockplane.toml environment whose database to read')
    .option('--schema <source>', 'the desired schema to compare with')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: StatusOptions) => {
      const format = choice('--format', opts.format, ['text', 'json'] as const);
      useFilterFlags(opts);
      const target = targetFor(opts.db, opts.targetEnvironment);
      const { connect, introspect, listApplies, buildPlan, applyLockFree, seedFromSession } = await lib();
      const session = await connect(target.url);
      try {
        const applies = await listApplies(session, 1);
        const last = applies[0] ?? null;
        // A `running` row with nobody holding the apply lock is an apply whose process died.
        const interrupted = last?.status === 'running' && (await applyLockFree(session));
        let pending: string[] | null = null;
        if (opts.schema) {
          const filter = commandFilter(target.environment);
          const desired = await loadSourceFor(opts.schema, { filter, seedFrom: seedFromSession(session, filter) }, [target.url]);
          pending = buildPlan(await introspect(session, filter), desired.schema).steps.map((s) => s.description);
        }
        if (format === 'json') {
          out(json({ target: session.description, in_sync: pending === null ? null : pending.length === 0, pending, last_apply: last, interrupted }));
          return;
        }
        const lines = [`Target: ${session.description}`];
        lines.push(last ? `Last apply: ${applyLine(last)}` : 'Last apply: none recorded');
        if (last?.status === 'running') {
          lines.push(
            interrupted
              ? `Unfinished apply #${last.id}: its process is gone; its transaction was rolled back, so the database is as before it. Run apply again.`
              : `Apply #${last.id} is running now.`,
          );
        }
        if (pending !== null) {
          lines.push(pending.length === 0 ? `In sync with ${opts.schema}.` : `${pending.length} change(s) pending to reach ${opts.schema}:`);
          for (const p of pending) lines.push(`  - ${p}`);
        }
        out(lines.join('\n'));
      } finally {
        await session.close();
      }
    });
  addFilterOptions(command);
}
