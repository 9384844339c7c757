// Applying a plan to the real target: under the advisory lock, with the
// source hash checked before the first step, consecutive transactional steps
// in one transaction and non-transactional ones alone, lock and statement
// timeouts, bounded retries on lock timeouts, every step in the ledger, and
// resumption of an unfinished apply of the same plan.
import { BlockedError } from '../errors.js';
import { errorText, type PgSession } from '../dialects/postgres/session.js';
import type { Plan, PlanStep } from '../plan/types.js';
import { checkSourceHash, currentHash, executePlan, hashScope, StepFailedError, type ExecuteResult } from './execute.js';
import { preflightPlan, PreflightFailedError, type PreflightOptions, type PreflightReport } from '../safety/preflight.js';
import type { SchemaFilter } from '../schema/filter.js';
import { stepGroups } from './groups.js';
import { completedDespiteLedger, dropInvalidIndexes, finishInterruptedDrop, stampWithoutDroppedIndex } from './leftovers.js';
import { Ledger } from './ledger.js';
import { checkLockBudget } from './lock-budget.js';
import { acquireApplyLock, releaseApplyLock } from './lock.js';
import { findResume, type ResumePoint } from './resume.js';
import { pauseAfterStepForTests } from './test-hooks.js';
import { stepKinds, timeoutFor, type StatementTimeouts } from './timeouts.js';
import type { BackfillProgress } from './backfill.js';
import { catalogStamp } from '../dialects/postgres/catalog-stamp.js';
import { describeState, sameState, stateNow, type SchemaState } from './state.js';

export interface TargetApplyOptions {
  expectedSourceHash: string;
  /**
   * The catalog stamp the caller took right before it read the schema and
   * found it at `expectedSourceHash`. When the database is still at that
   * stamp under the apply lock, nothing was committed since, and the full
   * reads that would check the hash again are skipped.
   */
  verifiedStamp?: string;
  /** The namespaces Lockplane manages on this target; all user namespaces when absent. */
  schemas?: string[];
  /** Exclusions and globs the source hash leaves out, as the plan was made. */
  filter?: SchemaFilter;
  /** Seconds to wait for another apply to finish; 0 fails at once. */
  lockWaitSeconds?: number;
  /** Postgres interval text, e.g. `5s`. */
  lockTimeout?: string;
  /** Postgres interval text for every step (`0`: none), or per kind of step. */
  statementTimeout?: string | StatementTimeouts;
  /** The schema the ledger is kept in (default `lockplane`). */
  ledgerSchema?: string;
  /** Rows per batch of a backfill step, and the pause between batches (ms). */
  batchSize?: number;
  batchPauseMs?: number;
  onBackfillProgress?: (index: number, progress: BackfillProgress) => void;
  /** How many times to retry a group after a lock timeout. */
  retries?: number;
  /**
   * The step (0-based) the caller expects to start from, as it previewed with
   * findResume (and proved from); the apply refuses if the ledger, read under
   * the lock, says otherwise. Unchecked when absent.
   */
  expectFromStep?: number;
  onStart?: (info: { applyId: number; fromStep: number; resumes: number | null }) => void;
  onStep?: (index: number, step: PlanStep) => void;
  onStepDone?: (index: number, step: PlanStep, ms: number) => void;
  onRetry?: (attempt: number, of: number, waitMs: number, error: StepFailedError) => void;
  /** Cleanup of an interrupted step before it runs again (e.g. an INVALID index dropped). */
  onCleanup?: (message: string) => void;
  /**
   * Read-only checks of the current data (safety/preflight.ts), under the
   * lock and after the source-hash check, before the first step; a failing
   * check refuses the apply (PreflightFailedError, recorded in the ledger)
   * with nothing changed. Absent: no preflight.
   */
  preflight?: Omit<PreflightOptions, 'fromStep'> & { onReport?: (report: PreflightReport) => void };
}

export interface TargetApplyResult extends ExecuteResult {
  applyId: number;
  attempts: number;
  /** The apply this one resumed, and the step (0-based) it started from. */
  resumed: { applyId: number; fromStep: number } | null;
}

const LOCK_NOT_AVAILABLE = '55P03';

