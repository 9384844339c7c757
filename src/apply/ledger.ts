// The ledger: what Lockplane did to this database, kept in the database
// itself (schema `lockplane` unless configured otherwise; marked by its
// comment, so introspection never reads or diffs it whatever its name). A transactional
// step's row is written inside its transaction, so the ledger and the schema
// never disagree; a non-transactional step's row is committed as `running`
// before it starts and closed after, so a crash leaves it visible. Where the
// database is after each committed group is recorded — the catalog stamp,
// and the schema hash after the last group: a resume checks the database
// against it (see state.ts).
import { hostname, userInfo } from 'node:os';
import type { PgSession } from '../dialects/postgres/session.js';
import { quoteIdent, quoteLiteral } from '../dialects/postgres/quote.js';
import { InputError } from '../errors.js';
import { LEDGER_SCHEMA_COMMENT, ledgerSchemaProblem } from '../dialects/postgres/introspect/scope.js';
import { sha256, stableStringify } from '../schema/hash.js';
import { stepStatements, type Plan, type PlanStep } from '../plan/types.js';
import { lockplaneVersion } from '../version.js';
import type { SchemaState } from './state.js';

export const DEFAULT_LEDGER_SCHEMA = 'lockplane';
/** The ledger schema's comment: how introspection recognizes a ledger under any name. */
export const LEDGER_MARKER = LEDGER_SCHEMA_COMMENT;


export type ApplyStatus = 'running' | 'applied' | 'failed' | 'refused' | 'interrupted';
export type StepStatus = 'running' | 'applied' | 'failed';

export interface ApplyRecord {
  id: number;
  plan_hash: string;
  source_hash: string | null;
  target_hash: string | null;
  status: ApplyStatus;
  steps_total: number;
  /** Steps of the plan completed by this apply and the applies it resumed. */
  steps_done: number;
  /** 1-based: the first step this apply ran (greater than 1 when it resumed another). */
  first_step: number;
  /** The apply this one resumed. */
  resumes: number | null;
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

export interface OpenApplyOptions {
  /** 0-based first step this apply runs. */
  fromStep: number;
  /** The schema hash expected before that step. */
  startHash: string | null;
  resumes: number | null;
}

/** The ledger of one database, in the schema it is kept in. */
export class Ledger {
  private readonly S: string;

  constructor(
    readonly session: PgSession,
    readonly schema: string = DEFAULT_LEDGER_SCHEMA,
  ) {
    const problem = ledgerSchemaProblem(schema);
    if (problem) throw new InputError(`ledger schema: ${problem}`);
    this.S = quoteIdent(schema);
  }

  /** `schema.table`, quoted. */
  table(name: 'applies' | 'apply_steps'): string {
    return `${this.S}.${quoteIdent(name)}`;
  }

  /** Creates the ledger, or upgrades one made before resumable applies: one implicit transaction, so readers never see half of it. */
  async ensure(): Promise<void> {
    const { session, S } = this;
    await session.exec(`
      CREATE SCHEMA IF NOT EXISTS ${S};
      CREATE TABLE IF NOT EXISTS ${S}.applies (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        plan_hash text NOT NULL,
        source_hash text,
        target_hash text,
        status text NOT NULL CONSTRAINT applies_status_check CHECK (status IN ('running', 'applied', 'failed', 'refused', 'interrupted')),
        steps_total integer NOT NULL,
        first_step integer NOT NULL DEFAULT 1,
        start_hash text,
        resumes bigint REFERENCES ${S}.applies (id) ON DELETE SET NULL,
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
        transactional boolean NOT NULL DEFAULT true,
        status text NOT NULL DEFAULT 'applied' CHECK (status IN ('running', 'applied', 'failed')),
        error text,
        schema_hash text,
        started_at timestamptz NOT NULL,
        finished_at timestamptz DEFAULT clock_timestamp(),
        progress jsonb,
        PRIMARY KEY (apply_id, step)
      );
      DO $upgrade$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = '${S}.applies'::regclass AND attname = 'resumes' AND NOT attisdropped) THEN
          ALTER TABLE ${S}.applies
            DROP CONSTRAINT IF EXISTS applies_status_check,
            ADD CONSTRAINT applies_status_check CHECK (status IN ('running', 'applied', 'failed', 'refused', 'interrupted')),
            ADD COLUMN first_step integer NOT NULL DEFAULT 1,
            ADD COLUMN start_hash text,
            ADD COLUMN resumes bigint REFERENCES ${S}.applies (id) ON DELETE SET NULL;
          ALTER TABLE ${S}.apply_steps
            ALTER COLUMN finished_at DROP NOT NULL,
            ADD COLUMN transactional boolean NOT NULL DEFAULT true,
            ADD COLUMN status text NOT NULL DEFAULT 'applied' CHECK (status IN ('running', 'applied', 'failed')),
            ADD COLUMN error text,
            ADD COLUMN schema_hash text;
        END IF;
      END $upgrade$;
      ALTER TABLE ${S}.apply_steps ADD COLUMN IF NOT EXISTS progress jsonb;
      ALTER TABLE ${S}.apply_steps ADD COLUMN IF NOT EXISTS catalog_stamp text;`);
    // Commented only when it is not yet: COMMENT needs ownership, which a later applier may lack.
    const [marked] = await session.query<{ comment: string | null }>(
      `SELECT pg_catalog.obj_description(pg_catalog.to_regnamespace($1)::oid, 'pg_namespace') AS comment`,
      [this.schema],
    );
    if (marked?.comment !== LEDGER_MARKER) await session.exec(`COMMENT ON SCHEMA ${S} IS ${quoteLiteral(LEDGER_MARKER)}`);
  }

