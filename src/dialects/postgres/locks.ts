// Postgres lock facts: the table-level lock modes, what each blocks, and the
// lock ALTER TABLE takes per subcommand. Sources: the "Explicit Locking"
// chapter (13.3.1), the ALTER TABLE, CREATE INDEX and DROP INDEX reference
// pages, and AlterTableGetLockLevel() in tablecmds.c, whose table the
// ALTER TABLE page documents. Checked against a PG15 server by
// test/dialects/locks-server.test.ts (pg_locks and relfilenode).

/** Table-level lock modes, weakest first (the order of the docs' conflict table). */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

/**
 * What the statement does to the table's rows while it holds the lock:
 * `rewrite` copies every row into a new file (and rebuilds the indexes),
 * `scan` reads every row (a validation, an index build), `write` changes rows
 * (DML), `catalog` touches only the catalog (fast once the lock is granted),
 * `unknown` the analysis could not tell.
 */
export const LOCK_EFFECTS = ['catalog', 'write', 'scan', 'rewrite', 'unknown'] as const;
export type LockEffect = (typeof LOCK_EFFECTS)[number];

/** Why a lock on a table that holds rows deserves a hazard; absent: it does not. */
export type LockRisk = 'rewrite' | 'index_build' | 'scan' | 'index_drop' | 'unknown';

/** One lock a statement takes on one relation (a table, view, materialized view or index). */
export interface RelationLock {
  /** Qualified name, `schema.name`; `*` when the statement's relations are unknown. */
  table: string;
  mode: LockMode;
  effect: LockEffect;
  /** What takes it, e.g. `ALTER COLUMN TYPE`, `CREATE INDEX`, `ADD FOREIGN KEY (referenced)`. */
  operation: string;
  risk?: LockRisk;
}

export const modeRank = (mode: LockMode): number => LOCK_MODES.indexOf(mode);
export const effectRank = (effect: LockEffect): number => LOCK_EFFECTS.indexOf(effect);

/** Plain SELECTs take ACCESS SHARE: only ACCESS EXCLUSIVE blocks them. */
export const blocksReads = (mode: LockMode): boolean => mode === 'ACCESS EXCLUSIVE';
/** INSERT/UPDATE/DELETE take ROW EXCLUSIVE: SHARE and stronger block them. */
export const blocksWrites = (mode: LockMode): boolean => modeRank(mode) >= modeRank('SHARE');

export function blockedStatements(mode: LockMode): string {
  if (blocksReads(mode)) return 'blocks reads and writes';
  if (blocksWrites(mode)) return 'blocks writes';
  return 'blocks neither reads nor writes';
}

/**
 * The server version the analysis assumes when the target is not a live
 * database: 15, the oldest major version the PostgreSQL project still
 * supports in 2026. Older versions lock more, newer ones no less for what
 * Lockplane plans, so 15 is the conservative choice.
 */
export const DEFAULT_SERVER_VERSION = 150000;

/** Versions where a documented behaviour changed (server_version_num). */
export const SINCE = {
  /** ADD COLUMN with a non-volatile DEFAULT stores the default in the catalog: no rewrite. */
  fastColumnDefault: 110000,
  /** SET NOT NULL skips its scan when a valid CHECK (col IS NOT NULL) proves it. */
  notNullFromCheck: 120000,
  /** ATTACH PARTITION takes SHARE UPDATE EXCLUSIVE (not ACCESS EXCLUSIVE) on the parent. */
  attachShareUpdate: 120000,
  /** ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE on the index. */
  indexRenameShareUpdate: 120000,
  /** DETACH PARTITION … CONCURRENTLY exists. */
  detachConcurrently: 140000,
} as const;

/**
 * The lock mode each ALTER TABLE subcommand takes (AlterTableGetLockLevel).
 * A statement with several subcommands takes the strongest of them.
 * ADD CONSTRAINT, ATTACH/DETACH PARTITION and SET (…) depend on their
 * argument and are decided by the analyzer; anything absent is ACCESS EXCLUSIVE.
 */
export const ALTER_TABLE_LOCKS: Readonly<Record<string, LockMode>> = {
  AT_EnableTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableAlwaysTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableReplicaTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigUser: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrig: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigUser: 'SHARE ROW EXCLUSIVE',
  AT_SetStatistics: 'SHARE UPDATE EXCLUSIVE',
  AT_ClusterOn: 'SHARE UPDATE EXCLUSIVE',
  AT_DropCluster: 'SHARE UPDATE EXCLUSIVE',
  AT_SetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ValidateConstraint: 'SHARE UPDATE EXCLUSIVE',
  AT_DetachPartitionFinalize: 'SHARE UPDATE EXCLUSIVE',
};

/** Subcommands that always copy the table into a new file. */
export const REWRITING_SUBCOMMANDS: ReadonlySet<string> = new Set(['AT_SetLogged', 'AT_SetUnLogged', 'AT_SetTableSpace', 'AT_SetAccessMethod', 'AT_SetExpression']);

/** Storage parameters whose SET/RESET takes only SHARE UPDATE EXCLUSIVE (reloptions.c lockmode). */
export const LIGHT_RELOPTIONS: ReadonlySet<string> = new Set([
  'fillfactor',
  'parallel_workers',
  'toast_tuple_target',
  'vacuum_index_cleanup',
  'vacuum_truncate',
  'log_autovacuum_min_duration',
]);

/**
 * Built-in and common extension functions that are VOLATILE (pg_proc.provolatile
 * = 'v', those a column default can call). A default calling one of them is
 * evaluated per row, so ADD COLUMN rewrites the table.
 */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'clock_timestamp',
  'currval',
  'gen_random_uuid',
  'lastval',
  'nextval',
  'random',
  'random_normal',
  'setval',
  'timeofday',
  'txid_status',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'set_config',
  'current_query',
]);

/** The target's server_version_num (e.g. 150004), which decides the version-dependent facts above. */
export async function serverVersionNum(session: { query<R extends object>(sql: string): Promise<R[]> }): Promise<number> {
  const [row] = await session.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Number(row?.v);
}
