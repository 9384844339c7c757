// Renames: a rename takes away the old name's resources and produces the new
// one's, so every change that uses the new name orders after it. They run
// first (phase 0): every other change of the plan is written in new names.
import {
  renameColumnSql,
  renameConstraintSql,
  renameIndexSql,
  renameSequenceSql,
  renameTableSql,
} from '../../dialects/postgres/render.js';
import type { ConstraintKind } from '../../diff/changes.js';
import { display, key, noDeps, PHASE, tableSortKey, type ChangeHandler } from './handler.js';

const CONSTRAINT_WORDS: Record<ConstraintKind, string> = {
  primary_key: 'primary key',
  unique: 'unique constraint',
  check: 'check constraint',
  foreign_key: 'foreign key',
};

export const renameTable: ChangeHandler<'rename_table'> = {
  phase: PHASE.rename,
  sortKey: (c) => [c.schema, c.from],
  describe: (c) => `Rename table ${display({ schema: c.schema, name: c.from })} to ${c.to}`,
  summary: (c) => `RENAME TABLE ${display({ schema: c.schema, name: c.from })} TO ${c.to}`,
  sql: (c) => [renameTableSql({ schema: c.schema, name: c.from }, c.to)],
  deps: (c) => {
    const from = { schema: c.schema, name: c.from };
    const to = { schema: c.schema, name: c.to };
    return {
      ...noDeps(),
      removes: [key.table(from), key.relation(c.schema, c.from)],
      produces: [key.table(to), key.relation(c.schema, c.to)],
    };
  },
};

export const renameColumn: ChangeHandler<'rename_column'> = {
  phase: PHASE.rename,
  sortKey: (c) => tableSortKey(c.table, c.from),
  describe: (c) => `Rename column ${c.from} of table ${display(c.table)} to ${c.to}`,
  summary: (c) => `RENAME COLUMN ${display(c.table)}.${c.from} TO ${c.to}`,
  sql: (c) => [renameColumnSql(c.table, c.from, c.to)],
  deps: (c) => ({
    ...noDeps(),
    needs: [key.table(c.table)],
    // Not the column's type: a type change of the renamed column (which removes and produces it) runs after.
    removes: [key.column(c.table, c.from)],
    produces: [key.column(c.table, c.to), key.columnsAdded(c.table)],
  }),
};

export const renameIndex: ChangeHandler<'rename_index'> = {
  phase: PHASE.rename,
  sortKey: (c) => tableSortKey(c.table, c.from),
  describe: (c) => `Rename index ${c.from} to ${c.to}`,
  summary: (c) => `RENAME INDEX ${c.from} TO ${c.to}`,
  sql: (c) => [renameIndexSql(c.table, c.from, c.to)],
  deps: (c) => ({
    ...noDeps(),
    needs: [key.table(c.table)],
    removes: [key.relation(c.table.schema, c.from)],
    produces: [key.relation(c.table.schema, c.to)],
  }),
};

export const renameConstraint: ChangeHandler<'rename_constraint'> = {
  phase: PHASE.rename,
  sortKey: (c) => tableSortKey(c.table, c.from),
  describe: (c) => `Rename ${CONSTRAINT_WORDS[c.constraint]} ${c.from} of table ${display(c.table)} to ${c.to}`,
  summary: (c) => `RENAME CONSTRAINT ${display(c.table)}.${c.from} TO ${c.to}`,
  sql: (c) => [renameConstraintSql(c.table, c.from, c.to)],
  deps: (c) => {
    // Key constraints own an index of the same name, in the relation namespace.
    const index = c.constraint === 'primary_key' || c.constraint === 'unique';
    return {
      ...noDeps(),
      needs: [key.table(c.table)],
      removes: [key.constraint(c.table, c.from), ...(index ? [key.relation(c.table.schema, c.from)] : [])],
      produces: [key.constraint(c.table, c.to), ...(index ? [key.relation(c.table.schema, c.to)] : [])],
    };
  },
};

export const renameSequence: ChangeHandler<'rename_sequence'> = {
  phase: PHASE.rename,
  sortKey: (c) => [c.sequence.schema, c.sequence.name],
  describe: (c) => `Rename sequence ${display(c.sequence)} to ${c.to}`,
  summary: (c) => `RENAME SEQUENCE ${display(c.sequence)} TO ${c.to}`,
  sql: (c) => [renameSequenceSql(c.sequence, c.to)],
  deps: (c) => ({
    ...noDeps(),
    removes: [key.relation(c.sequence.schema, c.sequence.name)],
    produces: [key.relation(c.sequence.schema, c.to)],
  }),
};
