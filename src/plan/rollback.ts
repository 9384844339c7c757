// The reverse of a plan, computed from the structured Change of each step
// (inverted, last in first out) — never by parsing SQL.
import type { Change } from '../diff/changes.js';
import { applyChanges } from '../diff/apply.js';
import { invertChange } from '../diff/invert.js';
import { objectFingerprints } from '../schema/fingerprint.js';
import { schemaHash } from '../schema/hash.js';
import type { Schema } from '../schema/types.js';
import { AssessContext } from '../safety/assess.js';
import { hasSql, planStep } from './step.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

export class RollbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RollbackError';
  }
}

export function rollbackPlan(forward: Plan, before: Schema): Plan {
  const beforeHash = schemaHash(before);
  if (forward.source_hash && forward.source_hash !== beforeHash) {
    throw new RollbackError(
      `the "before" schema is not the one this plan starts from (plan source_hash ${forward.source_hash}, given schema ${beforeHash}); pass the schema the forward plan was made from`,
    );
  }
  const changes: Change[] = forward.steps.map((step, i) => {
    if (!step.change) {
      throw new RollbackError(
        `step ${i + 1} ("${step.description}") has no structured change: a rollback can only be computed from a plan written by Lockplane with steps[].change; for other plans, diff the current and the "before" schema instead`,
      );
    }
    return step.change;
  });
  let after: Schema;
  try {
    after = applyChanges(before, changes);
  } catch (error) {
    throw new RollbackError(`the plan does not apply to the "before" schema: ${error instanceof Error ? error.message : String(error)}`);
  }
  const ctx = new AssessContext(after, before, true);
  return {
    format_version: PLAN_FORMAT_VERSION,
    dialect: forward.dialect ?? 'postgres',
    source_hash: forward.target_hash ?? schemaHash(after),
    target_hash: beforeHash,
    steps: [...changes].reverse().map((c) => planStep(invertChange(c), ctx, true)).filter(hasSql),
    source_objects: objectFingerprints(after),
  };
}
