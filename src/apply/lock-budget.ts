// Postgres keeps every lock a transaction takes until it ends, in one shared
// lock table sized max_locks_per_transaction × (max_connections +
// max_prepared_transactions) entries for all sessions together. A plan whose
// steps share one transaction and touch thousands of tables passes it: the
// apply fails part-way with "out of shared memory", and while it holds the
// table every other session of the server fails too. So before the first
// step, the locks of the plan's largest transaction are estimated and an
// apply that cannot fit is refused, naming the setting and the number.
// Apply also reads the whole schema inside its first transaction (the
// source-hash check, unless a catalog stamp stands for it) and its last (the
// ledger's hash of the result, before COMMIT; between groups it records a
// catalog stamp, which reads no view); that read locks a batch of views and
// what they read at a time (the locks of each batch are released before the
// next, see introspect/view-definitions.ts).
import { BlockedError } from '../errors.js';
import type { PgSession } from '../dialects/postgres/session.js';
import type { Table } from '../schema/types.js';
import type { Plan, PlanStep } from '../plan/types.js';
import { stepGroups } from './groups.js';
import { VIEW_BATCH } from '../dialects/postgres/introspect/view-definitions.js';

/** The settings that size the server's shared lock table. */
export interface LockTableSettings {
  maxLocksPerTransaction: number;
  maxConnections: number;
  maxPreparedTransactions: number;
}

/** Entries of the shared lock table, as the Postgres documentation counts them. */
export function lockTableSize(s: LockTableSettings): number {
  return s.maxLocksPerTransaction * (s.maxConnections + s.maxPreparedTransactions);
}

export async function readLockTableSettings(session: PgSession): Promise<LockTableSettings> {
  const [row] = await session.query<{ per: string; connections: string; prepared: string }>(
    `SELECT current_setting('max_locks_per_transaction') AS per, current_setting('max_connections') AS connections, current_setting('max_prepared_transactions') AS prepared`,
  );
  return { maxLocksPerTransaction: Number(row!.per), maxConnections: Number(row!.connections), maxPreparedTransactions: Number(row!.prepared) };
}

/** Objects of a created or dropped table that each take a lock of their own: indexes and their constraints, other constraints, defaults, identities, policies, triggers. */
function tableObjects(t: Table): number {
  const indexed = (t.indexes?.length ?? 0) + (t.unique_constraints?.length ?? 0) + (t.primary_key ? 1 : 0);
  const constraints = (t.foreign_keys?.length ?? 0) * 2 + (t.check_constraints?.length ?? 0) + (t.exclusion_constraints?.length ?? 0) * 2;
  const columns = t.columns.filter((c) => c.default !== undefined || c.identity || c.generated).length;
  return 2 * indexed + constraints + columns + (t.policies?.length ?? 0) + (t.triggers?.length ?? 0);
}

/**
 * The lock-table entries a step adds to its transaction: relation locks on
 * the tables, indexes, TOAST tables and sequences it touches and object
 * locks on the types, constraints and defaults it creates or drops. Measured
 * per kind of change on Postgres 15 (a table with a primary key, an index, an
 * identity and four defaults: 12 to create or drop, a column retyped with a
 * rewrite 17, a view 4, a foreign key 7); an upper estimate, since a table
 * locked by two steps holds one entry.
 */
export function stepLockEstimate(step: PlanStep): number {
  const tables = step.locks?.length ?? 0;
  const change = step.change;
  switch (change?.kind) {
    case 'create_table':
    case 'drop_table':
      return 3 + tableObjects(change.table);
    case 'alter_column':
      return change.from.type !== change.to.type ? 17 : 3;
    case 'add_column':
    case 'drop_column':
      return 3;
    case 'create_view':
    case 'drop_view':
      return 2 + tables;
    case 'add_foreign_key':
    case 'drop_foreign_key':
      return 7;
    case undefined:
      // A plan without structured changes (written by hand): the tables its lock analysis names, and what hangs off them.
      return 1 + 3 * tables;
    default:
      return 1 + tables;
  }
}

export interface LargestTransaction {
  /** First step (0-based) and one past the last. */
  start: number;
  end: number;
  locks: number;
  /** Of `locks`, those of reading the schema inside the transaction. */
  schemaRead: number;
}

