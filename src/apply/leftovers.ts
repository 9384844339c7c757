// What an interrupted non-transactional step leaves behind. A CREATE INDEX
// CONCURRENTLY that is cancelled, fails, or loses its connection leaves an
// INVALID index under its name: it is dropped (DROP INDEX CONCURRENTLY)
// before the step runs again. A build that finished after Lockplane died
// (the server completes a statement whose client is gone) leaves a valid
// index: the step counts as done when the database minus that index is
// exactly the state before the step. An interrupted DROP INDEX CONCURRENTLY
// (online mode) can leave its index INVALID: the drop, which was wanted, is
// finished, and the step counts as done when the database plus that index
// is exactly the state before the step.
import { introspect } from '../dialects/postgres/introspect.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import type { PgSession } from '../dialects/postgres/session.js';
import { schemaHash } from '../schema/hash.js';
import type { Change } from '../diff/changes.js';
import type { Schema } from '../schema/types.js';
import { stepStatements, type PlanStep } from '../plan/types.js';
import type { SchemaFilter } from '../schema/filter.js';

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
}

async function indexState(session: PgSession, index: ConcurrentIndex): Promise<IndexState | null> {
  const table = index.schema === null ? quoteIdent(index.table) : `${quoteIdent(index.schema)}.${quoteIdent(index.table)}`;
  const rows = await session.query<{ schema: string; valid: boolean }>(
    `SELECT n.nspname AS schema, i.indisvalid AS valid
       FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = $1 AND i.indrelid = to_regclass($2)`,
    [index.name, table],
  );
  return rows[0] ?? null;
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

/** The hash of the database when the online drop is done and nothing else differs from the state before it; null otherwise. */
async function droppedDespiteLedger(session: PgSession, drop: OnlineDrop, hashBefore: string, scope: SchemaFilter): Promise<string | null> {
  if (await indexState(session, dropped(drop))) return null;
  const live = await introspect(session, scope);
  const before: Schema = structuredClone(live);
  const table = before.tables.find((t) => (t.schema ?? 'public') === drop.table.schema && t.name === drop.table.name);
  if (!table) return null;
  table.indexes = [...(table.indexes ?? []), structuredClone(drop.index)];
  return schemaHash(before) === hashBefore ? schemaHash(live) : null;
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
 * The hash of the database when the step completed although the ledger did
 * not see it finish (its indexes are there and valid, and nothing else
 * differs from the state before it); null otherwise.
 */
export async function completedDespiteLedger(
  session: PgSession,
  step: PlanStep,
  hashBefore: string,
  scope: SchemaFilter,
): Promise<string | null> {
  const drop = onlineDrop(step);
  if (drop) return droppedDespiteLedger(session, drop, hashBefore, scope);
  const indexes = await concurrentIndexes(step);
  if (!indexes) return null;
  const located: { schema: string; index: ConcurrentIndex }[] = [];
  for (const index of indexes) {
    const state = await indexState(session, index);
    if (!state?.valid) return null;
    located.push({ schema: state.schema, index });
  }
  const live = await introspect(session, scope);
  const without = withoutIndexes(live, new Set(located.map(({ schema, index }) => indexKey(schema, index.table, index.name))));
  return schemaHash(without) === hashBefore ? schemaHash(live) : null;
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
