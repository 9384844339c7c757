// Proves a plan before the target is touched: a shadow is loaded with the
// target's current schema, the plan runs there and must reach the plan's
// target_hash; then its rollback runs and must come back to the source hash.
// A failed forward proof stops the apply; a failed reverse proof is a
// warning that names the step.
import { LockplaneError } from '../errors.js';
import { introspect } from '../dialects/postgres/introspect.js';
import { renderSchemaDdl } from '../plan/ddl.js';
import { errorText, type PgSession } from '../dialects/postgres/session.js';
import { executePlan, StepFailedError } from '../apply/execute.js';
import { filterOf, type SchemaFilter } from '../schema/filter.js';
import { schemaHash } from '../schema/hash.js';
import type { Schema } from '../schema/types.js';
import { rollbackPlan } from '../plan/index.js';
import type { Plan } from '../plan/types.js';
import { openScratch, type ScratchOptions } from './scratch.js';
import { runSeed } from './seed.js';

export interface ProofResult {
  shadow: string;
  /** True when the plan defines a target_hash and the shadow reached it; null when it has none. */
  reachedTarget: boolean | null;
  /** `ok`, or why the rollback was not proven. */
  reverse: { ok: true } | { ok: false; reason: string };
}

/** The filter says what the hashes cover (lockplane.toml `schemas`, exclusions, globs). */
export interface ProveOptions extends ScratchOptions, SchemaFilter {
  /** DDL for objects outside the filter that the schema names (auth.users), run first; see seed.ts. */
  seed?: readonly string[];
}

export async function provePlan(current: Schema, plan: Plan, options: ProveOptions = {}): Promise<ProofResult> {
  const scratch = await openScratch(options);
  const scope = filterOf(options);
  try {
    const session = scratch.session;
    await runSeed(session, options.seed);
    for (const sql of renderSchemaDdl(current)) {
      try {
        await session.exec(sql);
      } catch (error) {
        throw new LockplaneError(`shadow: cannot recreate the target's current schema: ${errorText(error)}`);
      }
    }
    try {
      await executePlan(session, plan);
    } catch (error) {
      if (error instanceof StepFailedError) {
        throw new LockplaneError(`shadow validation failed, the target was not touched: ${error.message}`);
      }
      throw error;
    }
    const reachedTarget = plan.target_hash ? schemaHash(await introspect(session, scope)) === plan.target_hash : null;
    if (reachedTarget === false) {
      throw new LockplaneError(
        "shadow validation failed, the target was not touched: after the plan ran on the shadow, its schema does not match the plan's target_hash",
      );
    }
    return { shadow: scratch.description, reachedTarget, reverse: await proveReverse(session, current, plan, scope) };
  } finally {
    await scratch.release();
  }
}

async function proveReverse(
  session: PgSession,
  current: Schema,
  plan: Plan,
  scope: SchemaFilter,
): Promise<ProofResult['reverse']> {
  if (!plan.steps.every((s) => s.change !== undefined)) {
    return { ok: false, reason: 'the plan has no structured changes (original format), so its rollback is not proven here' };
  }
  let reverse: Plan;
  try {
    reverse = rollbackPlan(plan, current);
  } catch (error) {
    return { ok: false, reason: `no rollback: ${errorText(error)}` };
  }
  try {
    await executePlan(session, reverse);
  } catch (error) {
    return { ok: false, reason: error instanceof StepFailedError ? `rollback ${error.message}` : errorText(error) };
  }
  const back = schemaHash(await introspect(session, scope)) === schemaHash(current);
  return back ? { ok: true } : { ok: false, reason: 'after the rollback ran on the shadow, its schema is not the source schema' };
}
