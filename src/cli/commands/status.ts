import type { Command } from 'commander';
import type { ApplyRecord, Ledger } from '../../index.js';
import { addFilterOptions, choice, commandFilter, isSqliteCommand, LEDGER_SCHEMA_OPTION, ledgerSchemaFor, lib, loadSourceFor, targetFor, useFilterFlags, type FilterOptionValues } from '../common.js';
import { statusSqliteCommand } from '../sqlite.js';
import { json, out } from '../output.js';
import { applyLine } from './history.js';

interface StatusOptions extends FilterOptionValues {
  db?: string;
  targetEnvironment?: string;
  schema?: string;
  format: string;
  ledgerSchema?: string;
}

interface Unfinished {
  apply_id: number;
  steps_done: number;
  steps_total: number;
  /** 1-based: the step a re-run of the same plan resumes at. */
  resume_at: number;
  /** The non-transactional step a dead apply was running (null otherwise: a transaction leaves no trace). */
  stopped_in: string | null;
  reason: string;
}

export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description('show whether the target matches a desired schema, and its last and unfinished applies')
    .option('--db <url>', 'database URL (default: the environment\'s DATABASE_URL, else the embedded database)')
    .option('--target-environment <name>', 'the lockplane.toml environment whose database to read')
    .option('--schema <source>', 'the desired schema to compare with')
    .option('--format <format>', 'text or json', 'text')
    .option(...LEDGER_SCHEMA_OPTION)
    .action(async (opts: StatusOptions) => {
      const format = choice('--format', opts.format, ['text', 'json'] as const);
      useFilterFlags(opts);
      const target = targetFor(opts.db, opts.targetEnvironment);
      if (isSqliteCommand([target])) return statusSqliteCommand(target, opts.schema, format);
      const ledgerSchema = ledgerSchemaFor(opts.ledgerSchema, target);
      const { connect, introspect, Ledger: LedgerOf, buildPlan, applyLockFree, seedFromSession } = await lib();
      const session = await connect(target.url);
      try {
        const ledger = new LedgerOf(session, ledgerSchema);
        const applies = await ledger.list(20);
        const last = applies[0] ?? null;
        const latest = applies.find((a) => a.status !== 'refused') ?? null;
        // A `running` row with nobody holding the apply lock is an apply whose process died.
        const runningNow = latest?.status === 'running' && !(await applyLockFree(session));
        const unfinished = latest && !runningNow ? await unfinishedApply(ledger, latest) : null;
        let pending: string[] | null = null;
        if (opts.schema) {
          const filter = commandFilter(target.environment);
          const desired = await loadSourceFor(opts.schema, { filter, seedFrom: seedFromSession(session, filter) }, [target.url]);
          pending = buildPlan(await introspect(session, filter), desired.schema).steps.map((s) => s.description);
        }
        printStatus(format, { target: session.description, schema: opts.schema, pending, last, runningNow, latest, unfinished });
      } finally {
        await session.close();
      }
    });
  addFilterOptions(command);
}

export interface StatusReport {
  target: string;
  /** The desired schema compared with (--schema), and the changes still to make (null without it). */
  schema?: string;
  pending: string[] | null;
  last: ApplyRecord | null;
  /** The latest apply that was not refused, and whether it is running now. */
  latest: ApplyRecord | null;
  runningNow: boolean;
  unfinished: Unfinished | null;
}

export function printStatus(format: 'text' | 'json', r: StatusReport): void {
  const { pending, last, latest, unfinished } = r;
  if (format === 'json') {
    out(json({ target: r.target, in_sync: pending === null ? null : pending.length === 0, pending, last_apply: last, running: r.runningNow, unfinished }));
    return;
  }
  const lines = [`Target: ${r.target}`];
  lines.push(last ? `Last apply: ${applyLine(last)}` : 'Last apply: none recorded');
  if (r.runningNow && latest) lines.push(`Apply #${latest.id} is running now (${latest.steps_done}/${latest.steps_total} steps done).`);
  if (unfinished) lines.push(unfinishedText(unfinished));
  if (pending !== null) {
    lines.push(pending.length === 0 ? `In sync with ${r.schema}.` : `${pending.length} change(s) pending to reach ${r.schema}:`);
    for (const p of pending) lines.push(`  - ${p}`);
  }
  out(lines.join('\n'));
}

/** The latest apply, when it stopped part-way (or died): where a re-run of its plan resumes. */
async function unfinishedApply(ledger: Ledger, latest: ApplyRecord): Promise<Unfinished | null> {
  if (latest.status === 'applied' || latest.status === 'refused') return null;
  const resumeAt = latest.steps_done + 1;
  const row = await ledger.stepRecord(latest.id, latest.failed_step ?? resumeAt);
  // A failed apply's error names its step (`step 5 (…) failed: …`).
  const reason = latest.status === 'failed' ? (latest.error ?? 'it failed') : 'its process or connection ended before it finished';
  // Rolled back before anything committed and nothing left over: nothing to resume.
  if (latest.status === 'failed' && latest.steps_done === 0 && (!row || row.transactional)) return null;
  const stoppedIn = latest.status === 'failed' ? null : (row?.description ?? null);
  return { apply_id: latest.id, steps_done: latest.steps_done, steps_total: latest.steps_total, resume_at: resumeAt, stopped_in: stoppedIn, reason };
}

function unfinishedText(u: Unfinished): string {
  const done = u.steps_done === 0 ? 'no step committed (the database is as before it)' : `steps 1-${u.steps_done} of ${u.steps_total} committed`;
  const where = u.stopped_in ? `; it was interrupted in step ${u.resume_at} (${u.stopped_in})` : '';
  return (
    `Unfinished apply #${u.apply_id}: ${u.reason}; ${done}${where}.\n` +
    `  Run the same plan again (lockplane apply PLAN) to resume at step ${u.resume_at}: finished steps are not run again.`
  );
}