  async open(plan: Plan, options: OpenApplyOptions): Promise<number> {
    const { session, S } = this;
    const rows = await session.query<{ id: string | number }>(
      `INSERT INTO ${S}.applies (plan_hash, source_hash, target_hash, status, steps_total, first_step, start_hash, resumes, applied_by, host, lockplane_version)
       VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, $8 || ' (' || current_user || ')', $9, $10) RETURNING id`,
      [
        planHash(plan),
        plan.source_hash ?? null,
        plan.target_hash ?? null,
        plan.steps.length,
        options.fromStep + 1,
        options.startHash,
        options.resumes,
        osUser(),
        `${hostname()} pid ${process.pid}`,
        lockplaneVersion(),
      ],
    );
    return Number(rows[0]!.id);
  }

  /**
   * Under the apply lock nobody else is applying: a `running` apply is one
   * whose process died (or lost its connection) before it could close it.
   */
  async markInterrupted(): Promise<void> {
    const { session, S } = this;
    await session.query(
      `UPDATE ${S}.applies SET status = 'interrupted', finished_at = clock_timestamp(),
              error = coalesce(error, 'the process or its connection ended before the apply finished')
        WHERE status = 'running'`,
    );
  }

  /**
   * A non-transactional step, before it runs: committed at once, so a crash
   * leaves it `running` in the ledger. A retry after a lock timeout reopens
   * the same row (a backfill keeps its progress). `startStamp`: the catalog
   * stamp before the step without the index it drops (an online drop), to
   * recognize the drop as done if it completes unrecorded.
   */
  async recordStepStart(applyId: number, index: number, step: PlanStep, startedAt: Date, startStamp: string | null = null): Promise<void> {
    const { session, S } = this;
    await session.query(
      `INSERT INTO ${S}.apply_steps (apply_id, step, description, sql, transactional, status, started_at, finished_at, catalog_stamp)
       VALUES ($1, $2, $3, $4, false, 'running', $5, NULL, $6)
       ON CONFLICT (apply_id, step) DO UPDATE SET status = 'running', error = NULL, started_at = EXCLUDED.started_at, finished_at = NULL, catalog_stamp = EXCLUDED.catalog_stamp`,
      [applyId, index + 1, step.description, stepStatements(step).join(';\n'), startedAt.toISOString(), startStamp],
    );
  }

  /**
   * A completed step. Transactional: written inside the step's transaction, so
   * the step is recorded exactly when its DDL commits. Non-transactional: its
   * `running` row is closed once the statement has completed, with the
   * database's state after it in the same statement.
   */
  async recordStepDone(applyId: number, index: number, step: PlanStep, startedAt: Date, stateAfter: SchemaState | null): Promise<void> {
    const { session, S } = this;
    if (step.transactional === false) {
      await session.query(
        `UPDATE ${S}.apply_steps SET status = 'applied', finished_at = clock_timestamp(), schema_hash = $3, catalog_stamp = $4 WHERE apply_id = $1 AND step = $2`,
        [applyId, index + 1, ...stateColumns(stateAfter)],
      );
      return;
    }
    await session.query(
      `INSERT INTO ${S}.apply_steps (apply_id, step, description, sql, transactional, status, started_at) VALUES ($1, $2, $3, $4, true, 'applied', $5)`,
      [applyId, index + 1, step.description, stepStatements(step).join(';\n'), startedAt.toISOString()],
    );
  }

