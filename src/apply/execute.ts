// Runs a plan on a database as groups: consecutive transactional steps in
// one transaction, each non-transactional step (CREATE INDEX CONCURRENTLY,
// …) alone, outside any transaction. The source-hash check runs once, right
// before the first step — inside the first transaction when there is one —
// so the plan only runs on the state it was made for. A read inside a
// transaction releases the locks of reading view definitions as it goes
// (introspect's inTransaction), so it does not add them to the plan's own.
import { BlockedError, LockplaneError } from '../errors.js';
import { introspect } from '../dialects/postgres/introspect.js';
import { catalogStamp } from '../dialects/postgres/catalog-stamp.js';
import { errorText, type PgSession } from '../dialects/postgres/session.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import { schemaHash } from '../schema/hash.js';
import { driftSummary, fingerprintDrift, objectFingerprints, type Fingerprints } from '../schema/fingerprint.js';
import type { Schema } from '../schema/types.js';
import { stepStatements, type Backfill, type Plan, type PlanStep } from '../plan/types.js';
import { runBackfill, type BackfillProgress } from './backfill.js';
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
  /** How backfill steps run: batch size, pause, where to resume, and what to do after each batch. */
  backfill?: BackfillHooks;
}

export interface BackfillHooks {
  batchSize?: number;
  pauseMs?: number;
  /** The last key an earlier, interrupted run of step `index` committed. */
  resumeAfter?: (index: number) => Promise<unknown[] | null>;
  /** Inside each batch's transaction. */
  onBatch?: (index: number, lastKey: unknown[], rowsDone: number) => Promise<void>;
  onProgress?: (index: number, progress: BackfillProgress) => void;
}

export interface ExecuteOptions extends ExecuteHooks {
  /** Refuse unless the database's canonical hash equals this (checked right before the first step). */
  expectedSourceHash?: string;
  /** Instead of the hash: refuse unless the database's catalog stamp equals this (a retry or a resume, after a group recorded it). */
  expectedStamp?: string;
  /** The source's per-object fingerprints: when the hash differs, the error names what changed. */
  expectedSourceObjects?: Fingerprints;
  /** The namespaces the hash covers (lockplane.toml `schemas`); all user namespaces when absent. */
  schemas?: string[];
  /** What else the hash leaves out (exclude_schemas, presets, globs): the same filter the plan was made with. */
  filter?: SchemaFilter;
  /** The first step to run (0-based); the steps before it are already done (resume). */
  fromStep?: number;
  /** Session settings for each step, e.g. lock_timeout: SET LOCAL in a transaction, SET then RESET outside one. */
  settings?: Record<string, string>;
  /** Settings of one step (0-based index) on top of `settings`, e.g. its statement_timeout. */
  stepSettings?: (index: number) => Record<string, string>;
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
  let hashChecked = !options.expectedSourceHash && !options.expectedStamp;
  let applied = 0;
  for (const [n, group] of groups.entries()) {
    const checkHash = hashChecked ? undefined : () => checkSourceHash(session, options, group.transactional);
    hashChecked = true;
    const run: GroupRun = { session, plan, group, last: n === groups.length - 1, options, checkHash };
    await (group.transactional ? runTransaction(run) : runAlone(run));
    applied += group.end - group.start;
  }
  if (!hashChecked) await checkSourceHash(session, options);
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
      for (const [name, value] of Object.entries(options.stepSettings?.(index) ?? {})) {
        await session.query('SELECT set_config($1, $2, true)', [name, value]);
      }
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
  const settings = Object.entries({ ...options.settings, ...options.stepSettings?.(index) });
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
  if (step.backfill && step.transactional === false) {
    try {
      await backfillStep(session, index, step.backfill, hooks.backfill ?? {});
    } catch (error) {
      noteFailure(error);
      throw new StepFailedError(index, step, error);
    }
    await hooks.afterStep?.(index, step, startedAt);
    return;
  }
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

async function backfillStep(session: PgSession, index: number, backfill: Backfill, hooks: BackfillHooks): Promise<void> {
  const { onBatch, onProgress } = hooks;
  await runBackfill(session, backfill, {
    ...(hooks.batchSize ? { batchSize: hooks.batchSize } : {}),
    ...(hooks.pauseMs ? { pauseMs: hooks.pauseMs } : {}),
    resumeAfter: (await hooks.resumeAfter?.(index)) ?? null,
    ...(onBatch ? { onBatch: (lastKey: unknown[], rows: number) => onBatch(index, lastKey, rows) } : {}),
    ...(onProgress ? { onProgress: (progress: BackfillProgress) => onProgress(index, progress) } : {}),
  });
}

/** `inTransaction`: the session is in a transaction block (see introspect's option of that name). */
export async function checkSourceHash(
  session: PgSession,
  options: Pick<ExecuteOptions, 'expectedSourceHash' | 'expectedStamp' | 'expectedSourceObjects' | 'schemas' | 'filter'>,
  inTransaction = false,
): Promise<void> {
  if (options.expectedStamp) {
    const stamp = await catalogStamp(session, hashScope(options));
    if (stamp === options.expectedStamp) return;
    throw new BlockedError(
      `the database's schema changed while this apply was running (catalog stamp ${options.expectedStamp.slice(0, 12)}…, now ${stamp.slice(0, 12)}…): something else changed it; make a new plan`,
    );
  }
  const expected = options.expectedSourceHash!;
  const schema = await introspect(session, { ...hashScope(options), inTransaction });
  const actual = schemaHash(schema);
  if (actual === expected) return;
  throw new BlockedError(`the database changed since the plan was made: ${sourceDrift(expected, actual, schema, options.expectedSourceObjects)}; make a new plan`);
}

/** What differs from the schema a plan was made for: the objects, when the plan recorded them; else the two hashes. */
export function sourceDrift(expectedHash: string, actualHash: string, actual: Schema, expectedObjects: Fingerprints | undefined): string {
  const drift = expectedObjects ? fingerprintDrift(expectedObjects, objectFingerprints(actual)) : [];
  if (drift.length > 0) return driftSummary(drift);
  return `source hash ${expectedHash.slice(0, 12)}…, database ${actualHash.slice(0, 12)}…`;
}

/** What the hash of a target covers: its `schemas` and its filter. */
export function hashScope(options: { schemas?: string[]; filter?: SchemaFilter }): SchemaFilter {
  return { ...options.filter, ...(options.schemas ? { schemas: options.schemas } : {}) };
}

export async function currentHash(session: PgSession, scope: SchemaFilter, inTransaction = false): Promise<string> {
  return schemaHash(await introspect(session, { ...scope, inTransaction }));
}
