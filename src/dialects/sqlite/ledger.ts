// The SQLite ledger: one table in the database itself (_lockplane_applies),
// whose rows have the fields of the Postgres ledger's ApplyRecord, so
// `history` and `status` read both the same way. An apply's row is written
// inside its transaction (`running`, then `applied` just before COMMIT), so
// the ledger and the schema never disagree; an apply that failed or was
// refused rolled everything back and is recorded afterwards, in a write of
// its own. A SQLite apply is one transaction: it never stops part-way, so
// there is never anything to resume.
import { hostname, userInfo } from 'node:os';
import { planHash, type ApplyRecord } from '../../apply/ledger.js';
import type { Plan } from '../../plan/types.js';
import { lockplaneVersion } from '../../version.js';
import { SQLITE_LEDGER_TABLE } from './ledger-name.js';
import { quoteIdent, quoteLiteral } from './quote.js';
import type { Row, SqliteQueries } from './session.js';

const LEDGER = quoteIdent(SQLITE_LEDGER_TABLE);
const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
/** New rows of PRAGMA foreign_key_check since the apply began: the ledger row refuses (CHECK) to be `applied` with any. */
export const FK_VIOLATIONS = '(SELECT count(*) FROM pragma_foreign_key_check)';

export const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS ${LEDGER} (
  id INTEGER PRIMARY KEY,
  plan_hash TEXT NOT NULL,
  source_hash TEXT,
  target_hash TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'applied', 'failed', 'refused')),
  steps_total INTEGER NOT NULL,
  steps_done INTEGER NOT NULL DEFAULT 0,
  failed_step INTEGER,
  error TEXT,
  started_at TEXT NOT NULL DEFAULT (${NOW}),
  finished_at TEXT,
  applied_by TEXT NOT NULL,
  host TEXT NOT NULL,
  lockplane_version TEXT NOT NULL,
  plan TEXT NOT NULL,
  new_fk_violations INTEGER NOT NULL DEFAULT 0 CHECK (new_fk_violations <= 0)
)`;

const text = (v: string | null | undefined): string => (v === undefined || v === null ? 'NULL' : quoteLiteral(v));

/** Creates the ledger table, or upgrades the first one (id, applied_at, steps, …: applies that all succeeded). */
export async function ensureLedger(db: SqliteQueries): Promise<void> {
  const columns = (await db.query(`SELECT name FROM pragma_table_info(${quoteLiteral(SQLITE_LEDGER_TABLE)})`)).map((r) => String(r.name));
  if (columns.length > 0 && !columns.includes('status')) {
    const old = quoteIdent(`${SQLITE_LEDGER_TABLE}_v0`);
    await db.exec(`ALTER TABLE ${LEDGER} RENAME TO ${old}`);
    await db.exec(LEDGER_DDL);
    await db.exec(
      `INSERT INTO ${LEDGER} (id, plan_hash, source_hash, target_hash, status, steps_total, steps_done, started_at, finished_at, applied_by, host, lockplane_version, plan)
       SELECT id, '', source_hash, target_hash, 'applied', steps, steps, applied_at, applied_at, 'unknown', 'unknown', 'unknown', plan FROM ${old}`,
    );
    await db.exec(`DROP TABLE ${old}`);
    return;
  }
  await db.exec(LEDGER_DDL);
}

function who(): { applied_by: string; host: string } {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return { applied_by: user, host: `${hostname()} pid ${process.pid}` };
}

/** The row of an apply starting now, as `status`; `RETURNING id` gives its id. */
export function insertApplySql(plan: Plan, status: 'running' | 'failed' | 'refused', failure?: { step?: number; error: string }): string {
  const { applied_by, host } = who();
  const done = status === 'running' ? 'NULL' : NOW;
  return (
    `INSERT INTO ${LEDGER} (plan_hash, source_hash, target_hash, status, steps_total, failed_step, error, finished_at, applied_by, host, lockplane_version, plan) VALUES (` +
    [text(planHash(plan)), text(plan.source_hash), text(plan.target_hash), text(status), String(plan.steps.length), failure?.step === undefined ? 'NULL' : String(failure.step), text(failure?.error), done, text(applied_by), text(host), text(lockplaneVersion()), text(JSON.stringify(plan))].join(', ') +
    ')'
  );
}

/** Closes the running row of the newest apply: `applied` with all its steps, refused by the CHECK when it left new foreign-key violations. */
export function closeApplySql(violationsBefore: number): string {
  return `UPDATE ${LEDGER} SET status = 'applied', steps_done = steps_total, finished_at = ${NOW}, new_fk_violations = ${FK_VIOLATIONS} - ${violationsBefore} WHERE id = (SELECT max(id) FROM ${LEDGER}) AND status = 'running'`;
}

export async function ledgerExists(db: SqliteQueries): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ${quoteLiteral(SQLITE_LEDGER_TABLE)}`)).length > 0;
}

const RECORD_COLUMNS = 'id, plan_hash, source_hash, target_hash, status, steps_total, steps_done, failed_step, error, started_at, finished_at, applied_by, host, lockplane_version';

/** The newest applies first, as the Postgres ledger lists them. */
export async function listSqliteApplies(db: SqliteQueries, limit: number): Promise<ApplyRecord[]> {
  if (!(await ledgerExists(db))) return [];
  const rows = await db.query(`SELECT ${RECORD_COLUMNS} FROM ${LEDGER} ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`);
  return rows.map(record);
}

/** The newest apply that was not refused, when it ran this plan. */
export async function latestApplyOfPlan(db: SqliteQueries, plan: Plan): Promise<ApplyRecord | null> {
  if (!(await ledgerExists(db))) return null;
  const [latest] = await db.query(`SELECT ${RECORD_COLUMNS} FROM ${LEDGER} WHERE status <> 'refused' ORDER BY id DESC LIMIT 1`);
  return latest && latest.plan_hash === planHash(plan) ? record(latest) : null;
}

function record(r: Row): ApplyRecord {
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  return {
    id: Number(r.id),
    plan_hash: String(r.plan_hash),
    source_hash: str(r.source_hash),
    target_hash: str(r.target_hash),
    status: String(r.status) as ApplyRecord['status'],
    steps_total: Number(r.steps_total),
    steps_done: Number(r.steps_done),
    first_step: 1,
    resumes: null,
    failed_step: num(r.failed_step),
    error: str(r.error),
    started_at: String(r.started_at),
    finished_at: str(r.finished_at),
    applied_by: String(r.applied_by),
    host: String(r.host),
    lockplane_version: String(r.lockplane_version),
  };
}
