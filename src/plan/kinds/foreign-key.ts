// Foreign keys: added last (after every table, key and column they stand on),
// dropped first.
import { addForeignKeyStatements, dropConstraintSql } from '../../dialects/postgres/render.js';
import type { ForeignKey, QualifiedName } from '../../schema/types.js';
import { display, key, PHASE, tableObjectDeps, tableSortKey, type ChangeHandler, type Deps } from './handler.js';

export function referencedTable(q: QualifiedName, fk: ForeignKey): QualifiedName {
  return { schema: fk.referenced_schema ?? q.schema, name: fk.referenced_table };
}

function fkDeps(q: QualifiedName, fk: ForeignKey, adding: boolean): Deps {
  const ref = referencedTable(q, fk);
  const uses = [
    key.table(q),
    key.table(ref),
    key.uniqueKey(ref, fk.referenced_columns),
    ...fk.columns.flatMap((c) => [key.column(q, c), key.columnType(q, c)]),
    ...fk.referenced_columns.flatMap((c) => [key.column(ref, c), key.columnType(ref, c)]),
  ];
  const own = [key.constraint(q, fk.name)];
  return tableObjectDeps(q, adding, own, uses, [key.columnsRemoved(ref)]);
}

export const addForeignKey: ChangeHandler<'add_foreign_key'> = {
  phase: PHASE.add_foreign_key,
  sortKey: (c) => tableSortKey(c.table, c.foreign_key.name),
  describe: (c) => `Add foreign key ${c.foreign_key.name} to table ${display(c.table)}${c.online ? ' (NOT VALID)' : ''}`,
  summary: (c) => `ADD CONSTRAINT ${display(c.table)}.${c.foreign_key.name} FOREIGN KEY`,
  sql: (c) => addForeignKeyStatements(c.table, c.foreign_key, c.online),
  deps: (c) => fkDeps(c.table, c.foreign_key, true),
};

export const dropForeignKey: ChangeHandler<'drop_foreign_key'> = {
  phase: PHASE.drop_foreign_key,
  sortKey: (c) => tableSortKey(c.table, c.foreign_key.name),
  describe: (c) => `Drop foreign key ${c.foreign_key.name} from table ${display(c.table)}`,
  summary: (c) => `DROP CONSTRAINT ${display(c.table)}.${c.foreign_key.name}`,
  sql: (c) => [dropConstraintSql(c.table, c.foreign_key.name)],
  deps: (c) => fkDeps(c.table, c.foreign_key, false),
};
