// Applying a plan to the real target: under the advisory lock, with the
// source hash checked inside the transaction, with lock and statement
// timeouts, bounded retries on lock timeouts, and every outcome in the ledger.
import { BlockedError } from '../errors.js';
import { errorText, type PgSession } from '../dialects/postgres/session.js';
import type { Plan, PlanStep } from '../plan/types.js';
import type { SchemaFilter } from '../schema/filter.js';
import { executePlan, StepFailedError, type ExecuteResult } from './execute.js';
import { closeApply, ensureLedger, openApply, recordStep } from './ledger.js';
import { acquireApplyLock, releaseApplyLock } from './lock.js';

export interface TargetApplyOptions {
  expectedSourceHash: string;
  /** The namespaces Lockplane manages on this target; all user namespaces when absent. */
  schemas?: string[];
  /** Exclusions and globs the source hash leaves out, as the plan was made. */
  filter?: SchemaFilter;
  /** Seconds to wait for another apply to finish; 0 fails at once. */
  lockWaitSeconds?: number;
  /** Postgres interval text, e.g. `5s`. */
  lockTimeout?: string;
  /** Postgres interval text; `0` means none. */
  statementTimeout?: string;
  /** How many times to retry the whole transaction after a lock timeout. */
  retries?: number;
  onStep?: (index: number, step: PlanStep) => void;
  onRetry?: (attempt: number, of: number, waitMs: number, error: StepFailedError) => void;
}

export interface TargetApplyResult extends ExecuteResult {
  applyId: number;
  attempts: number;
}

const LOCK_NOT_AVAILABLE = '55P03';

export async function applyToTarget(session: PgSession, plan: Plan, options: TargetApplyOptions): Promise<TargetApplyResult> {
  await acquireApplyLock(session, options.lockWaitSeconds ?? 0);
  try {
    await ensureLedger(session);
    const applyId = await openApply(session, plan);
    const retries = options.retries ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await executePlan(session, plan, {
          expectedSourceHash: options.expectedSourceHash,
          ...(options.schemas ? { schemas: options.schemas } : {}),
          ...(options.filter ? { filter: options.filter } : {}),
          settings: {
            lock_timeout: options.lockTimeout ?? '5s',
            statement_timeout: options.statementTimeout ?? '0',
          },
          ...(options.onStep ? { onStep: options.onStep } : {}),
          afterStep: (index, step, startedAt) => recordStep(session, applyId, index, step, startedAt),
          beforeCommit: () => closeApply(session, applyId, { status: 'applied' }),
        });
        return { ...result, applyId, attempts: attempt };
      } catch (error) {
        if (isLockTimeout(error) && attempt <= retries) {
          const waitMs = 500 * 2 ** (attempt - 1);
          options.onRetry?.(attempt, retries, waitMs, error);
          await new Promise((resolve) => setTimeout(resolve, waitMs));
          continue;
        }
        const failedStep = error instanceof StepFailedError ? error.stepIndex + 1 : null;
        const status = error instanceof BlockedError ? 'refused' : 'failed';
        await closeApply(session, applyId, { status, failedStep, error: errorText(error) }).catch(() => undefined);
        throw error;
      }
    }
  } finally {
    await releaseApplyLock(session);
  }
}

function isLockTimeout(error: unknown): error is StepFailedError {
  return error instanceof StepFailedError && (error.cause as { code?: unknown } | undefined)?.code === LOCK_NOT_AVAILABLE;
}
