// Table constraints that are not foreign keys: primary key, unique, check.
import {
  addCheckStatements,
  addExclusionStatements,
  addPrimaryKeyStatements,
  addPrimaryKeyUsingIndexStatements,
  addUniqueUsingIndexStatements,
  validateConstraintSql,
  setPersistenceSql,
  addUniqueStatements,
  dropConstraintSql,
  dropPrimaryKeySql,
  primaryKeyName,
} from '../../dialects/postgres/render.js';
import type { QualifiedName } from '../../schema/types.js';
import { display, expressionTypeKeys, key, noDeps, PHASE, tableSortKey, tableObjectDeps, type ChangeHandler, type Deps } from './handler.js';

/** A key constraint (PK or unique): its columns must exist; it provides a unique key and an index name. */
function keyDeps(q: QualifiedName, name: string, columns: string[], adding: boolean, notNull: boolean): Deps {
  const own = [key.uniqueKey(q, columns), key.constraint(q, name), key.relation(q.schema, name)];
  const uses = [key.table(q), ...columns.flatMap((c) => [key.column(q, c), key.columnType(q, c)])];
  return tableObjectDeps(q, adding, own, uses, notNull ? columns.map((c) => key.notNull(q, c)) : []);
}

export const addPrimaryKey: ChangeHandler<'add_primary_key'> = {
  phase: PHASE.add_constraint,
  sortKey: (c) => tableSortKey(c.table, primaryKeyName(c.table, c.primary_key)),
  describe: (c) => `Add primary key ${primaryKeyName(c.table, c.primary_key)} to table ${display(c.table)}`,
  summary: (c) => `ADD PRIMARY KEY ${display(c.table)} (${c.primary_key.columns.join(', ')})`,
  sql: (c) => (c.using_index ? addPrimaryKeyUsingIndexStatements : addPrimaryKeyStatements)(c.table, c.primary_key),
  deps: (c) => keyDeps(c.table, primaryKeyName(c.table, c.primary_key), c.primary_key.columns, true, true),
};

export const dropPrimaryKey: ChangeHandler<'drop_primary_key'> = {
  phase: PHASE.drop_constraint,
  sortKey: (c) => tableSortKey(c.table, primaryKeyName(c.table, c.primary_key)),
  describe: (c) => `Drop primary key ${primaryKeyName(c.table, c.primary_key)} from table ${display(c.table)}`,
  summary: (c) => `DROP PRIMARY KEY ${display(c.table)}.${primaryKeyName(c.table, c.primary_key)}`,
  sql: (c) => [dropPrimaryKeySql(c.table, c.primary_key)],
  deps: (c) => keyDeps(c.table, primaryKeyName(c.table, c.primary_key), c.primary_key.columns, false, true),
};

export const addUnique: ChangeHandler<'add_unique'> = {
  phase: PHASE.add_constraint,
  sortKey: (c) => tableSortKey(c.table, c.constraint.name),
  describe: (c) => `Add unique constraint ${c.constraint.name} to table ${display(c.table)}`,
  summary: (c) => `ADD CONSTRAINT ${display(c.table)}.${c.constraint.name} UNIQUE`,
  sql: (c) => (c.using_index ? addUniqueUsingIndexStatements : addUniqueStatements)(c.table, c.constraint),
  deps: (c) => keyDeps(c.table, c.constraint.name, c.constraint.columns, true, false),
};

export const dropUnique: ChangeHandler<'drop_unique'> = {
  phase: PHASE.drop_constraint,
  sortKey: (c) => tableSortKey(c.table, c.constraint.name),
  describe: (c) => `Drop unique constraint ${c.constraint.name} from table ${display(c.table)}`,
  summary: (c) => `DROP CONSTRAINT ${display(c.table)}.${c.constraint.name}`,
  sql: (c) => [dropConstraintSql(c.table, c.constraint.name)],
  deps: (c) => keyDeps(c.table, c.constraint.name, c.constraint.columns, false, false),
};

