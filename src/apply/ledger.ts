// The ledger: what Lockplane did to this database, kept in the database
// itself (schema `lockplane`, never introspected or diffed). Step rows are
// written inside the apply's transaction, so the ledger and the schema can
// never disagree; the apply row is opened before and closed after.
import { hostname, userInfo } from 'node:os';
import type { PgSession } from '../dialects/postgres/session.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import { sha256, stableStringify } from '../schema/hash.js';
import { stepStatements, type Plan, type PlanStep } from '../plan/types.js';
import { lockplaneVersion } from '../version.js';

export const LEDGER_SCHEMA = 'lockplane';
const S = quoteIdent(LEDGER_SCHEMA);

export type ApplyStatus = 'running' | 'applied' | 'failed' | 'refused';

export interface ApplyRecord {
  id: number;
  plan_hash: string;
  source_hash: string | null;
  target_hash: string | null;
  status: ApplyStatus;
  steps_total: number;
  steps_done: number;
  failed_step: number | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  applied_by: string;
  host: string;
  lockplane_version: string;
}

export function planHash(plan: Plan): string {
  return sha256(stableStringify(plan.steps.map((s) => stepStatements(s))));
}

export async function ensureLedger(session: PgSession): Promise<void> {
  await session.exec(`
    CREATE SCHEMA IF NOT EXISTS ${S};
    CREATE TABLE IF NOT EXISTS ${S}.applies (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      plan_hash text NOT NULL,
      source_hash text,
      target_hash text,
      status text NOT NULL CHECK (status IN ('running', 'applied', 'failed', 'refused')),
      steps_total integer NOT NULL,
      failed_step integer,
      error text,
      started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      finished_at timestamptz,
      applied_by text NOT NULL,
      host text NOT NULL,
      lockplane_version text NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${S}.apply_steps (
      apply_id bigint NOT NULL REFERENCES ${S}.applies (id) ON DELETE CASCADE,
      step integer NOT NULL,
      description text NOT NULL,
      sql text NOT NULL,
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      PRIMARY KEY (apply_id, step)
    );`);
}

export async function openApply(session: PgSession, plan: Plan): Promise<number> {
  const rows = await session.query<{ id: string | number }>(
    `INSERT INTO ${S}.applies (plan_hash, source_hash, target_hash, status, steps_total, applied_by, host, lockplane_version)
     VALUES ($1, $2, $3, 'running', $4, $5 || ' (' || current_user || ')', $6, $7) RETURNING id`,
    [planHash(plan), plan.source_hash ?? null, plan.target_hash ?? null, plan.steps.length, osUser(), `${hostname()} pid ${process.pid}`, lockplaneVersion()],
  );
  return Number(rows[0]!.id);
}

/** Inside the apply's transaction: the step is done exactly when its DDL commits. */
export async function recordStep(session: PgSession, applyId: number, index: number, step: PlanStep, startedAt: Date): Promise<void> {
  await session.query(
    `INSERT INTO ${S}.apply_steps (apply_id, step, description, sql, started_at) VALUES ($1, $2, $3, $4, $5)`,
    [applyId, index + 1, step.description, stepStatements(step).join(';\n'), startedAt.toISOString()],
  );
}

export async function closeApply(
  session: PgSession,
  applyId: number,
  outcome: { status: 'applied' } | { status: 'failed' | 'refused'; failedStep: number | null; error: string },
): Promise<void> {
  const failedStep = outcome.status === 'applied' ? null : outcome.failedStep;
  const error = outcome.status === 'applied' ? null : outcome.error;
  await session.query(
    `UPDATE ${S}.applies SET status = $2, failed_step = $3, error = $4, finished_at = clock_timestamp() WHERE id = $1`,
    [applyId, outcome.status, failedStep, error],
  );
}

export async function listApplies(session: PgSession, limit: number): Promise<ApplyRecord[]> {
  const exists = await session.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `${S}.applies`,
  ]);
  if (!exists[0]?.present) return [];
  const rows = await session.query<Record<string, unknown>>(
    `SELECT a.id, a.plan_hash, a.source_hash, a.target_hash, a.status, a.steps_total,
            (SELECT count(*) FROM ${S}.apply_steps s WHERE s.apply_id = a.id) AS steps_done,
            a.failed_step, a.error, a.started_at, a.finished_at, a.applied_by, a.host, a.lockplane_version
       FROM ${S}.applies a ORDER BY a.id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    plan_hash: String(r.plan_hash),
    source_hash: (r.source_hash as string | null) ?? null,
    target_hash: (r.target_hash as string | null) ?? null,
    status: r.status as ApplyStatus,
    steps_total: Number(r.steps_total),
    steps_done: Number(r.steps_done),
    failed_step: r.failed_step === null ? null : Number(r.failed_step),
    error: (r.error as string | null) ?? null,
    started_at: timestamp(r.started_at),
    finished_at: r.finished_at === null ? null : timestamp(r.finished_at),
    applied_by: String(r.applied_by),
    host: String(r.host),
    lockplane_version: String(r.lockplane_version),
  }));
}

function timestamp(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
