// The reverse of a plan. A Lockplane plan carries structured changes and is
// inverted directly (last in, first out). An original-format plan (bare SQL
// steps) is run on a scratch copy of the before-schema instead, and the
// rollback is planned from the resulting schema back to the before-schema:
// still no SQL parsing, and still exact.
import { LockplaneError } from '../errors.js';
import { execCreatingRoles } from './roles.js';
import { introspect } from '../dialects/postgres/introspect.js';
import { renderSchemaDdl } from '../plan/ddl.js';
import { executePlan, StepFailedError } from '../apply/execute.js';
import { schemaHash } from '../schema/hash.js';
import type { Schema } from '../schema/types.js';
import { buildPlan, rollbackPlan } from '../plan/index.js';
import type { Plan } from '../plan/types.js';
import { withScratch, type ScratchOptions } from './scratch.js';

export async function reversePlan(forward: Plan, before: Schema, options: ScratchOptions = {}): Promise<Plan> {
  if (forward.source_hash && forward.source_hash !== schemaHash(before)) {
    throw new LockplaneError(
      'the --from schema is not the state this plan starts from (its hash differs from the plan\'s source_hash); pass the schema the plan was made from',
      2,
    );
  }
  if (forward.steps.every((step) => step.change !== undefined)) return rollbackPlan(forward, before);
  const after = await withScratch(options, async (session) => {
    for (const sql of renderSchemaDdl(before)) await execCreatingRoles(session, sql);
    try {
      await executePlan(session, forward);
    } catch (error) {
      if (error instanceof StepFailedError) {
        throw new LockplaneError(`the plan does not apply to the --from schema: ${error.message}`);
      }
      throw error;
    }
    return introspect(session);
  });
  return buildPlan(after, before, { rollback: true });
}
