// Applying a plan to a SQLite database: foreign keys off, then one
// transaction that opens the apply's ledger row, runs every step, counts
// PRAGMA foreign_key_check rows and closes the row — which refuses (CHECK) to
// be `applied` when the steps left new foreign-key violations — then COMMIT,
// and foreign keys back as they were. Anything failing rolls everything back:
// a plan is applied whole or not at all; the failure is then recorded in the
// ledger in a write of its own (ledger.ts).
//
// Files and :memory: run it in BEGIN IMMEDIATE with the source hash checked
// inside and the target hash checked before COMMIT; a concurrent writer makes
// BEGIN wait the busy timeout, then fail cleanly. Remote libSQL turns foreign
// keys off only on the stream of client.migrate(), so there the source hash is
// checked just before, and the target hash just after, that one batch.
import { BlockedError, LockplaneError } from '../../errors.js';
import type { Plan, PlanStep } from '../../plan/types.js';
import { stepStatements } from '../../plan/types.js';
import { sqliteSchemaHash } from './hash.js';
import { introspectSqlite } from './introspect.js';
import { SQLITE_LEDGER_TABLE } from './ledger-name.js';
import { quoteIdent } from './quote.js';
import { closeApplySql, ensureLedger, FK_VIOLATIONS, insertApplySql, LEDGER_DDL } from './ledger.js';
import { isBusy, sqliteErrorText, type SqliteQueries, type SqliteSession } from './session.js';

export class SqliteStepFailedError extends LockplaneError {
  constructor(
    readonly stepIndex: number,
    readonly step: PlanStep,
    cause: unknown,
  ) {
    super(`step ${stepIndex + 1} (${step.description}) failed: ${sqliteErrorText(cause)}; nothing was applied`, 1, { cause });
    this.name = 'SqliteStepFailedError';
  }
}

export interface SqliteApplyOptions {
  /** Refuse unless the database hashes to this before the first step. */
  expectedSourceHash?: string;
  /** The apply's ledger row is open (inside the transaction): its id. */
  onStart?: (applyId: number) => void;
  onStep?: (index: number, step: PlanStep) => void;
  onStepDone?: (index: number, step: PlanStep, ms: number) => void;
}

export interface SqliteApplyResult {
  applyId: number;
  stepsApplied: number;
}

class SourceDriftError extends BlockedError {}

export async function applySqlitePlan(db: SqliteSession, plan: Plan, options: SqliteApplyOptions = {}): Promise<SqliteApplyResult> {
  try {
    return db.location.remote ? await applyRemote(db, plan, options) : await applyLocal(db, plan, options);
  } catch (error) {
    const failure = explained(db, error);
    // A busy database cannot take the failure's row either: nothing is written.
    if (!isBusy(error)) await recordFailure(db, plan, failure);
    throw failure;
  }
}

function explained(db: SqliteSession, error: unknown): unknown {
  if (/new_fk_violations/.test(sqliteErrorText(error))) {
    return new BlockedError('the plan leaves rows violating foreign keys (PRAGMA foreign_key_check); nothing was applied');
  }
  if (isBusy(error)) {
    return new LockplaneError(`${db.description}: another connection is writing to the database (SQLITE_BUSY after waiting); nothing was applied, try again`, 1, { cause: error });
  }
  return error;
}

/** After the rollback: the refused or failed apply, in the ledger (best effort: the error that stopped it is what matters). */
async function recordFailure(db: SqliteSession, plan: Plan, failure: unknown): Promise<void> {
  const error = failure instanceof Error ? failure.message : String(failure);
  const step = failure instanceof SqliteStepFailedError ? failure.stepIndex + 1 : undefined;
  const status = failure instanceof SourceDriftError ? 'refused' : 'failed';
  try {
    await ensureLedger(db);
    await db.exec(insertApplySql(plan, status, { ...(step === undefined ? {} : { step }), error }));
  } catch {
    // the database refuses writes now (read-only, gone): the error above is reported anyway
  }
}

async function checkSource(db: SqliteQueries, options: SqliteApplyOptions): Promise<void> {
  if (!options.expectedSourceHash) return;
  if (sqliteSchemaHash(await introspectSqlite(db)) !== options.expectedSourceHash) {
    throw new SourceDriftError('the target is not in the state this plan was made for (source_hash differs); make a new plan');
  }
}

async function checkTarget(db: SqliteQueries, plan: Plan, applied: string): Promise<void> {
  if (plan.target_hash && sqliteSchemaHash(await introspectSqlite(db)) !== plan.target_hash) {
    throw new BlockedError(`the plan did not produce the schema it was made for (target_hash differs); ${applied}`);
  }
}

async function violations(db: SqliteQueries): Promise<number> {
  return Number((await db.query(`SELECT ${FK_VIOLATIONS} AS n`))[0]!.n);
}

async function applyLocal(db: SqliteSession, plan: Plan, options: SqliteApplyOptions): Promise<SqliteApplyResult> {
  const foreignKeys = Number((await db.query('PRAGMA foreign_keys'))[0]?.foreign_keys ?? 0) === 1;
  await db.exec('PRAGMA foreign_keys = OFF');
  try {
    return await db.transaction(async (tx) => {
      await ensureLedger(tx);
      await checkSource(tx, options);
      const before = await violations(tx);
      const applyId = Number((await tx.query(`${insertApplySql(plan, 'running')} RETURNING id`))[0]!.id);
      options.onStart?.(applyId);
      for (const [index, step] of plan.steps.entries()) {
        options.onStep?.(index, step);
        const started = Date.now();
        for (const sql of stepStatements(step)) {
          try {
            await tx.exec(sql);
          } catch (error) {
            if (isBusy(error)) throw error;
            throw new SqliteStepFailedError(index, step, error);
          }
        }
        options.onStepDone?.(index, step, Date.now() - started);
      }
      await tx.exec(closeApplySql(before));
      await checkTarget(tx, plan, 'nothing was applied');
      return { applyId, stepsApplied: plan.steps.length };
    });
  } finally {
    await db.exec(`PRAGMA foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}

async function applyRemote(db: SqliteSession, plan: Plan, options: SqliteApplyOptions): Promise<SqliteApplyResult> {
  await ensureLedger(db);
  await checkSource(db, options);
  const before = await violations(db);
  const next = Number((await db.query(`SELECT coalesce(max(id), 0) + 1 AS id FROM ${quoteIdent(SQLITE_LEDGER_TABLE)}`))[0]!.id);
  options.onStart?.(next);
  const statements = plan.steps.flatMap((s) => stepStatements(s));
  plan.steps.forEach((s, i) => options.onStep?.(i, s));
  try {
    await db.runWithoutForeignKeys([LEDGER_DDL, insertApplySql(plan, 'running'), ...statements, closeApplySql(before)]);
  } catch (error) {
    if (/new_fk_violations/.test(sqliteErrorText(error))) throw error;
    throw new LockplaneError(`the plan failed on ${db.description}: ${sqliteErrorText(error)}; nothing was applied`, 1, { cause: error });
  }
  await checkTarget(db, plan, 'the steps were applied: make a new plan from the database as it is');
  return { applyId: next, stepsApplied: plan.steps.length };
}
