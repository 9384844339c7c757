// Runs a plan on a database in one transaction. The source-hash check runs
// inside that transaction, right before the first step, so the plan only
// runs on the state it was made for.
import { BlockedError, LockplaneError } from '../errors.js';
import { introspect } from '../dialects/postgres/introspect.js';
import { errorText, type PgSession } from '../dialects/postgres/session.js';
import type { SchemaFilter } from '../schema/filter.js';
import { schemaHash } from '../schema/hash.js';
import { stepStatements, type Plan, type PlanStep } from '../plan/types.js';

export interface ExecuteOptions {
  /** Refuse unless the database's canonical hash equals this (checked inside the transaction). */
  expectedSourceHash?: string;
  /** The namespaces the hash covers (lockplane.toml `schemas`); all user namespaces when absent. */
  schemas?: string[];
  /** What else the hash leaves out (exclude_schemas, presets, globs): the same filter the plan was made with. */
  filter?: SchemaFilter;
  onStep?: (index: number, step: PlanStep) => void;
  /** Runs inside the transaction after each step (the ledger writes here). */
  afterStep?: (index: number, step: PlanStep, startedAt: Date) => Promise<void>;
  /** Runs inside the transaction right before COMMIT. */
  beforeCommit?: () => Promise<void>;
  /** Session settings for this transaction only (SET LOCAL), e.g. lock_timeout. */
  settings?: Record<string, string>;
}

export interface ExecuteResult {
  stepsApplied: number;
}

export class StepFailedError extends LockplaneError {
  constructor(
    readonly stepIndex: number,
    readonly step: PlanStep,
    cause: unknown,
  ) {
    super(`step ${stepIndex + 1} (${step.description}) failed: ${errorText(cause)}`, 1, { cause });
    this.name = 'StepFailedError';
  }
}

export async function executePlan(session: PgSession, plan: Plan, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const nonTransactional = plan.steps.findIndex((s) => s.transactional === false);
  if (nonTransactional >= 0) {
    throw new LockplaneError(`step ${nonTransactional + 1} cannot run in a transaction; this version applies plans in one transaction only`);
  }
  await session.exec('BEGIN');
  try {
    for (const [name, value] of Object.entries(options.settings ?? {})) {
      await session.query('SELECT set_config($1, $2, true)', [name, value]);
    }
    if (options.expectedSourceHash) await checkSourceHash(session, options.expectedSourceHash, { ...options.filter, ...(options.schemas ? { schemas: options.schemas } : {}) });
    for (const [index, step] of plan.steps.entries()) {
      options.onStep?.(index, step);
      const startedAt = new Date();
      for (const sql of stepStatements(step)) {
        try {
          await session.exec(sql);
        } catch (error) {
          throw new StepFailedError(index, step, error);
        }
      }
      await options.afterStep?.(index, step, startedAt);
    }
    await options.beforeCommit?.();
    await session.exec('COMMIT');
    return { stepsApplied: plan.steps.length };
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function checkSourceHash(session: PgSession, expected: string, scope: SchemaFilter): Promise<void> {
  const current = await introspect(session, scope);
  const actual = schemaHash(current);
  if (actual === expected) return;
  throw new BlockedError(
    `the database changed since the plan was made (source hash ${expected.slice(0, 12)}…, database ${actual.slice(0, 12)}…); make a new plan`,
  );
}