export async function applyToTarget(session: PgSession, plan: Plan, options: TargetApplyOptions): Promise<TargetApplyResult> {
  const ledger = new Ledger(session, options.ledgerSchema);
  await acquireApplyLock(session, options.lockWaitSeconds ?? 0);
  try {
    await ledger.ensure();
    await ledger.markInterrupted();
    await watchForDeadClient(session);
    const resume = await findResume(ledger, plan);
    const position: Position = { step: resume?.fromStep ?? 0, expected: resume?.expected ?? { hash: options.expectedSourceHash } };
    const startHash = 'hash' in position.expected ? position.expected.hash : null;
    const applyId = await ledger.open(plan, { fromStep: position.step, startHash, resumes: resume?.applyId ?? null });
    if (!resume && options.verifiedStamp && (await catalogStamp(session, hashScope(options))) === options.verifiedStamp) {
      position.expected = { stamp: options.verifiedStamp };
    }
    options.onStart?.({ applyId, fromStep: position.step, resumes: resume?.applyId ?? null });
    try {
      if (options.expectFromStep !== undefined && options.expectFromStep !== position.step) {
        throw new BlockedError(
          `the ledger changed while this apply was starting (it would start at step ${position.step + 1}, not ${options.expectFromStep + 1}); run apply again`,
        );
      }
      // Nothing runs when the plan's largest transaction cannot fit the server's lock table.
      await checkLockBudget(session, plan, position.step, 'hash' in position.expected);
      if (resume) await prepareResume(ledger, plan, resume, position, applyId, options);
      if (options.preflight) await preflight(session, plan, position, options, options.preflight);
      return await runWithRetries(ledger, plan, position, applyId, options, resume);
    } catch (error) {
      const failedStep = error instanceof StepFailedError ? error.stepIndex + 1 : null;
      const status = error instanceof BlockedError ? 'refused' : 'failed';
      await ledger.close(applyId, { status, failedStep, error: errorText(error) }).catch(() => undefined);
      throw error;
    }
  } finally {
    await releaseApplyLock(session);
  }
}

/** The first step still to run, and where the database must be before it. */
interface Position {
  step: number;
  expected: SchemaState;
}

/** The check executePlan runs before the first group: the schema hash, or the catalog stamp a committed group recorded. */
const expectation = (expected: SchemaState): { expectedSourceHash: string } | { expectedStamp: string } =>
  'stamp' in expected ? { expectedStamp: expected.stamp } : { expectedSourceHash: expected.hash };

async function runWithRetries(
  ledger: Ledger,
  plan: Plan,
  position: Position,
  applyId: number,
  options: TargetApplyOptions,
  resume: ResumePoint | null,
): Promise<TargetApplyResult> {
  const { session } = ledger;
  const retries = options.retries ?? 3;
  const groupEnds = new Set(stepGroups(plan.steps).map((g) => g.end - 1));
  const timeouts = typeof options.statementTimeout === 'object' ? options.statementTimeout : { default: options.statementTimeout ?? '0', byKind: {} };
  const kinds = await stepKinds(plan.steps);
  const stepStarted = new Map<number, Date>();
  let committed = position.expected;
  let applied = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      await executePlan(session, plan, {
        fromStep: position.step,
        ...expectation(position.expected),
        // Fingerprints describe the plan's source: only a fresh start is checked against it.
        ...(!resume && position.step === 0 && plan.source_objects ? { expectedSourceObjects: plan.source_objects } : {}),
        ...(options.schemas ? { schemas: options.schemas } : {}),
        ...(options.filter ? { filter: options.filter } : {}),
        settings: { lock_timeout: options.lockTimeout ?? '5s' },
        stepSettings: (index) => ({ statement_timeout: timeoutFor(kinds[index]!, timeouts) }),
        onStep: (index, step) => {
          stepStarted.set(index, new Date());
          options.onStep?.(index, step);
        },
        beforeStep: async (index, step) => {
          if (step.transactional !== false) return;
          // An online drop that completes unrecorded is recognized by this stamp (the hash path needs none).
          const startStamp = 'stamp' in position.expected ? await stampWithoutDroppedIndex(session, step, hashScope(options)) : null;
          await ledger.recordStepStart(applyId, index, step, stepStarted.get(index)!, startStamp);
        },
        afterStep: async (index, step, startedAt) => {
          if (step.transactional !== false) await ledger.recordStepDone(applyId, index, step, startedAt, null);
          options.onStepDone?.(index, step, Date.now() - startedAt.getTime());
          if (step.transactional !== false && !groupEnds.has(index)) await pauseAfterStepForTests(index + 1);
        },
        afterGroup: async (group, last) => {
          // The full hash where the plan ends (a re-run of it is a no-op); a catalog stamp between groups: one query instead of a full read.
          committed = last
            ? { hash: await currentHash(session, hashScope(options), group.transactional) }
            : { stamp: await catalogStamp(session, hashScope(options)) };
          const index = group.end - 1;
          if (group.transactional) await ledger.recordGroupState(applyId, index, committed);
          else await ledger.recordStepDone(applyId, index, plan.steps[index]!, stepStarted.get(index)!, committed);
          if (last) await ledger.close(applyId, { status: 'applied' });
        },
        onGroupDone: async (group) => {
          position.step = group.end;
          position.expected = committed;
          applied += group.end - group.start;
          await pauseAfterStepForTests(group.end);
        },
        onFailure: (index, step, error) => ledger.recordStepFailed(applyId, index, step, errorText(error)),
        backfill: {
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          ...(options.batchPauseMs ? { pauseMs: options.batchPauseMs } : {}),
          resumeAfter: async (index) => {
            // A retry carries on after this apply's last committed batch; a resumed apply after the interrupted one's (copied to its own row).
            const own = await ledger.backfillProgress(applyId, index);
            if (own) return own;
            const key = resume?.interrupted === index ? await ledger.backfillProgress(resume.applyId, index) : null;
            if (key) await ledger.recordBackfillProgress(applyId, index, key, 0);
            return key;
          },
          onBatch: (index, lastKey, rows) => ledger.recordBackfillProgress(applyId, index, lastKey, rows),
          ...(options.onBackfillProgress ? { onProgress: options.onBackfillProgress } : {}),
        },
      });
      if (position.step >= plan.steps.length && applied === 0) await ledger.close(applyId, { status: 'applied' });
      return { stepsApplied: applied, applyId, attempts: attempt, resumed: resume ? { applyId: resume.applyId, fromStep: resume.fromStep } : null };
    } catch (error) {
      if (isLockTimeout(error) && attempt <= retries) {
        const waitMs = 500 * 2 ** (attempt - 1);
        options.onRetry?.(attempt, retries, waitMs, error);
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        continue;
      }
      throw error;
    }
  }
}

