import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { lib } from '../common.js';
import { out } from '../output.js';

interface AlembicOptions {
  plan: string;
  rollback?: string;
  message: string;
  dir: string;
}

export function registerExport(program: Command): void {
  const exporter = program.command('export').description('write a plan as another tool\'s migration');
  exporter
    .command('alembic')
    .description('write an Alembic revision: upgrade() runs the plan, downgrade() its rollback; chained to the current head')
    .requiredOption('--plan <file>', 'the plan JSON')
    .option('--rollback <file>', 'the rollback plan JSON for downgrade() (default: each step\'s reverse, when every step has one)')
    .requiredOption('--message <text>', 'the revision message')
    .option('--dir <directory>', 'the Alembic versions directory', 'alembic/versions')
    .action(async (opts: AlembicOptions) => {
      if (!existsSync(opts.dir) || !statSync(opts.dir).isDirectory()) {
        throw new InputError(`--dir ${opts.dir}: no such directory (the versions directory of an Alembic project)`);
      }
      const { alembicHead, loadPlanJson, newRevisionId, renderAlembicRevision, revisionFileName } = await lib();
      const plan = loadPlanJson(opts.plan);
      if (plan.dialect === 'sqlite') throw new InputError(`${opts.plan}: a SQLite plan; export alembic is Postgres-only (apply SQLite plans with lockplane apply)`);
      const rollback = opts.rollback === undefined ? undefined : loadPlanJson(opts.rollback);
      const downRevision = alembicHead(opts.dir);
      const revision = newRevisionId();
      const path = join(opts.dir, revisionFileName(revision, opts.message));
      const text = renderAlembicRevision({ message: opts.message, revision, downRevision, createDate: new Date(), plan, ...(rollback ? { rollback } : {}) });
      writeFileSync(path, text, { flag: 'wx' });
      out(path);
    });
  for (const command of exporter.commands) command.exitOverride();
}
