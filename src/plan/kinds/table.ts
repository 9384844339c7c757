// Tables: created with their columns, primary key, unique and check
// constraints (indexes and foreign keys are their own changes).
import { createTableStatements, dropTableSql, primaryKeyName, setPartitionStatements, tableName } from '../../dialects/postgres/render.js';
import { primaryKeyOf } from '../../schema/canonical.js';
import type { PartitionOf, QualifiedName, Table } from '../../schema/types.js';
import { refKeys } from './objects.js';
import { columnKeys, display, key, noDeps, PHASE, tableSortKey, type ChangeHandler } from './handler.js';

/** Everything a table brings into existence (or takes away when dropped). */
function tableResources(t: Table): string[] {
  const q = tableName(t);
  const out = [key.table(q), key.relation(q.schema, q.name)];
  for (const c of t.columns) out.push(key.column(q, c.name), key.columnType(q, c.name));
  const pk = primaryKeyOf(t);
  if (pk) {
    const name = primaryKeyName(q, pk);
    out.push(key.uniqueKey(q, pk.columns), key.constraint(q, name), key.relation(q.schema, name));
  }
  for (const u of t.unique_constraints ?? []) {
    out.push(key.uniqueKey(q, u.columns), key.constraint(q, u.name), key.relation(q.schema, u.name));
  }
  for (const c of t.check_constraints ?? []) out.push(key.constraint(q, c.name));
  return out;
}

export const createTable: ChangeHandler<'create_table'> = {
  phase: PHASE.create_table,
  sortKey: (c) => tableSortKey(tableName(c.table)),
  describe: (c) => `Create table ${display(tableName(c.table))}`,
  summary: (c) => `CREATE TABLE ${display(tableName(c.table))}`,
  sql: (c) => createTableStatements(c.table),
  deps: (c) => ({
    ...noDeps(),
    needs: [key.schema(tableName(c.table).schema), ...c.table.columns.flatMap(columnKeys), ...refKeys(c.table.depends_on), ...parentKeys(c.table)],
    produces: [...tableResources(c.table), key.columnsAdded(tableName(c.table))],
  }),
};

export const dropTable: ChangeHandler<'drop_table'> = {
  phase: PHASE.drop_table,
  sortKey: (c) => tableSortKey(tableName(c.table)),
  describe: (c) => `Drop table ${display(tableName(c.table))}`,
  summary: (c) => `DROP TABLE ${display(tableName(c.table))}`,
  sql: (c) => [dropTableSql(tableName(c.table))],
  deps: (c) => ({
    ...noDeps(),
    releases: [key.schema(tableName(c.table).schema), ...c.table.columns.flatMap(columnKeys), ...refKeys(c.table.depends_on), ...parentKeys(c.table)],
    removes: [...tableResources(c.table), key.columnsRemoved(tableName(c.table))],
  }),
};

/** A partition is created after its parent (and its parent's column changes) and dropped before them. */
function parentKeys(t: Table): string[] {
  if (!t.partition_of) return [];
  const parent = partitionParent(tableName(t), t.partition_of);
  return [key.table(parent), ...t.columns.map((c) => key.columnType(parent, c.name))];
}

function partitionParent(table: QualifiedName, of: PartitionOf): QualifiedName {
  return { schema: of.schema ?? table.schema, name: of.table };
}

export const setPartition: ChangeHandler<'set_partition'> = {
  phase: PHASE.alter_column,
  sortKey: (c) => tableSortKey(c.table),
  describe: (c) => {
    const parts = [
      ...(c.from ? [`detach from ${display(partitionParent(c.table, c.from))}`] : []),
      ...(c.to ? [`attach to ${display(partitionParent(c.table, c.to))} ${c.to.bound}`] : []),
    ];
    return `Partition ${display(c.table)}: ${parts.join(', then ')}`;
  },
  summary: (c) => `ALTER TABLE … ${c.to ? 'ATTACH' : 'DETACH'} PARTITION ${display(c.table)}`,
  sql: (c) => setPartitionStatements(c.table, c.from, c.to),
  // Attached once its columns match the parent's (both changed first); detached before either changes again.
  deps: (c) => {
    const d = noDeps();
    d.needs.push(key.table(c.table), key.columnsAdded(c.table));
    if (c.to) {
      const parent = partitionParent(c.table, c.to);
      d.needs.push(key.table(parent), ...c.columns.map((col) => key.columnType(parent, col)), ...c.columns.map((col) => key.columnType(c.table, col)));
    }
    // A move (new bound) runs after the parent's changes reached the partition; a table leaving runs before them.
    if (c.from && !c.to) {
      const parent = partitionParent(c.table, c.from);
      d.releases.push(key.table(parent), ...c.columns.flatMap((col) => [key.columnType(parent, col), key.columnType(c.table, col), key.column(c.table, col)]));
    }
    return d;
  },
};