async function preflight(
  session: PgSession,
  plan: Plan,
  position: Position,
  scope: TargetApplyOptions,
  { onReport, ...options }: NonNullable<TargetApplyOptions['preflight']>,
): Promise<void> {
  // Plans in the original format carry no structured changes: nothing to check.
  if (!plan.steps.slice(position.step).some((step) => step.change)) return;
  // The checks name tables and columns as the plan expects them: make sure they are there.
  await checkSourceHash(session, { ...scope, ...expectation(position.expected) });
  const report = await preflightPlan(session, plan, { ...options, fromStep: position.step });
  onReport?.(report);
  if (report.failed.length > 0) throw new PreflightFailedError(report);
}

/**
 * Before resuming: clean up what an interrupted non-transactional step left,
 * count it done if it in fact completed, and require the database to be
 * exactly where the ledger says.
 */
async function prepareResume(
  ledger: Ledger,
  plan: Plan,
  resume: ResumePoint,
  position: Position,
  applyId: number,
  options: TargetApplyOptions,
): Promise<void> {
  const { session } = ledger;
  if (resume.interrupted !== null) {
    const step = plan.steps[resume.interrupted]!;
    for (const name of await dropInvalidIndexes(session, step)) {
      options.onCleanup?.(`dropped the INVALID index ${name} left by the interrupted step ${resume.interrupted + 1} (${step.description})`);
    }
    const finished = await finishInterruptedDrop(session, step);
    if (finished) options.onCleanup?.(`finished dropping the index ${finished}, left INVALID by the interrupted step ${resume.interrupted + 1} (${step.description})`);
    const live = await stateNow(session, resume.expected, hashScope(options));
    if (!sameState(live, resume.expected)) {
      const done = await completedDespiteLedger(session, step, resume.expected, hashScope(options), resume.interruptedStartStamp);
      if (done !== null) {
        await ledger.recordStepStart(applyId, resume.interrupted, step, new Date());
        await ledger.recordStepDone(applyId, resume.interrupted, step, new Date(), done);
        options.onCleanup?.(`step ${resume.interrupted + 1} (${step.description}) had completed after the previous apply stopped; recorded it`);
        position.step = resume.interrupted + 1;
        position.expected = done;
      }
    }
  }
  const live = await stateNow(session, position.expected, hashScope(options));
  if (!sameState(live, position.expected)) {
    throw new BlockedError(
      `cannot resume apply #${resume.applyId}: the database is not in the state the ledger recorded before step ${position.step + 1} ` +
        `(expected ${describeState(position.expected)}, found ${describeState(live)}); something else changed it. Make a new plan from the database as it is`,
    );
  }
}

/**
 * The server normally notices a vanished client only when it next writes to
 * it, so a statement of a killed Lockplane would run to its end — and a
 * non-transactional one commit. Where the server can (Postgres 14+ on
 * Linux), ask it to check the connection while a statement runs.
 */
async function watchForDeadClient(session: PgSession): Promise<void> {
  if (session.kind !== 'server') return;
  await session.query(`SELECT set_config('client_connection_check_interval', '1s', false)`).catch(() => undefined);
}

function isLockTimeout(error: unknown): error is StepFailedError {
  return error instanceof StepFailedError && (error.cause as { code?: unknown } | undefined)?.code === LOCK_NOT_AVAILABLE;
}
