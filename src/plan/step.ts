// One plan step from one Change: description, SQL, hazards, reverse.
import type { Change } from '../diff/changes.js';
import { invertChange } from '../diff/invert.js';
import { assessChange, hazardCodes, type AssessContext } from '../safety/assess.js';
import { ROLLBACK_PREFIX } from '../safety/validate.js';
import { changeSql, describeChange } from './kinds/registry.js';
import type { PlanStep } from './types.js';
import { backfillParts } from '../dialects/postgres/render/online.js';

export function planStep(change: Change, ctx: AssessContext, rollback: boolean): PlanStep {
  const statements = changeSql(change);
  const inverse = invertChange(change);
  const step: PlanStep = {
    description: `${rollback ? ROLLBACK_PREFIX : ''}${describeChange(change)}`,
    sql: statements.length === 1 ? statements[0]! : statements,
  };
  const hazards = hazardCodes(assessChange(change, ctx).findings);
  if (hazards.length) step.hazards = hazards;
  step.transactional = !runsConcurrently(change);
  if (change.kind === 'backfill_column' && !change.undo) {
    // Batches of its own: apply runs it outside a transaction (see apply/backfill.ts).
    step.transactional = false;
    step.backfill = { table: change.table, key: change.key, ...backfillParts(change.column, change.expression, change.source) };
  }
  if (change.kind === 'validate_constraint' && !change.undo) step.transaction = 'own';
  step.reverse = { description: describeChange(inverse), sql: changeSql(inverse) };
  step.change = change;
  return step;
}

/** CREATE/DROP INDEX CONCURRENTLY: Postgres refuses them inside a transaction block. */
function runsConcurrently(change: Change): boolean {
  return (change.kind === 'create_index' || change.kind === 'drop_index') && change.online === true;
}

export function hasSql(step: PlanStep): boolean {
  return Array.isArray(step.sql) ? step.sql.length > 0 : step.sql !== '';
}