  /** The state after a committed group, on its last step: where a resume must find the database. */
  async recordGroupState(applyId: number, index: number, state: SchemaState): Promise<void> {
    const { session, S } = this;
    await session.query(`UPDATE ${S}.apply_steps SET schema_hash = $3, catalog_stamp = $4 WHERE apply_id = $1 AND step = $2`, [
      applyId,
      index + 1,
      ...stateColumns(state),
    ]);
  }

  /** After the step's transaction rolled back (or a non-transactional step failed): durable. */
  async recordStepFailed(applyId: number, index: number, step: PlanStep, error: string): Promise<void> {
    const { session, S } = this;
    await session.query(
      `INSERT INTO ${S}.apply_steps (apply_id, step, description, sql, transactional, status, error, started_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, 'failed', $6, clock_timestamp(), clock_timestamp())
       ON CONFLICT (apply_id, step) DO UPDATE SET status = 'failed', error = EXCLUDED.error, finished_at = EXCLUDED.finished_at`,
      [applyId, index + 1, step.description, stepStatements(step).join(';\n'), step.transactional !== false, error],
    );
  }

  async close(
    applyId: number,
    outcome: { status: 'applied' } | { status: 'failed' | 'refused'; failedStep: number | null; error: string },
  ): Promise<void> {
    const { session, S } = this;
    const failedStep = outcome.status === 'applied' ? null : outcome.failedStep;
    const error = outcome.status === 'applied' ? null : outcome.error;
    await session.query(
      `UPDATE ${S}.applies SET status = $2, failed_step = $3, error = $4, finished_at = clock_timestamp() WHERE id = $1`,
      [applyId, outcome.status, failedStep, error],
    );
  }

  /** True when the database has a ledger of the current layout (an older one is upgraded by the next apply). */
  async exists(): Promise<boolean> {
    const { session, S } = this;
    const rows = await session.query<{ present: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'resumes' AND NOT attisdropped) AS present`,
      [`${S}.applies`],
    );
    return rows[0]?.present === true;
  }

  async list(limit: number): Promise<ApplyRecord[]> {
    const { session, S } = this;
    if (!(await this.exists())) return [];
    const rows = await session.query<Record<string, unknown>>(
      `SELECT a.id, a.plan_hash, a.source_hash, a.target_hash, a.status, a.steps_total, a.first_step, a.resumes,
              a.first_step - 1 + (SELECT count(*) FROM ${S}.apply_steps s WHERE s.apply_id = a.id AND s.status = 'applied') AS steps_done,
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
      first_step: Number(r.first_step),
      resumes: r.resumes === null ? null : Number(r.resumes),
      failed_step: r.failed_step === null ? null : Number(r.failed_step),
      error: (r.error as string | null) ?? null,
      started_at: timestamp(r.started_at),
      finished_at: r.finished_at === null ? null : timestamp(r.finished_at),
      applied_by: String(r.applied_by),
      host: String(r.host),
      lockplane_version: String(r.lockplane_version),
    }));
  }

  /** A backfill's progress: the last key its committed batches reached (call inside the batch's transaction). */
  async recordBackfillProgress(applyId: number, index: number, lastKey: unknown[], rowsDone: number): Promise<void> {
    await this.session.query(
      `UPDATE ${this.table('apply_steps')} SET progress = jsonb_build_object('last_key', $3::jsonb, 'rows', $4::bigint) WHERE apply_id = $1 AND step = $2`,
      [applyId, index + 1, JSON.stringify(lastKey), rowsDone],
    );
  }

  /** Where the backfill of step `index` (0-based) of an apply stopped, if it recorded any batch. */
  async backfillProgress(applyId: number, index: number): Promise<unknown[] | null> {
    const [row] = await this.session.query<{ last_key: unknown[] | null }>(
      `SELECT progress -> 'last_key' AS last_key FROM ${this.table('apply_steps')} WHERE apply_id = $1 AND step = $2`,
      [applyId, index + 1],
    );
    return Array.isArray(row?.last_key) ? row.last_key : null;
  }

  /** The ledger's row for one step (1-based) of an apply, if it has one. */
  async stepRecord(applyId: number, step: number): Promise<StepRecord | null> {
    const rows = await this.session.query<StepRecord>(
      `SELECT step, description, status, transactional, error FROM ${this.table('apply_steps')} WHERE apply_id = $1 AND step = $2`,
      [applyId, step],
    );
    return rows[0] ?? null;
  }
}

/** `schema_hash`, `catalog_stamp`: one of them set. */
function stateColumns(state: SchemaState | null): [string | null, string | null] {
  if (state === null) return [null, null];
  return 'stamp' in state ? [null, state.stamp] : [state.hash, null];
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

export interface StepRecord {
  step: number;
  description: string;
  status: StepStatus;
  transactional: boolean;
  error: string | null;
}

