// What an interrupted non-transactional step leaves behind. A CREATE INDEX
// CONCURRENTLY that is cancelled, fails, or loses its connection leaves an
// INVALID index under its name: it is dropped (DROP INDEX CONCURRENTLY)
// before the step runs again. A build that finished after Lockplane died
// (the server completes a statement whose client is gone) leaves a valid
// index: the step counts as done when the database minus that index is
// exactly the state before the step. An interrupted DROP INDEX CONCURRENTLY
// (online mode) can leave its index INVALID: the drop, which was wanted, is
// finished, and the step counts as done when the database plus that index
// is exactly the state before the step. "Exactly the state": by the schema
// hash, or by the catalog stamp (state.ts) with the index's own rows left
// out — the stamp an online drop recorded when it started.
import { introspect } from '../dialects/postgres/introspect.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import type { PgSession } from '../dialects/postgres/session.js';
import { schemaHash } from '../schema/hash.js';
import type { Change } from '../diff/changes.js';
import type { Schema } from '../schema/types.js';
import { stepStatements, type PlanStep } from '../plan/types.js';
import type { SchemaFilter } from '../schema/filter.js';
import { catalogStamp } from '../dialects/postgres/catalog-stamp.js';
import type { SchemaState } from './state.js';

interface ConcurrentIndex {
  /** The index name, and its table as written (schema null: found through search_path). */
  name: string;
  schema: string | null;
  table: string;
}

interface IndexStmtBody {
  idxname?: string;
  concurrent?: boolean;
  relation?: { schemaname?: string; relname?: string };
}

/** The named indexes a step builds CONCURRENTLY; null when the step does anything else too. */
async function concurrentIndexes(step: PlanStep): Promise<ConcurrentIndex[] | null> {
  const found: ConcurrentIndex[] = [];
  for (const sql of stepStatements(step)) {
    let stmts: { stmt?: Record<string, unknown> }[];
    try {
      stmts = ((await (await import('libpg-query')).parse(sql)) as { stmts?: { stmt?: Record<string, unknown> }[] }).stmts ?? [];
    } catch {
      return null;
    }
    for (const { stmt } of stmts) {
      const body = stmt?.IndexStmt as IndexStmtBody | undefined;
      if (!body?.concurrent || !body.idxname || !body.relation?.relname) return null;
      found.push({ name: body.idxname, schema: body.relation.schemaname ?? null, table: body.relation.relname });
    }
  }
  return found.length > 0 ? found : null;
}

interface IndexState {
  schema: string;
  valid: boolean;
  oid: number;
}

async function indexState(session: PgSession, index: ConcurrentIndex): Promise<IndexState | null> {
  const table = index.schema === null ? quoteIdent(index.table) : `${quoteIdent(index.schema)}.${quoteIdent(index.table)}`;
  const rows = await session.query<IndexState>(
    `SELECT n.nspname AS schema, i.indisvalid AS valid, c.oid::int8 AS oid
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = $1 AND i.indrelid = to_regclass($2)`,
    [index.name, table],
  );
  const row = rows[0];
  return row ? { ...row, oid: Number(row.oid) } : null;
}

type OnlineDrop = Extract<Change, { kind: 'drop_index' }>;

/** The index an online step drops CONCURRENTLY (from its structured change); null for any other step. */
function onlineDrop(step: PlanStep): OnlineDrop | null {
  const c = step.change;
  return c?.kind === 'drop_index' && c.online && !c.for_constraint ? c : null;
}

const dropped = (c: OnlineDrop): ConcurrentIndex => ({ name: c.index.name, schema: c.table.schema, table: c.table.name });

