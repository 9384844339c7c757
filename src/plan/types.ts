// The plan: ordered SQL steps, each explained, classified and reversible.
// `steps[].description` and `sql` keep the original Lockplane format valid.
import type { Change } from '../diff/changes.js';
import type { Fingerprints } from '../schema/fingerprint.js';
import type { LockEffect, LockMode } from '../dialects/postgres/locks.js';
import type { Dialect } from '../schema/types.js';

export const PLAN_FORMAT_VERSION = 1;

export interface ReverseStep {
  description: string;
  sql: string[];
}

/**
 * An UPDATE that apply runs in batches by primary key, each batch its own
 * transaction, recording its progress in the ledger (see apply/backfill.ts).
 * The step's `sql` holds the same UPDATE as one statement, for readers and
 * for tools that run it whole.
 */
export interface Backfill {
  table: { schema: string; name: string };
  /** The primary-key columns the batches walk, in order. */
  key: string[];
  /** The SET list, e.g. `"status" = 'new'`. */
  set: string;
  /** The rows that need it, e.g. `"status" IS NULL`. */
  where: string;
}

/** A lock a step takes on one relation, and what the step does to it meanwhile. */
export interface StepLock {
  /** `schema.name` of the table (or view, materialized view, index); `*`: unknown. */
  table: string;
  mode: LockMode;
  effect: LockEffect;
  /** What takes the lock, e.g. `ALTER COLUMN TYPE`, `CREATE INDEX`. */
  operation: string;
  /** Created earlier in the plan (or by this step): it holds no rows, nothing waits. */
  new?: boolean;
  /** Lock hazard codes (LP110–LP129) for this table. */
  hazards?: string[];
}

export interface PlanStep {
  description: string;
  /** One statement as a string (original format), several as an array. */
  sql: string | string[];
  /** Stable hazard codes (e.g. LP202) that apply to this step. */
  hazards?: string[];
  /** False for statements Postgres refuses inside a transaction block, and for backfills. */
  transactional?: boolean;
  /** Present on a batched backfill (then `transactional` is false). */
  backfill?: Backfill;
  /** `own`: runs in a transaction of its own, not shared with the steps around it (VALIDATE CONSTRAINT after ADD … NOT VALID). */
  transaction?: 'own';
  reverse?: ReverseStep;
  /** The locks the step takes, per table (see annotateLocks). */
  locks?: StepLock[];
  /** The structured change this step performs; rollback inverts it. */
  change?: Change;
}

export interface Plan {
  $schema?: string;
  format_version?: number;
  dialect?: Dialect;
  /** Canonical hash of the schema the plan starts from. */
  source_hash?: string;
  /** Canonical hash of the schema the plan produces. */
  target_hash?: string;
  /** server_version_num the lock analysis assumed (the target's when it was live). */
  lock_analysis_version?: number;
  steps: PlanStep[];
  /** A short hash per object of the source schema: a refused apply names the objects that changed. */
  source_objects?: Fingerprints;
}

export function stepStatements(step: Pick<PlanStep, 'sql'>): string[] {
  return Array.isArray(step.sql) ? step.sql : [step.sql];
}
