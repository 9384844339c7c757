// The Postgres introspector: reads pg_catalog in a fixed number of round
// trips (one per object kind; view definitions in batches, see
// introspect/view-definitions.ts) and assembles the IR in TypeScript.
import { canonicalGrants, canonicalize } from '../../schema/canonical.js';
import { PUBLIC_SCHEMA_DEFAULT, sameGrants } from '../../diff/grants.js';
import { filterSchema, isEmptyFilter, type SchemaFilter } from '../../schema/filter.js';
import { settledCanonical } from '../../schema/canonical-once.js';
import type { Namespace, Schema, Table } from '../../schema/types.js';
import type { PgSession } from './session.js';
import { readColumns } from './introspect/columns.js';
import { readConstraints } from './introspect/constraints.js';
import { readEnums } from './introspect/enums.js';
import { readIndexes } from './introspect/indexes.js';
import { readManagedNamespaces, readTables } from './introspect/scope.js';
import { ownerKey, readDepends } from './introspect/depends.js';
import { columnGrantTables, grantKey, readDefaultPrivileges, readGrants } from './introspect/grants.js';
import { readUnmodelled, type UnmodelledObject } from './introspect/unmodelled.js';
export { unmodelledWarning, type UnmodelledObject } from './introspect/unmodelled.js';
import { readAggregates } from './introspect/aggregates.js';
import { constructorRefsToTypes, readRanges } from './introspect/ranges.js';
import { readComposites, readDomains, readExtensions, readPolicies, readRoutines, readSequences, readTriggers, readViews, type SerialComments } from './introspect/objects.js';

/** The filter (`schemas`: only these namespaces, default all user namespaces; exclusions, globs) decides what is read. */
export interface IntrospectOptions extends SchemaFilter {
  /** Told about objects Lockplane does not model (they are left out of the schema). */
  onUnmodelled?: (objects: UnmodelledObject[]) => void;
  /** A second connection to the same database: half of the catalog queries run on it, at the same time. */
  alongside?: PgSession;
  /**
   * The session is inside a transaction block (apply's checks): the locks
   * reading view definitions takes are released batch by batch instead of
   * held to the transaction's end (see introspect/view-definitions.ts).
   */
  inTransaction?: boolean;
}

/** The settings of a reading session (see introspect), and their reset. */
const READING = 'SET search_path = pg_catalog; SET jit = off; SET max_parallel_workers_per_gather = 0; SET work_mem = 65536';
const DONE_READING = 'RESET search_path; RESET jit; RESET max_parallel_workers_per_gather; RESET work_mem';

export async function introspect(session: PgSession, options: IntrospectOptions = {}): Promise<Schema> {
  // With only pg_catalog on the path, format_type, pg_get_expr and regclass
  // qualify every user object, so the output does not depend on the caller's path.
  // JIT off, as pg_dump does: the catalog queries are cheap to run but their
  // estimated cost passes jit_above_cost on a large schema, and compiling them
  // took ~0.8 s per query at 10,000 tables. No parallel workers: each starts
  // with cold catalog caches and the reads already run two at a time. A
  // larger work_mem keeps the sorts of 100,000 column rows in memory. Both
  // took a read at 10,000 tables from 4.3 to 3.4 s (in-process, 5 rounds).
  const sessions = options.alongside ? [session, options.alongside] : [session];
  for (const s of sessions) await s.exec(READING);
  let schema: Schema;
  try {
    schema = await read(session, options);
  } catch (error) {
    for (const s of sessions) await s.exec(DONE_READING).catch(() => undefined);
    throw error;
  }
  for (const s of sessions) await s.exec(DONE_READING);
  return schema;
}

