// The stable hazard codes. Users allow them by code (`--allow-hazards LP202`)
// and scripts match on them: never renumber, never reuse a retired code.
//
//   LP1xx  the step may fail or block on existing data
//          (LP110–LP129: locks that stall concurrent reads or writes)
//          (LP150–LP169: found by the data-aware preflight, safety/preflight.ts)
//          (LP170–LP189: SQLite only)
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
  /** Why it matters, for the README's table and `--json` consumers. */
  explanation?: string;
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
    code: 'LP110',
    title: 'table rewritten under an ACCESS EXCLUSIVE lock',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    explanation:
      'Postgres copies every row into a new file and rebuilds every index while no one can read or write the table; on a large table that is an outage of minutes.',
    alternative:
      'expand/contract: add a new column, keep it in sync with a trigger, backfill in batches, then swap in a short step; for a volatile default: add the column nullable, set the default, backfill in batches',
  },
  {
    code: 'LP111',
    title: 'index built without CONCURRENTLY on an existing table',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    explanation:
      'CREATE INDEX holds a SHARE lock (ADD UNIQUE / PRIMARY KEY an ACCESS EXCLUSIVE one) for the whole build: every INSERT, UPDATE and DELETE on the table waits until it finishes.',
    alternative:
      'CREATE INDEX CONCURRENTLY (outside a transaction); for UNIQUE / PRIMARY KEY: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX',
  },
  {
    code: 'LP112',
    title: 'full-table scan under a lock that blocks writes',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    explanation:
      'SET NOT NULL, ADD CHECK and ADD FOREIGN KEY without NOT VALID (and ATTACH PARTITION, ALTER DOMAIN ADD CONSTRAINT) read every row while holding a lock that blocks writes — ACCESS EXCLUSIVE blocks reads too; a foreign key also blocks writes on the referenced table.',
    alternative:
      'add the constraint NOT VALID, then VALIDATE CONSTRAINT (SHARE UPDATE EXCLUSIVE) in a separate transaction; SET NOT NULL after a validated CHECK (col IS NOT NULL) (PostgreSQL 12+ then skips the scan)',
  },
  {
    code: 'LP113',
    title: 'index dropped without CONCURRENTLY on an existing table',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    explanation:
      'DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: it waits behind every running query on the table, and every query that arrives meanwhile waits behind it.',
    alternative: 'DROP INDEX CONCURRENTLY (outside a transaction)',
  },
  {
    code: 'LP114',
    title: 'statement whose locks cannot be determined',
    severity: 'warning',
    blocking: false,
    data_loss: false,
    explanation:
      'Lockplane does not know what this statement locks (a DO block, a function call, an unknown command): it assumes ACCESS EXCLUSIVE on what it touches.',
    alternative: 'write the change as plain DDL statements, or check its locks by hand before running it on a busy database',
  },
  {
    code: 'LP150',
    title: 'NULLs where NOT NULL is added',
    severity: 'error',
    blocking: true,
    data_loss: false,
    explanation: 'SET NOT NULL (or a primary key, or a NOT NULL column without DEFAULT) fails on a table holding NULLs (or any row)',
    alternative: 'backfill the NULLs (UPDATE … SET col = … WHERE col IS NULL) before the plan runs, or give the new column a DEFAULT',
  },
  {
    code: 'LP151',
    title: 'duplicates where a unique key is added',
    severity: 'error',
    blocking: true,
    data_loss: false,
    explanation: 'ADD UNIQUE / PRIMARY KEY / CREATE UNIQUE INDEX fails when rows share a key (NULLs count only with NULLS NOT DISTINCT)',
    alternative: 'remove or merge the duplicate rows first',
  },
  {
    code: 'LP152',
    title: 'orphan rows where a foreign key is added',
    severity: 'error',
    blocking: true,
    data_loss: false,
    explanation: 'ADD FOREIGN KEY fails when a row references a key the referenced table does not hold (MATCH SIMPLE: rows with a NULL in the key are fine)',
    alternative: 'delete the orphans, set their key to NULL, or insert the missing referenced rows first',
  },
  {
    code: 'LP153',
    title: 'rows that break a new CHECK',
    severity: 'error',
    blocking: true,
    data_loss: false,
    explanation: 'ADD CHECK fails when an existing row makes the expression false',
    alternative: 'fix the rows first, or add the check NOT VALID and fix them before VALIDATE CONSTRAINT',
  },
  {
    code: 'LP154',
    title: 'values that do not fit the new type',
    severity: 'error',
    blocking: true,
    data_loss: false,
    explanation: 'ALTER COLUMN … TYPE fails on a value that does not convert (out of range, not a number, not a label of the enum), or silently cuts a string longer than a new varchar(n)/char(n)',
    alternative: 'fix or convert the values first, or expand/contract: a new column of the new type filled by a backfill that handles them',
  },
  {
    code: 'LP155',
    title: 'rows about to be dropped',
    severity: 'info',
    blocking: false,
    data_loss: false,
    explanation: 'how many rows a dropped table holds, or how many rows hold a value in a dropped column (informational)',
  },
  {
    code: 'LP156',
    title: 'preflight check not done',
    severity: 'info',
    blocking: false,
    data_loss: false,
    explanation: 'the check timed out (--preflight-timeout), cannot be done read-only on this server version, or names what the plan creates first',
  },
  {
    code: 'LP130',
    title: 'type change rewrites an existing table',
    severity: 'error',
    blocking: true,
    data_loss: false,
    explanation:
      'online mode turns a type change that rewrites the table into expand/contract (a new column kept in sync by a trigger, a batched backfill, a short swap); it keeps the plain ALTER COLUMN … TYPE, and this hazard, when something stands on the column that the swap would drop or that the backfill needs: an index, a key or foreign key, a check, a view, triggers, policies, generated columns, no primary key to walk (the message says which)',
    alternative:
      'take away what stands on the column first (the message names it) so that online mode can expand/contract; or allow LP130 and run the change when the table may be locked for the whole rewrite',
  },
  {
    code: 'LP131',
    title: 'volatile default rewrites an existing table',
    severity: 'error',
    blocking: true,
    data_loss: false,
    explanation:
      'a DEFAULT calling a VOLATILE function (gen_random_uuid(), clock_timestamp(), …) is evaluated for every existing row: ADD COLUMN rewrites the table under an ACCESS EXCLUSIVE lock. Online mode adds the column empty and backfills it in batches by primary key; a table without one keeps the plain step',
    alternative:
      'give the table a primary key first (online mode then adds the column, sets the default and backfills in batches); or allow LP131 and run the change when the table may be locked for the whole rewrite',
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
  if (info.explanation) out.details = [...(out.details ?? []), info.explanation];
  if (info.data_loss) out.data_loss = true;
  return out;
}
