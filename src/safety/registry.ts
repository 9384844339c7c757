// The stable hazard codes. Users allow them by code (`--allow-hazards LP202`)
// and scripts match on them: never renumber, never reuse a retired code.
//
//   LP1xx  the step may fail or block on existing data (LP170-LP189: SQLite only)
//   LP2xx  the step deletes or rewrites data
//   LP3xx  the plan or schema is invalid / the rollback is incomplete
import type { Finding, Severity } from './types.js';

export interface HazardInfo {
  code: string;
  /** Short name of the hazard. */
  title: string;
  severity: Severity;
  /** Validation fails unless the code is allowed. */
  blocking: boolean;
  /** Running the step destroys data. */
  data_loss: boolean;
  /** A safer way to reach the same schema, when there is one. */
  alternative?: string;
}

const entries: HazardInfo[] = [
  {
    code: 'LP101',
    title: 'NOT NULL column added without DEFAULT',
    severity: 'error',
    blocking: true,
    data_loss: false,
    alternative: 'add the column as nullable, backfill it, then SET NOT NULL — or give it a DEFAULT',
  },
  {
    code: 'LP102',
    title: 'SET NOT NULL on an existing column',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    alternative: 'backfill NULLs first; on large tables add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL',
  },
  {
    code: 'LP170',
    title: 'SQLite table rebuilt',
    severity: 'info',
    blocking: false,
    data_loss: false,
    alternative: 'the rebuild copies every row while holding the write lock: on a large table, run it when writes can wait',
  },
  {
    code: 'LP171',
    title: 'SQLite column declared type changed',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    alternative: 'values are copied as they are (converted by the new affinity); a STRICT table refuses values that do not fit the new type, failing the apply',
  },
  {
    code: 'LP201',
    title: 'table dropped',
    severity: 'warning',
    blocking: false,
    data_loss: true,
    alternative: 'stop using the table first and export its data; drop it in a later release',
  },
  {
    code: 'LP202',
    title: 'column dropped',
    severity: 'warning',
    blocking: false,
    data_loss: true,
    alternative: 'expand/contract: stop reading and writing the column first, then drop it in a later release',
  },
  {
    code: 'LP203',
    title: 'narrowing or incompatible type change',
    severity: 'error',
    blocking: true,
    data_loss: true,
    alternative: 'expand/contract: add a new column of the new type, backfill it, switch readers, then drop the old column',
  },
  {
    code: 'LP204',
    title: 'widening type change',
    severity: 'info',
    blocking: false,
    data_loss: false,
  },
  {
    code: 'LP205',
    title: 'unique key added to an existing table',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    alternative: 'check for duplicates first; on large tables CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX',
  },
  {
    code: 'LP206',
    title: 'foreign key or check added to an existing table',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    alternative: 'add the constraint NOT VALID, then VALIDATE CONSTRAINT in a separate step',
  },
  {
    code: 'LP207',
    title: 'enum label removed',
    severity: 'warning',
    blocking: false,
    data_loss: true,
    alternative: 'update the rows holding the label to another one first, then remove it',
  },
  {
    code: 'LP208',
    title: 'sequence dropped',
    severity: 'warning',
    blocking: false,
    data_loss: true,
    alternative: 'keep the sequence while anything may still draw from it; a recreated sequence starts over and can reissue values',
  },
  {
    code: 'LP209',
    title: 'object renamed',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    alternative: 'expand/contract: deploy clients that work with both names (e.g. through a view) before renaming, or rename in a maintenance window',
  },
  {
    code: 'LP301',
    title: 'foreign key references a missing table or column',
    severity: 'error',
    blocking: true,
    data_loss: false,
  },
  {
    code: 'LP302',
    title: 'rollback cannot restore data',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    alternative: 'restore the data from a backup taken before the forward migration',
  },
  {
    code: 'LP303',
    title: 'foreign key references columns without a unique key',
    severity: 'error',
    blocking: true,
    data_loss: false,
    alternative: 'reference the primary key or a unique constraint of the referenced table',
  },
];

export const HAZARDS: ReadonlyMap<string, HazardInfo> = new Map(entries.map((e) => [e.code, e]));

export function hazardInfo(code: string): HazardInfo | undefined {
  return HAZARDS.get(code);
}

/** A finding of a registered code, with the registry's severity, flags and alternative. */
export function finding(code: string, message: string, details?: string[]): Finding {
  const info = HAZARDS.get(code);
  if (!info) throw new Error(`unregistered hazard code ${code}`);
  const out: Finding = { code, severity: info.severity, message, blocking: info.blocking };
  if (details?.length) out.details = details;
  if (info.alternative) out.alternative = info.alternative;
  if (info.data_loss) out.data_loss = true;
  return out;
}
