// Tables: created with their columns, primary key, unique and check
// constraints (indexes and foreign keys are their own changes).
import { createTableStatements, dropTableSql, primaryKeyName, tableName } from '../../dialects/postgres/render.js';
import { primaryKeyOf } from '../../schema/canonical.js';
import type { Table } from '../../schema/types.js';
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
    needs: [key.schema(tableName(c.table).schema), ...c.table.columns.flatMap(columnKeys), ...refKeys(c.table.depends_on)],
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
    releases: [key.schema(tableName(c.table).schema), ...c.table.columns.flatMap(columnKeys), ...refKeys(c.table.depends_on)],
    removes: [...tableResources(c.table), key.columnsRemoved(tableName(c.table))],
  }),
};
