// Runs a plan on a database as groups: consecutive transactional steps in
// one transaction, each non-transactional step (CREATE INDEX CONCURRENTLY,
// …) alone, outside any transaction. The source-hash check runs once, right
// before the first step — inside the first transaction when there is one —
// so the plan only runs on the state it was made for.
import { BlockedError, LockplaneError } from '../errors.js';
import { introspect } from '../dialects/postgres/introspect.js';
import { errorText, type PgSession } from '../dialects/postgres/session.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import { schemaHash } from '../schema/hash.js';
import { stepStatements, type Plan, type PlanStep } from '../plan/types.js';
import { stepGroups, type StepGroup } from './groups.js';
import type { SchemaFilter } from '../schema/filter.js';

export interface ExecuteHooks {
  onStep?: (index: number, step: PlanStep) => void;
  /** Before a step's SQL: inside its transaction, or (non-transactional) in autocommit, so it is durable. */
  beforeStep?: (index: number, step: PlanStep) => Promise<void>;
  /** After a step's SQL: inside its transaction, or (non-transactional) once it has completed. */
  afterStep?: (index: number, step: PlanStep, startedAt: Date) => Promise<void>;
  /** After a group's last step: inside its transaction right before COMMIT, or after a non-transactional step. */
  afterGroup?: (group: StepGroup, last: boolean) => Promise<void>;
  /** After a group committed (or its non-transactional step completed). */
  onGroupDone?: (group: StepGroup) => Promise<void>;
  /** After a step failed and its transaction (if any) was rolled back. */
  onFailure?: (index: number, step: PlanStep, error: unknown) => Promise<void>;
}

export interface ExecuteOptions extends ExecuteHooks {
  /** Refuse unless the database's canonical hash equals this (checked right before the first step). */
  expectedSourceHash?: string;
  /** The namespaces the hash covers (lockplane.toml `schemas`); all user namespaces when absent. */
  schemas?: string[];
  /** What else the hash leaves out (exclude_schemas, presets, globs): the same filter the plan was made with. */
  filter?: SchemaFilter;
  /** The first step to run (0-based); the steps before it are already done (resume). */
  fromStep?: number;
  /** Session settings for each step, e.g. lock_timeout: SET LOCAL in a transaction, SET then RESET outside one. */
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
  const groups = stepGroups(plan.steps, options.fromStep ?? 0);
  let hashChecked = !options.expectedSourceHash;
  let applied = 0;
  for (const [n, group] of groups.entries()) {
    const checkHash = hashChecked ? undefined : () => checkSourceHash(session, options.expectedSourceHash!, hashScope(options));
    hashChecked = true;
    const run: GroupRun = { session, plan, group, last: n === groups.length - 1, options, checkHash };
    await (group.transactional ? runTransaction(run) : runAlone(run));
    applied += group.end - group.start;
  }
  if (!hashChecked) await checkSourceHash(session, options.expectedSourceHash!, hashScope(options));
  return { stepsApplied: applied };
}

/** One group to run: `last` when no group follows; `checkHash` when the source hash is checked before it. */
interface GroupRun {
  session: PgSession;
  plan: Plan;
  group: StepGroup;
  last: boolean;
  options: ExecuteOptions;
  checkHash: (() => Promise<void>) | undefined;
}

async function runTransaction({ session, plan, group, last, options, checkHash }: GroupRun): Promise<void> {
  let failed: { index: number; error: unknown } | undefined;
  await session.exec('BEGIN');
  try {
    for (const [name, value] of Object.entries(options.settings ?? {})) {
      await session.query('SELECT set_config($1, $2, true)', [name, value]);
    }
    await checkHash?.();
    for (let index = group.start; index < group.end; index++) {
      const step = plan.steps[index]!;
      await runStep(session, index, step, options, (error) => (failed = { index, error }));
    }
    await options.afterGroup?.(group, last);
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => undefined);
    if (failed) await options.onFailure?.(failed.index, plan.steps[failed.index]!, failed.error).catch(() => undefined);
    throw error;
  }
  await options.onGroupDone?.(group);
}

async function runAlone({ session, plan, group, last, options, checkHash }: GroupRun): Promise<void> {
  await checkHash?.();
  const index = group.start;
  const step = plan.steps[index]!;
  const settings = Object.entries(options.settings ?? {});
  try {
    for (const [name, value] of settings) await session.query('SELECT set_config($1, $2, false)', [name, value]);
    await runStep(session, index, step, options, () => undefined);
  } catch (error) {
    // A ledger that cannot be written (the connection is gone) must not hide the step's own error.
    if (error instanceof StepFailedError) await options.onFailure?.(index, step, error.cause).catch(() => undefined);
    throw error;
  } finally {
    for (const [name] of settings) await session.exec(`RESET ${quoteIdent(name)}`).catch(() => undefined);
  }
  await options.afterGroup?.(group, last);
  await options.onGroupDone?.(group);
}

async function runStep(
  session: PgSession,
  index: number,
  step: PlanStep,
  hooks: ExecuteHooks,
  noteFailure: (error: unknown) => void,
): Promise<void> {
  hooks.onStep?.(index, step);
  const startedAt = new Date();
  await hooks.beforeStep?.(index, step);
  for (const sql of stepStatements(step)) {
    try {
      await session.exec(sql);
    } catch (error) {
      noteFailure(error);
      throw new StepFailedError(index, step, error);
    }
  }
  await hooks.afterStep?.(index, step, startedAt);
}

export async function checkSourceHash(session: PgSession, expected: string, scope: SchemaFilter): Promise<void> {
  const actual = await currentHash(session, scope);
  if (actual === expected) return;
  throw new BlockedError(
    `the database changed since the plan was made (source hash ${expected.slice(0, 12)}…, database ${actual.slice(0, 12)}…); make a new plan`,
  );
}

/** What the hash of a target covers: its `schemas` and its filter. */
export function hashScope(options: { schemas?: string[]; filter?: SchemaFilter }): SchemaFilter {
  return { ...options.filter, ...(options.schemas ? { schemas: options.schemas } : {}) };
}

export async function currentHash(session: PgSession, scope: SchemaFilter): Promise<string> {
  return schemaHash(await introspect(session, scope));
}