/** Finishes the drop an interrupted DROP INDEX CONCURRENTLY left INVALID; returns the index's name, or null when there was nothing to finish. */
export async function finishInterruptedDrop(session: PgSession, step: PlanStep): Promise<string | null> {
  const drop = onlineDrop(step);
  const state = drop ? await indexState(session, dropped(drop)) : null;
  if (!drop || !state || state.valid) return null;
  const name = `${quoteIdent(state.schema)}.${quoteIdent(drop.index.name)}`;
  await session.exec(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
  return name;
}

/**
 * Before an online drop runs, where the database is expected to be if the
 * drop completes unrecorded: its catalog stamp without the index. Null when
 * the step is not an online drop or its index is not there.
 */
export async function stampWithoutDroppedIndex(session: PgSession, step: PlanStep, scope: SchemaFilter): Promise<string | null> {
  const drop = onlineDrop(step);
  const state = drop ? await indexState(session, dropped(drop)) : null;
  return state ? catalogStamp(session, scope, { excludeRelations: [state.oid] }) : null;
}

/** The state of the database when the online drop is done and nothing else differs from the state before it; null otherwise. */
async function droppedDespiteLedger(
  session: PgSession,
  drop: OnlineDrop,
  before: SchemaState,
  startStamp: string | null,
  scope: SchemaFilter,
): Promise<SchemaState | null> {
  if (await indexState(session, dropped(drop))) return null;
  if ('stamp' in before) {
    const live = await catalogStamp(session, scope);
    return live === startStamp ? { stamp: live } : null;
  }
  const hashBefore = before.hash;
  const live = await introspect(session, scope);
  const withIndex: Schema = structuredClone(live);
  const table = withIndex.tables.find((t) => (t.schema ?? 'public') === drop.table.schema && t.name === drop.table.name);
  if (!table) return null;
  table.indexes = [...(table.indexes ?? []), structuredClone(drop.index)];
  return schemaHash(withIndex) === hashBefore ? { hash: schemaHash(live) } : null;
}

/** Drops the INVALID indexes the step left; returns their names. */
export async function dropInvalidIndexes(session: PgSession, step: PlanStep): Promise<string[]> {
  const dropped: string[] = [];
  for (const index of (await concurrentIndexes(step)) ?? []) {
    const state = await indexState(session, index);
    if (!state || state.valid) continue;
    const name = `${quoteIdent(state.schema)}.${quoteIdent(index.name)}`;
    await session.exec(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    dropped.push(name);
  }
  return dropped;
}

/**
 * The state of the database when the step completed although the ledger did
 * not see it finish (its indexes are there and valid, and nothing else
 * differs from the state before it); null otherwise. `startStamp`: what an
 * online drop recorded when it started (stampWithoutDroppedIndex).
 */
export async function completedDespiteLedger(
  session: PgSession,
  step: PlanStep,
  before: SchemaState,
  scope: SchemaFilter,
  startStamp: string | null = null,
): Promise<SchemaState | null> {
  const drop = onlineDrop(step);
  if (drop) return droppedDespiteLedger(session, drop, before, startStamp, scope);
  const indexes = await concurrentIndexes(step);
  if (!indexes) return null;
  const located: { state: IndexState; index: ConcurrentIndex }[] = [];
  for (const index of indexes) {
    const state = await indexState(session, index);
    if (!state?.valid) return null;
    located.push({ state, index });
  }
  if ('stamp' in before) {
    const without = await catalogStamp(session, scope, { excludeRelations: located.map(({ state }) => state.oid) });
    return without === before.stamp ? { stamp: await catalogStamp(session, scope) } : null;
  }
  const live = await introspect(session, scope);
  const without = withoutIndexes(live, new Set(located.map(({ state, index }) => indexKey(state.schema, index.table, index.name))));
  return schemaHash(without) === before.hash ? { hash: schemaHash(live) } : null;
}

/**
 * The schema without its INVALID indexes (what a resume starts from once
 * they are dropped) — but for the one an interrupted online drop left
 * INVALID: that step runs again from the state before it, the index there.
 */
export async function invalidIndexesRemoved(session: PgSession, schema: Schema, interrupted?: PlanStep): Promise<Schema> {
  const drop = interrupted ? onlineDrop(interrupted) : null;
  if (drop) {
    const keep = indexKey(drop.table.schema, drop.table.name, drop.index.name);
    const restored = structuredClone(schema);
    for (const t of restored.tables) {
      for (const i of t.indexes ?? []) if (indexKey(t.schema ?? 'public', t.name, i.name) === keep) delete i.invalid;
    }
    return removeInvalid(session, restored, keep);
  }
  return removeInvalid(session, schema);
}

async function removeInvalid(session: PgSession, schema: Schema, keep?: string): Promise<Schema> {
  const rows = await session.query<{ schema: string; table: string; name: string }>(
    `SELECT n.nspname AS schema, t.relname AS table, c.relname AS name
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
       JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
      WHERE NOT i.indisvalid`,
  );
  const keys = rows.map((r) => indexKey(r.schema, r.table, r.name)).filter((k) => k !== keep);
  if (keys.length === 0) return schema;
  return withoutIndexes(schema, new Set(keys));
}

const indexKey = (schema: string, table: string, name: string): string => `${schema}\0${table}\0${name}`;

function withoutIndexes(schema: Schema, keys: Set<string>): Schema {
  const copy: Schema = structuredClone(schema);
  for (const table of copy.tables) {
    if (table.indexes) table.indexes = table.indexes.filter((i) => !keys.has(indexKey(table.schema ?? 'public', table.name, i.name)));
  }
  return copy;
}
