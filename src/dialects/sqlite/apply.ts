// Applying a plan to a SQLite database: foreign keys off, then one
// transaction that runs every step, counts PRAGMA foreign_key_check rows and
// records the apply in the ledger table — whose row refuses (CHECK) to be
// written when the steps left new foreign-key violations — then COMMIT, and
// foreign keys back as they were. Anything failing rolls everything back: a
// plan is applied whole or not at all.
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
import { quoteIdent, quoteLiteral } from './quote.js';
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
const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS ${LEDGER} (
  id INTEGER PRIMARY KEY,
  applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  source_hash TEXT,
  target_hash TEXT,
  steps INTEGER NOT NULL,
  plan TEXT NOT NULL,
  new_fk_violations INTEGER NOT NULL CHECK (new_fk_violations <= 0)
)`;
const FK_VIOLATIONS = '(SELECT count(*) FROM pragma_foreign_key_check)';

export async function applySqlitePlan(db: SqliteSession, plan: Plan, options: SqliteApplyOptions = {}): Promise<SqliteApplyResult> {
  try {
    return db.location.remote ? await applyRemote(db, plan, options) : await applyLocal(db, plan, options);
  } catch (error) {
    if (/new_fk_violations/.test(sqliteErrorText(error))) {
      throw new BlockedError('the plan leaves rows violating foreign keys (PRAGMA foreign_key_check); nothing was applied');
    }
    if (isBusy(error)) {
      throw new LockplaneError(`${db.description}: another connection is writing to the database (SQLITE_BUSY after waiting); nothing was applied, try again`, 1, { cause: error });
    }
    throw error;
  }
}

function ledgerInsert(plan: Plan, violationsBefore: number): string {
  const text = (v: string | undefined): string => (v === undefined ? 'NULL' : quoteLiteral(v));
  return `INSERT INTO ${LEDGER} (source_hash, target_hash, steps, plan, new_fk_violations) VALUES (${text(plan.source_hash)}, ${text(plan.target_hash)}, ${plan.steps.length}, ${quoteLiteral(JSON.stringify(plan))}, ${FK_VIOLATIONS} - ${violationsBefore})`;
}

async function checkSource(db: SqliteQueries, options: SqliteApplyOptions): Promise<void> {
  if (!options.expectedSourceHash) return;
  if (sqliteSchemaHash(await introspectSqlite(db)) !== options.expectedSourceHash) {
    throw new BlockedError('the target is not in the state this plan was made for (source_hash differs); make a new plan');
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
      await tx.exec(LEDGER_DDL);
      await checkSource(tx, options);
      const before = await violations(tx);
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
      const id = await tx.query(`${ledgerInsert(plan, before)} RETURNING id`);
      await checkTarget(tx, plan, 'nothing was applied');
      return { applyId: Number(id[0]!.id), stepsApplied: plan.steps.length };
    });
  } finally {
    await db.exec(`PRAGMA foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}

async function applyRemote(db: SqliteSession, plan: Plan, options: SqliteApplyOptions): Promise<SqliteApplyResult> {
  await checkSource(db, options);
  const before = await violations(db);
  const statements = plan.steps.flatMap((s) => stepStatements(s));
  plan.steps.forEach((s, i) => options.onStep?.(i, s));
  try {
    await db.runWithoutForeignKeys([LEDGER_DDL, ...statements, ledgerInsert(plan, before)]);
  } catch (error) {
    if (/new_fk_violations/.test(sqliteErrorText(error))) throw error;
    throw new LockplaneError(`the plan failed on ${db.description}: ${sqliteErrorText(error)}; nothing was applied`, 1, { cause: error });
  }
  await checkTarget(db, plan, 'the steps were applied: make a new plan from the database as it is');
  const id = await db.query(`SELECT max(id) AS id FROM ${LEDGER}`);
  return { applyId: Number(id[0]!.id), stepsApplied: plan.steps.length };
}