async function read(session: PgSession, options: IntrospectOptions): Promise<Schema> {
  // Excluded namespaces are not read at all; name globs apply to what was read.
  const namespaceRows = await readManagedNamespaces(session, options);
  const namespaces = namespaceRows.map((n) => n.name);
  const second = options.alongside ?? session;
  // Every query is sent at once, a chain per connection: each connection runs
  // its queue back to back while the rows already in are turned into objects
  // (a read that needs another's result awaits it after its own query). Given
  // a second connection, the server works on both chains at the same time.
  // Promise.all holds every promise, so a failure leaves none unhandled.
  const relations = Promise.all([
    readTables(session, namespaces),
    readColumns(session, namespaces),
    readConstraints(session, namespaces),
    readIndexes(session, namespaces),
    readExtensions(session, namespaces),
  ]);
  const dependsRead = readDepends(second, namespaces);
  const grantsRead = readGrants(second, namespaces);
  const triggersRead = readTriggers(second, namespaces, dependsRead);
  const serialComments: SerialComments = new Map();
  const objects = Promise.all([
    dependsRead,
    grantsRead,
    readEnums(second, namespaces, grantsRead),
    triggersRead,
    readPolicies(second, namespaces, dependsRead),
    readSequences(second, namespaces, grantsRead, serialComments),
    readViews(second, namespaces, dependsRead, triggersRead, grantsRead, options.inTransaction),
    readRoutines(second, namespaces, dependsRead, grantsRead),
    readAggregates(second, namespaces, dependsRead, grantsRead),
    readDomains(second, namespaces, dependsRead, grantsRead),
    readComposites(second, namespaces, grantsRead),
    readRanges(second, namespaces, grantsRead),
    readDefaultPrivileges(second, namespaces),
    options.onUnmodelled ? readUnmodelled(second, namespaces) : [],
  ]);
  const [[tableRows, columns, constraints, indexes, extensions], [depends, grants, types, triggers, policies, sequences, views, routines, aggregates, domains, composite_types, range_types, default_privileges, unmodelled]] =
    await Promise.all([relations, objects]);
  const functions = [...routines, ...aggregates];
  // Column grants are rare: most tables need not look up each of their columns.
  const tablesWithColumnGrants = columnGrantTables(grants);
  const tables = tableRows.map((row): Table => {
    const table: Table = { schema: row.schema_name, name: row.table_name, columns: columns.get(row.oid) ?? [] };
    if (row.comment !== null) table.comment = row.comment;
    const c = constraints.get(row.oid);
    if (c?.primary_key) table.primary_key = c.primary_key;
    if (c?.unique_constraints.length) table.unique_constraints = c.unique_constraints;
    if (c?.check_constraints.length) table.check_constraints = c.check_constraints;
    if (c?.foreign_keys.length) table.foreign_keys = c.foreign_keys;
    if (c?.exclusion_constraints.length) table.exclusion_constraints = c.exclusion_constraints;
    if (row.unlogged) table.unlogged = true;
    if (row.partition_by !== null) table.partition_by = row.partition_by;
    if (row.parent_table !== null && row.partition_bound !== null) {
      table.partition_of = { schema: row.parent_schema ?? row.schema_name, table: row.parent_table, bound: row.partition_bound };
      if (row.attached_indexes?.length) table.partition_of.attached_indexes = row.attached_indexes;
    }
    const idx = indexes.get(row.oid);
    if (idx?.length) table.indexes = idx;
    const trg = triggers.get(row.oid);
    if (trg?.length) table.triggers = trg;
    if (row.row_security) table.row_security = true;
    if (row.force_row_security) table.force_row_security = true;
    const pol = policies.get(row.oid);
    if (pol?.length) table.policies = pol;
    const refs = depends.get(ownerKey('table', row.oid));
    if (refs) table.depends_on = refs;
    const g = grants.get(grantKey('relation', row.oid));
    if (g) table.grants = g;
    if (tablesWithColumnGrants.has(row.oid)) {
      for (const col of table.columns) {
        const cg = grants.get(grantKey('column', row.oid, col.name));
        if (cg) col.grants = cg;
      }
    }
    return table;
  });
  const schemas = namespaceRows.map((n): Namespace => {
    const ns: Namespace = n.comment === null ? { name: n.name } : { name: n.name, comment: n.comment };
    const g = grants.get(grantKey('schema', n.name));
    if (n.name === 'public') {
      // The default of a new database is left out; its absence is spelled as an empty list.
      if (!g) ns.grants = [];
      else if (!sameGrants(canonicalGrants(g), PUBLIC_SCHEMA_DEFAULT)) ns.grants = g;
    } else if (g) ns.grants = g;
    return ns;
  });
  if (serialComments.size > 0) {
    for (const t of tables) {
      for (const c of t.columns) {
        const comment = serialComments.get(`${t.schema}.${t.name}\u0000${c.name}`);
        if (comment !== undefined) c.sequence_comment = comment;
      }
    }
  }
  if (options.onUnmodelled) options.onUnmodelled(unmodelled);
  const schema = constructorRefsToTypes({ dialect: 'postgres', schemas, types, tables, extensions, sequences, views, functions, domains, composite_types, range_types, default_privileges });
  // Unfiltered, the result is canonicalize's own: buildPlan need not canonicalize it again.
  return isEmptyFilter(options) ? settledCanonical(canonicalize(schema)) : filterSchema(canonicalize(schema), options);
}