export const addCheck: ChangeHandler<'add_check'> = {
  phase: PHASE.add_constraint,
  sortKey: (c) => tableSortKey(c.table, c.constraint.name),
  describe: (c) => `Add check constraint ${c.constraint.name} to table ${display(c.table)}${c.online ? ' (NOT VALID)' : ''}`,
  summary: (c) => `ADD CONSTRAINT ${display(c.table)}.${c.constraint.name} CHECK`,
  sql: (c) => addCheckStatements(c.table, c.constraint, c.online),
  deps: (c) => ({
    ...noDeps(),
    needs: [key.table(c.table), key.columnsAdded(c.table), ...expressionTypeKeys(c.constraint.expression)],
    produces: [key.constraint(c.table, c.constraint.name)],
  }),
};

export const dropCheck: ChangeHandler<'drop_check'> = {
  phase: PHASE.drop_constraint,
  sortKey: (c) => tableSortKey(c.table, c.constraint.name),
  describe: (c) => `Drop check constraint ${c.constraint.name} from table ${display(c.table)}`,
  summary: (c) => `DROP CONSTRAINT ${display(c.table)}.${c.constraint.name}`,
  sql: (c) => [dropConstraintSql(c.table, c.constraint.name)],
  deps: (c) => ({
    ...noDeps(),
    releases: [key.table(c.table), key.columnsRemoved(c.table), ...expressionTypeKeys(c.constraint.expression)],
    removes: [key.constraint(c.table, c.constraint.name)],
  }),
};

/** In a transaction of its own: it scans the table holding only a SHARE UPDATE EXCLUSIVE lock, writes go on. */
export const validateConstraint: ChangeHandler<'validate_constraint'> = {
  phase: PHASE.add_foreign_key,
  sortKey: (c) => tableSortKey(c.table, c.name),
  describe: (c) => (c.undo ? `Nothing to undo for the validation of ${c.name}` : `Validate constraint ${c.name} on table ${display(c.table)}`),
  summary: (c) => (c.undo ? `(no SQL)` : `VALIDATE CONSTRAINT ${display(c.table)}.${c.name}`),
  sql: (c) => (c.undo ? [] : [validateConstraintSql(c.table, c.name)]),
  deps: (c) => ({ ...noDeps(), needs: [key.constraint(c.table, c.name)] }),
};

// ---- Exclusion constraints and persistence -----------------------------------

const exclusionDeps = (q: QualifiedName, name: string, adding: boolean): Deps =>
  tableObjectDeps(q, adding, [key.constraint(q, name), key.relation(q.schema, name)], [key.table(q)]);

export const addExclusion: ChangeHandler<'add_exclusion'> = {
  phase: PHASE.add_constraint,
  sortKey: (c) => tableSortKey(c.table, c.constraint.name),
  describe: (c) => `Add exclusion constraint ${c.constraint.name} to table ${display(c.table)}`,
  summary: (c) => `ADD CONSTRAINT ${c.constraint.name} EXCLUDE`,
  sql: (c) => addExclusionStatements(c.table, c.constraint),
  deps: (c) => exclusionDeps(c.table, c.constraint.name, true),
};

export const dropExclusion: ChangeHandler<'drop_exclusion'> = {
  phase: PHASE.drop_constraint,
  sortKey: (c) => tableSortKey(c.table, c.constraint.name),
  describe: (c) => `Drop exclusion constraint ${c.constraint.name} from table ${display(c.table)}`,
  summary: (c) => `DROP CONSTRAINT ${c.constraint.name}`,
  sql: (c) => [dropConstraintSql(c.table, c.constraint.name)],
  deps: (c) => exclusionDeps(c.table, c.constraint.name, false),
};

export const setUnlogged: ChangeHandler<'set_unlogged'> = {
  phase: PHASE.alter_column,
  sortKey: (c) => tableSortKey(c.table),
  describe: (c) => `Make table ${display(c.table)} ${c.unlogged ? 'unlogged' : 'logged'}`,
  summary: (c) => `ALTER TABLE ${display(c.table)} SET ${c.unlogged ? 'UNLOGGED' : 'LOGGED'}`,
  sql: (c) => [setPersistenceSql(c.table, c.unlogged)],
  deps: (c) => ({ ...noDeps(), needs: [key.table(c.table)] }),
};
