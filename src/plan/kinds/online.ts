// The online rewrites' own change kinds (see plan/online-column.ts): a
// batched backfill, the trigger keeping a new column in sync during a type
// change, and the swap that ends the type change. They run after the column
// they fill or swap exists, in the position of the change they rewrite.
import {
  backfillParts,
  backfillSql,
  createColumnSyncStatements,
  dropColumnSyncStatements,
  swapColumnStatements,
  unswapColumnStatements,
} from '../../dialects/postgres/render/online.js';
import { display, key, noDeps, PHASE, tableSortKey, type ChangeHandler } from './handler.js';

export const backfillColumn: ChangeHandler<'backfill_column'> = {
  phase: PHASE.alter_column,
  sortKey: (c) => tableSortKey(c.table, c.column),
  describe: (c) =>
    c.undo
      ? `Nothing to undo for the backfill of ${c.column} in table ${display(c.table)}`
      : `Backfill column ${c.column} of table ${display(c.table)} in batches by primary key (${c.column} = ${c.expression})`,
  summary: (c) => (c.undo ? '(no SQL)' : `UPDATE ${display(c.table)} SET ${c.column} in batches`),
  sql: (c) => (c.undo ? [] : [backfillSql(c.table, backfillParts(c.column, c.expression, c.source))]),
  deps: (c) => ({ ...noDeps(), needs: [key.table(c.table), key.column(c.table, c.column)] }),
};

export const createColumnSync: ChangeHandler<'create_column_sync'> = {
  phase: PHASE.alter_column,
  sortKey: (c) => tableSortKey(c.table, c.to),
  describe: (c) => `Keep column ${c.to} of table ${display(c.table)} in sync with ${c.from} (trigger ${c.name})`,
  summary: (c) => `CREATE TRIGGER ${c.name} ON ${display(c.table)}`,
  sql: (c) => createColumnSyncStatements(c),
  deps: (c) => ({ ...noDeps(), needs: [key.table(c.table), key.column(c.table, c.to)] }),
};

export const dropColumnSync: ChangeHandler<'drop_column_sync'> = {
  phase: PHASE.alter_column,
  sortKey: (c) => tableSortKey(c.table, c.to),
  describe: (c) => `Stop keeping column ${c.to} of table ${display(c.table)} in sync with ${c.from} (drop trigger ${c.name})`,
  summary: (c) => `DROP TRIGGER ${c.name} ON ${display(c.table)}`,
  sql: (c) => dropColumnSyncStatements(c),
  deps: (c) => ({ ...noDeps(), releases: [key.table(c.table)] }),
};

export const swapColumn: ChangeHandler<'swap_column'> = {
  phase: PHASE.alter_column,
  sortKey: (c) => tableSortKey(c.table, c.to.name),
  describe: (c) =>
    c.undo
      ? `Switch column ${c.to.name} of table ${display(c.table)} back to ${c.from.type} (converts every row while the table is locked), keeping the ${c.to.type} copy as ${c.temporary}`
      : `Switch column ${c.to.name} of table ${display(c.table)} to ${c.to.type}: drop the ${c.from.type} column, rename ${c.temporary} to ${c.to.name}`,
  summary: (c) => `SWAP COLUMN ${display(c.table)}.${c.to.name} (${c.undo ? c.from.type : c.to.type})`,
  sql: (c) => (c.undo ? unswapColumnStatements(c) : swapColumnStatements(c)),
  deps: (c) => ({ ...noDeps(), needs: [key.table(c.table), key.column(c.table, c.to.name)], produces: [key.columnType(c.table, c.to.name)] }),
};
