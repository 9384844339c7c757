// Proves a plan before the target is touched: a shadow is loaded with the
// target's current schema, the plan runs there and must reach the plan's
// target_hash; then its rollback runs and must come back to the source hash.
// A failed forward proof stops the apply; a failed reverse proof is a
// warning that names the step. The shadow is a scratch database (PGlite or
// SHADOW_DATABASE_URL) or a schema (SHADOW_SCHEMA, see proof-space.ts).
import { LockplaneError } from '../errors.js';
import { errorText } from '../dialects/postgres/session.js';
import { executePlan, StepFailedError } from '../apply/execute.js';
import { filterOf, type SchemaFilter } from '../schema/filter.js';
import { schemaHash } from '../schema/hash.js';
import type { Schema } from '../schema/types.js';
import { rollbackPlan } from '../plan/index.js';
import type { Plan } from '../plan/types.js';
import { openProofSpace, type ProofSpace, type ProofSpaceOptions } from './proof-space.js';

export interface ProofResult {
  shadow: string;
  /** True when the plan defines a target_hash and the shadow reached it; null when it has none. */
  reachedTarget: boolean | null;
  /** `ok`, or why the rollback was not proven. */
  reverse: { ok: true } | { ok: false; reason: string };
}

export type ProveOptions = ProofSpaceOptions;

export async function provePlan(current: Schema, plan: Plan, options: ProveOptions = {}): Promise<ProofResult> {
  const space = await openProofSpace(current, plan, options);
  try {
    for (const sql of space.sourceDdl) {
      try {
        await space.session.exec(sql);
      } catch (error) {
        throw new LockplaneError(`shadow: cannot recreate the target's current schema: ${errorText(error)}`);
      }
    }
    try {
      await executePlan(space.session, space.inShadow(plan));
    } catch (error) {
      if (error instanceof StepFailedError) {
        throw new LockplaneError(`shadow validation failed, the target was not touched: ${error.message}`);
      }
      throw error;
    }
    const reachedTarget = plan.target_hash ? schemaHash(await space.readBack()) === plan.target_hash : null;
    if (reachedTarget === false) {
      throw new LockplaneError(
        "shadow validation failed, the target was not touched: after the plan ran on the shadow, its schema does not match the plan's target_hash",
      );
    }
    return { shadow: space.description, reachedTarget, reverse: await proveReverse(space, current, plan) };
  } finally {
    await space.release();
  }
}

async function proveReverse(space: ProofSpace, current: Schema, plan: Plan): Promise<ProofResult['reverse']> {
  if (!plan.steps.every((s) => s.change !== undefined)) {
    return { ok: false, reason: 'the plan has no structured changes (original format), so its rollback is not proven here' };
  }
  let reverse: Plan;
  try {
    reverse = space.inShadow(rollbackPlan(plan, current));
  } catch (error) {
    return { ok: false, reason: `no rollback: ${errorText(error)}` };
  }
  try {
    await executePlan(space.session, reverse);
  } catch (error) {
    return { ok: false, reason: error instanceof StepFailedError ? `rollback ${error.message}` : errorText(error) };
  }
  const back = schemaHash(await space.readBack()) === schemaHash(current);
  return back ? { ok: true } : { ok: false, reason: 'after the rollback ran on the shadow, its schema is not the source schema' };
}
