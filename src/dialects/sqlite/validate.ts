// Safety validation of a SQLite plan, with SQLite's meaning of each hazard.
import type { Schema } from '../../schema/types.js';
import type { StepValidation } from '../../safety/types.js';
import { planSqliteSteps } from './plan/build.js';

export function validateSqlitePlan(from: Schema, to: Schema): StepValidation[] {
  return planSqliteSteps(from, to).map((s, index) => ({
    step: index,
    description: s.description,
    findings: s.findings,
    reversible: s.reversible,
    reverseDescription: s.reverse?.description ?? 'none',
    reasons: [reason(s.description)],
  }));
}

function reason(description: string): string {
  if (description.startsWith('Rebuild')) return 'SQLite cannot make this change in place: the table is rebuilt (new table, rows copied, old dropped, new renamed) in the apply transaction';
  if (description.startsWith('Alter')) return 'SQLite ALTER TABLE makes this change in place';
  if (description.startsWith('Drop')) return 'Dropping removes the object';
  return 'Creating or renaming keeps existing data';
}
