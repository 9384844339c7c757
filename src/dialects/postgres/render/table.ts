// CREATE TABLE (columns, primary key, unique and check constraints — indexes
// and foreign keys are separate statements), DROP TABLE, ADD/DROP COLUMN.
import { primaryKeyOf } from '../../../schema/canonical.js';
import type { Column, QualifiedName, Table } from '../../../schema/types.js';
import { quoteIdent, quoteQualified } from '../quote.js';
import { columnDefinition } from './column.js';
import { commentStatements } from './comments.js';
import { checkClause, primaryKeyClause, primaryKeyName, uniqueClause } from './constraints.js';
import { tableName } from './names.js';
import { serialPostlude, serialPrelude } from './sequence.js';

/** The statements creating the table itself, with any serial sequences around it. */
export function createTableStatements(table: Table): string[] {
  const name = tableName(table);
  const items = table.columns.map(columnDefinition);
  const pk = primaryKeyOf(table);
  if (pk) items.push(primaryKeyClause(pk));
  for (const u of table.unique_constraints ?? []) items.push(uniqueClause(u));
  for (const c of table.check_constraints ?? []) items.push(checkClause(c));
  return [
    ...table.columns.flatMap(serialPrelude),
    `CREATE ${table.unlogged ? 'UNLOGGED ' : ''}TABLE ${quoteQualified(name)} (${items.join(', ')})`,
    ...table.columns.flatMap((c) => serialPostlude(name, c)),
    ...tableCommentStatements(table),
  ];
}

export function dropTableSql(table: QualifiedName): string {
  return `DROP TABLE ${quoteQualified(table)}`;
}

export function addColumnStatements(table: QualifiedName, column: Column): string[] {
  return [
    ...serialPrelude(column),
    `ALTER TABLE ${quoteQualified(table)} ADD COLUMN ${columnDefinition(column)}`,
    ...serialPostlude(table, column),
    ...commentStatements({ kind: 'column', table, column: column.name }, column.comment),
  ];
}

export function dropColumnSql(table: QualifiedName, column: Pick<Column, 'name'>): string {
  return `ALTER TABLE ${quoteQualified(table)} DROP COLUMN ${quoteIdent(column.name)}`;
}

/** Comments of a new table: the table, its columns, primary key, unique and check constraints. */
export function tableCommentStatements(table: Table): string[] {
  const q = tableName(table);
  const out = commentStatements({ kind: 'table', table: q }, table.comment);
  for (const c of table.columns) out.push(...commentStatements({ kind: 'column', table: q, column: c.name }, c.comment));
  const pk = primaryKeyOf(table);
  if (pk) out.push(...constraintComment(q, primaryKeyName(q, pk), pk.comment));
  for (const u of table.unique_constraints ?? []) out.push(...constraintComment(q, u.name, u.comment));
  for (const c of table.check_constraints ?? []) out.push(...constraintComment(q, c.name, c.comment));
  return out;
}

export function constraintComment(table: QualifiedName, name: string, text: string | undefined): string[] {
  return commentStatements({ kind: 'constraint', table, name }, text);
}
