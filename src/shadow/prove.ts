// Proves a plan before the target is touched: a scratch database is loaded
// with the target's current schema, the plan runs there, and the result must
// hash to the plan's target_hash.
import { LockplaneError } from '../errors.js';
import { introspect } from '../dialects/postgres/introspect.js';
import { renderSchemaDdl } from '../dialects/postgres/render.js';
import { errorText } from '../dialects/postgres/session.js';
import { executePlan, StepFailedError } from '../apply/execute.js';
import { schemaHash } from '../schema/hash.js';
import type { Schema } from '../schema/types.js';
import type { Plan } from '../plan/types.js';
import { openScratch, type ScratchOptions } from './scratch.js';

export interface ProofResult {
  shadow: string;
  /** True when the plan defines a target_hash and the shadow reached it. */
  reachedTarget: boolean | null;
}

export async function provePlan(current: Schema, plan: Plan, options: ScratchOptions = {}): Promise<ProofResult> {
  const scratch = await openScratch(options);
  try {
    for (const sql of renderSchemaDdl(current)) {
      try {
        await scratch.session.exec(sql);
      } catch (error) {
        throw new LockplaneError(`shadow: cannot recreate the target's current schema: ${errorText(error)}`);
      }
    }
    try {
      await executePlan(scratch.session, plan);
    } catch (error) {
      if (error instanceof StepFailedError) {
        throw new LockplaneError(`shadow validation failed, the target was not touched: ${error.message}`);
      }
      throw error;
    }
    if (!plan.target_hash) return { shadow: scratch.description, reachedTarget: null };
    const reached = schemaHash(await introspect(scratch.session)) === plan.target_hash;
    if (!reached) {
      throw new LockplaneError(
        'shadow validation failed, the target was not touched: after the plan ran on the shadow, its schema does not match the plan\'s target_hash',
      );
    }
    return { shadow: scratch.description, reachedTarget: true };
  } finally {
    await scratch.release();
  }
}
