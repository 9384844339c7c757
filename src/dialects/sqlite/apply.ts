// Applying a plan to a SQLite database: foreign keys off, then one
// BEGIN IMMEDIATE transaction that checks the source hash, runs every step,
// runs PRAGMA foreign_key_check, checks the result against the plan's target
// hash and records the apply in the ledger table — then COMMIT, and foreign
// keys back as they were. Anything failing rolls everything back: a plan is
// applied whole or not at all. A concurrent writer makes BEGIN IMMEDIATE wait
// the busy timeout, then fail cleanly.
import { BlockedError, LockplaneError } from '../../errors.js';
import type { Plan, PlanStep } from '../../plan/types.js';
import { stepStatements } from '../../plan/types.js';
import { sqliteSchemaHash } from './hash.js';
import { introspectSqlite } from './introspect.js';
import { SQLITE_LEDGER_TABLE } from './ledger-name.js';
import { quoteIdent } from './quote.js';
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
  onStep?: (index: number, step: PlanStep) => void;
  onStepDone?: (index: number, step: PlanStep, ms: number) => void;
}

export interface SqliteApplyResult {
  applyId: number;
  stepsApplied: number;
}

const LEDGER = quoteIdent(SQLITE_LEDGER_TABLE);

export async function applySqlitePlan(db: SqliteSession, plan: Plan, options: SqliteApplyOptions = {}): Promise<SqliteApplyResult> {
  const foreignKeys = Number((await db.query('PRAGMA foreign_keys'))[0]?.foreign_keys ?? 0) === 1;
  await db.exec('PRAGMA foreign_keys = OFF');
  try {
    return await db.transaction((tx) => applyInTransaction(tx, plan, options));
  } catch (error) {
    if (isBusy(error)) {
      throw new LockplaneError(`${db.description}: another connection is writing to the database (SQLITE_BUSY after waiting); nothing was applied, try again`, 1, { cause: error });
    }
    throw error;
  } finally {
    await db.exec(`PRAGMA foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}

async function applyInTransaction(tx: SqliteQueries, plan: Plan, options: SqliteApplyOptions): Promise<SqliteApplyResult> {
  await tx.exec(
    `CREATE TABLE IF NOT EXISTS ${LEDGER} (id INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, source_hash TEXT, target_hash TEXT, steps INTEGER NOT NULL, plan TEXT NOT NULL)`,
  );
  if (options.expectedSourceHash) {
    const actual = sqliteSchemaHash(await introspectSqlite(tx));
    if (actual !== options.expectedSourceHash) throw new BlockedError('the target is not in the state this plan was made for (source_hash differs); make a new plan');
  }
  const violationsBefore = await foreignKeyViolations(tx);
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
  const violations = await foreignKeyViolations(tx);
  if (violations > violationsBefore) {
    throw new BlockedError(`the plan leaves ${violations - violationsBefore} row(s) violating foreign keys (PRAGMA foreign_key_check); nothing was applied`);
  }
  if (plan.target_hash) {
    const after = sqliteSchemaHash(await introspectSqlite(tx));
    if (after !== plan.target_hash) throw new BlockedError('the plan did not produce the schema it was made for (target_hash differs); nothing was applied');
  }
  const rows = await tx.query(`INSERT INTO ${LEDGER} (source_hash, target_hash, steps, plan) VALUES (?, ?, ?, ?) RETURNING id`, [
    plan.source_hash ?? null,
    plan.target_hash ?? null,
    plan.steps.length,
    JSON.stringify(plan),
  ]);
  return { applyId: Number(rows[0]!.id), stepsApplied: plan.steps.length };
}

async function foreignKeyViolations(tx: SqliteQueries): Promise<number> {
  return (await tx.query('PRAGMA foreign_key_check')).length;
}
