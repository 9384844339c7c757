// Indexes. A unique index over plain columns can back a foreign key.
import { createIndexStatements, dropIndexSql } from '../../dialects/postgres/render.js';
import { indexKeys } from '../../schema/canonical.js';
import type { Index, QualifiedName } from '../../schema/types.js';
import { expressionTypeKeys, key, PHASE, tableObjectDeps, tableSortKey, type ChangeHandler, type Deps } from './handler.js';

function indexDeps(q: QualifiedName, index: Index, adding: boolean): Deps {
  const keys = indexKeys(index);
  const columns = [...keys.flatMap((k) => (k.column !== undefined ? [k.column] : [])), ...(index.include ?? [])];
  const own = [key.relation(q.schema, index.name)];
  if (index.unique && !index.where && keys.every((k) => k.column !== undefined)) own.push(key.uniqueKey(q, columns));
  const uses = [key.table(q), ...columns.map((c) => key.column(q, c)), ...expressionTypeKeys(index.where, ...keys.map((k) => k.expression))];
  return tableObjectDeps(q, adding, own, uses);
}

export const createIndex: ChangeHandler<'create_index'> = {
  phase: PHASE.create_index,
  sortKey: (c) => tableSortKey(c.table, c.index.name),
  describe: (c) => `Create ${c.for_constraint ? 'unique index for constraint' : 'index'} ${c.index.name}${c.online ? ' concurrently' : ''}`,
  summary: (c) => `CREATE INDEX ${c.online ? 'CONCURRENTLY ' : ''}${c.index.name}`,
  sql: (c) => createIndexStatements(c.table, c.index, c.online),
  deps: (c) => indexDeps(c.table, c.index, true),
};

export const dropIndex: ChangeHandler<'drop_index'> = {
  phase: PHASE.drop_constraint,
  sortKey: (c) => tableSortKey(c.table, c.index.name),
  describe: (c) => (c.for_constraint ? `Nothing to do for index ${c.index.name} (it went with its constraint)` : `Drop index ${c.index.name}${c.online ? ' concurrently' : ''}`),
  summary: (c) => `DROP INDEX ${c.online ? 'CONCURRENTLY ' : ''}${c.index.name}`,
  sql: (c) => (c.for_constraint ? [] : [dropIndexSql(c.table, c.index, c.online)]),
  deps: (c) => indexDeps(c.table, c.index, false),
};
