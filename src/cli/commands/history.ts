import type { Command } from 'commander';
import type { ApplyRecord } from '../../index.js';
import { choice, isSqliteCommand, LEDGER_SCHEMA_OPTION, ledgerSchemaFor, lib, targetFor } from '../common.js';
import { historySqliteCommand } from '../sqlite.js';
import { json, out } from '../output.js';

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description("list the applies recorded in the target's ledger, newest first")
    .option('--db <url>', 'database URL (default: the environment\'s DATABASE_URL, else the embedded database)')
    .option('--target-environment <name>', 'the lockplane.toml environment whose database to read')
    .option('--limit <n>', 'how many to show', '20')
    .option('--format <format>', 'text or json', 'text')
    .option(...LEDGER_SCHEMA_OPTION)
    .action(async (opts: { db?: string; targetEnvironment?: string; limit: string; format: string; ledgerSchema?: string }) => {
      const format = choice('--format', opts.format, ['text', 'json'] as const);
      const limit = Math.max(1, Number.parseInt(opts.limit, 10) || 20);
      const target = targetFor(opts.db, opts.targetEnvironment);
      if (isSqliteCommand([target])) return historySqliteCommand(target, limit, format);
      const ledgerSchema = ledgerSchemaFor(opts.ledgerSchema, target);
      const { connect, Ledger } = await lib();
      const session = await connect(target.url);
      try {
        const applies = await new Ledger(session, ledgerSchema).list(limit);
        out(format === 'json' ? json(applies) : historyText(applies));
      } finally {
        await session.close();
      }
    });
}

export function applyLine(a: ApplyRecord): string {
  const steps = `${a.steps_done}/${a.steps_total} steps`;
  const failure = a.status === 'failed' || a.status === 'refused' ? ` — ${a.failed_step ? `step ${a.failed_step}: ` : ''}${a.error ?? ''}` : '';
  return `#${a.id}  ${a.started_at}  ${a.status.padEnd(7)}  ${steps}  by ${a.applied_by} on ${a.host}  plan ${a.plan_hash.slice(0, 12)}${failure}`;
}

export function historyText(applies: ApplyRecord[]): string {
  if (applies.length === 0) return 'No applies recorded in this database.';
  return applies.map(applyLine).join('\n');
}