/**
 * The transaction (group of transactional steps, from `fromStep` on) with the
 * most estimated locks. The last group, and the first when `readAtStart`
 * (the source hash is checked by a full read), also hold `schemaRead` for
 * reading the schema (see schemaReadLocks).
 */
export function largestTransaction(steps: readonly PlanStep[], fromStep = 0, schemaRead = 0, readAtStart = true): LargestTransaction | undefined {
  let largest: LargestTransaction | undefined;
  const groups = stepGroups(steps, fromStep);
  for (const [n, group] of groups.entries()) {
    if (!group.transactional) continue;
    const reads = n === groups.length - 1 || (n === 0 && readAtStart);
    let locks = reads ? schemaRead : 0;
    for (let i = group.start; i < group.end; i++) locks += stepLockEstimate(steps[i]!);
    if (!largest || locks > largest.locks) largest = { start: group.start, end: group.end, locks, schemaRead: reads ? schemaRead : 0 };
  }
  return largest;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Why the plan cannot run on a server with these settings, in one line; undefined when it fits. `schemaRead`: see largestTransaction. */
export function lockBudgetProblem(plan: Plan, settings: LockTableSettings, fromStep = 0, schemaRead = 0, readAtStart = true): string | undefined {
  const largest = largestTransaction(plan.steps, fromStep, schemaRead, readAtStart);
  const size = lockTableSize(settings);
  if (!largest || largest.locks <= size) return undefined;
  const slots = settings.maxConnections + settings.maxPreparedTransactions;
  // Room for the estimate and a quarter more for everyone else, in the setting's own unit.
  const needed = Math.ceil((largest.locks * 1.25) / slots);
  const steps = [
    largest.end - largest.start === 1 ? `step ${largest.start + 1}` : `steps ${largest.start + 1}–${largest.end}, one transaction`,
    ...(largest.schemaRead ? [`${count(largest.schemaRead)} of them to read a batch of the schema's views, which apply does inside its first and last transactions`] : []),
  ].join('; ');
  return (
    `the plan needs about ${count(largest.locks)} locks at once (${steps}), more than the server's lock table holds for all sessions: ` +
    `max_locks_per_transaction ${settings.maxLocksPerTransaction} × (max_connections ${settings.maxConnections} + max_prepared_transactions ${settings.maxPreparedTransactions}) = ${count(size)}; ` +
    `set max_locks_per_transaction to ${needed} or more (a server restart) or apply the change in smaller plans; nothing was applied`
  );
}

/**
 * The locks reading the schema takes inside a transaction at most: those of
 * the largest batch of view definitions (pg_get_viewdef locks each view and
 * every relation its query names; see introspect/view-definitions.ts), in
 * the order introspection reads them.
 */
export async function schemaReadLocks(session: PgSession): Promise<number> {
  const [row] = await session.query<{ n: number }>(
    `WITH v AS (
       SELECT v.oid, (pg_catalog.row_number() OVER (ORDER BY ns.nspname COLLATE "C", v.relname COLLATE "C") - 1) / $1 AS batch
       FROM pg_catalog.pg_class v
       JOIN pg_catalog.pg_namespace ns ON ns.oid = v.relnamespace
       WHERE v.relkind IN ('v', 'm') AND ns.nspname NOT IN ('pg_catalog', 'information_schema') AND ns.nspname NOT LIKE 'pg\\_%'
     )
     SELECT COALESCE(max(b.n), 0)::int AS n FROM (
       SELECT count(DISTINCT d.refobjid) AS n
       FROM v
       JOIN pg_catalog.pg_rewrite r ON r.ev_class = v.oid
       JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.objid = r.oid AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
       GROUP BY v.batch
     ) b`,
    [VIEW_BATCH],
  );
  return row?.n ?? 0;
}

/** Refuses (exit 3), before any step runs, a plan whose largest transaction would not fit the server's lock table. */
export async function checkLockBudget(session: PgSession, plan: Plan, fromStep = 0, readAtStart = true): Promise<void> {
  if (!largestTransaction(plan.steps, fromStep)) return;
  const problem = lockBudgetProblem(plan, await readLockTableSettings(session), fromStep, await schemaReadLocks(session), readAtStart);
  if (problem) throw new BlockedError(problem);
}
