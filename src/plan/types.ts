// The plan: ordered SQL steps, each explained, classified and reversible.
// `steps[].description` and `sql` keep the original Lockplane format valid.
import type { Change } from '../diff/changes.js';
import type { Dialect } from '../schema/types.js';

export const PLAN_FORMAT_VERSION = 1;

export interface ReverseStep {
  description: string;
  sql: string[];
}

export interface PlanStep {
  description: string;
  /** One statement as a string (original format), several as an array. */
  sql: string | string[];
  /** Stable hazard codes (e.g. LP202) that apply to this step. */
  hazards?: string[];
  /** False for statements Postgres refuses inside a transaction block. */
  transactional?: boolean;
  /** `own`: runs in a transaction of its own, not shared with the steps around it (VALIDATE CONSTRAINT after ADD … NOT VALID). */
  transaction?: 'own';
  reverse?: ReverseStep;
  /** The structured change this step performs; rollback inverts it. */
  change?: Change;
}

export interface Plan {
  $schema?: string;
  format_version?: number;
  dialect?: Dialect;
  /** Canonical hash of the schema the plan starts from. */
  source_hash?: string;
  /** Canonical hash of the schema the plan produces. */
  target_hash?: string;
  steps: PlanStep[];
}

export function stepStatements(step: Pick<PlanStep, 'sql'>): string[] {
  return Array.isArray(step.sql) ? step.sql : [step.sql];
}
