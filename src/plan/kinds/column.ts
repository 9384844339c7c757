// Columns: add, drop, alter (type, default, nullability, identity in one statement).
import {
  addColumnStatements,
  alterColumnStatements,
  dropColumnSql,
  typeChanged,
} from '../../dialects/postgres/render.js';
import type { Column } from '../../schema/types.js';
import { columnKeys, display, key, noDeps, PHASE, tableSortKey, type ChangeHandler } from './handler.js';

export const addColumn: ChangeHandler<'add_column'> = {
  phase: PHASE.add_column,
  sortKey: (c, ctx) => tableSortKey(c.table, String(ctx.columnOrdinal(c.table, c.column.name)).padStart(6, '0'), c.column.name),
  describe: (c) => `Add column ${c.column.name} to table ${display(c.table)}`,
  summary: (c) => `ADD COLUMN ${display(c.table)}.${c.column.name}`,
  sql: (c) => addColumnStatements(c.table, c.column),
  deps: (c) => ({
    ...noDeps(),
    needs: [key.table(c.table), ...columnKeys(c.column)],
    produces: [key.column(c.table, c.column.name), key.columnType(c.table, c.column.name), key.columnsAdded(c.table)],
  }),
};

export const dropColumn: ChangeHandler<'drop_column'> = {
  phase: PHASE.drop_column,
  sortKey: (c) => tableSortKey(c.table, c.column.name),
  describe: (c) => `Drop column ${c.column.name} from table ${display(c.table)}`,
  summary: (c) => `DROP COLUMN ${display(c.table)}.${c.column.name}`,
  sql: (c) => [dropColumnSql(c.table, c.column)],
  deps: (c) => ({
    ...noDeps(),
    releases: [key.table(c.table), ...columnKeys(c.column)],
    removes: [key.column(c.table, c.column.name), key.columnType(c.table, c.column.name), key.columnsRemoved(c.table)],
  }),
};

/** What an alter does, in words: "change type from integer to bigint, set NOT NULL". */
export function alterParts(from: Column, to: Column): string[] {
  const parts: string[] = [];
  if (from.type !== to.type) parts.push(`change type from ${from.type} to ${to.type}`);
  if ((from.collation ?? '') !== (to.collation ?? '')) parts.push(`change collation to ${to.collation ?? 'default'}`);
  if (from.default !== to.default) parts.push(to.default === undefined ? 'drop default' : `set default ${to.default}`);
  if (from.nullable !== to.nullable) parts.push(to.nullable ? 'drop NOT NULL' : 'set NOT NULL');
  if (!from.identity && to.identity) parts.push(`add identity (${to.identity.generation})`);
  else if (from.identity && !to.identity) parts.push('drop identity');
  else if (from.identity && to.identity && JSON.stringify(from.identity) !== JSON.stringify(to.identity)) parts.push('change identity options');
  return parts;
}

export const alterColumn: ChangeHandler<'alter_column'> = {
  phase: PHASE.alter_column,
  sortKey: (c) => tableSortKey(c.table, c.to.name),
  describe: (c) => `Alter column ${c.to.name} in table ${display(c.table)} (${alterParts(c.from, c.to).join(', ')})`,
  summary: (c) => `ALTER COLUMN ${display(c.table)}.${c.to.name}`,
  sql: (c) => alterColumnStatements(c.table, c.from, c.to),
  deps: (c) => {
    const d = noDeps();
    d.needs.push(key.table(c.table), key.column(c.table, c.to.name));
    d.produces.push(key.columnsAdded(c.table));
    if (typeChanged(c.from, c.to)) {
      // The two halves of a move through text: the first hands over to the second.
      if (c.via_text !== 'second') d.removes.push(key.columnType(c.table, c.to.name));
      if (c.via_text === 'first') d.produces.push(key.viaText(c.table, c.to.name));
      else d.produces.push(key.columnType(c.table, c.to.name));
      if (c.via_text === 'second') d.needs.push(key.viaText(c.table, c.to.name));
    }
    if (!c.from.nullable && c.to.nullable) d.removes.push(key.notNull(c.table, c.to.name));
    // A type the column starts using exists first; one it stops using is dropped (or recreated) after.
    const uses = columnKeys(c.to);
    d.needs.push(...uses);
    d.releases.push(...columnKeys(c.from).filter((k) => !uses.includes(k)));
    return d;
  },
};
