// CREATE TABLE (columns, primary key, unique and check constraints — indexes
// and foreign keys are separate statements), DROP TABLE, ADD/DROP COLUMN.
import { primaryKeyOf } from '../../../schema/canonical.js';
import type { Column, PartitionOf, QualifiedName, Table } from '../../../schema/types.js';
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
    ...(table.partition_of
      ? createPartitionStatements(table)
      : [`CREATE ${table.unlogged ? 'UNLOGGED ' : ''}TABLE ${quoteQualified(name)} (${items.join(', ')})${table.partition_by ? ` PARTITION BY ${table.partition_by}` : ''}`]),
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

/**
 * A partition takes its columns from its parent. Its own defaults and NOT NULL
 * (which may differ) are set after it is created — ALTER, not an inline
 * override, so that a NOT NULL it inherits does not get a second constraint
 * (which Postgres 18 refuses when the parent's column later changes type).
 */
function createPartitionStatements(table: Table): string[] {
  const of = table.partition_of!;
  const name = tableName(table);
  const parent = { schema: of.schema ?? name.schema, name: of.table };
  const items: string[] = [];
  const pk = primaryKeyOf(table);
  if (pk) items.push(primaryKeyClause(pk));
  for (const u of table.unique_constraints ?? []) items.push(uniqueClause(u));
  for (const k of table.check_constraints ?? []) items.push(checkClause(k));
  const list = items.length ? ` (${items.join(', ')})` : '';
  const partitioned = table.partition_by ? ` PARTITION BY ${table.partition_by}` : '';
  const alter = (c: Column): string => `ALTER TABLE ${quoteQualified(name)} ALTER COLUMN ${quoteIdent(c.name)}`;
  return [
    `CREATE TABLE ${quoteQualified(name)} PARTITION OF ${quoteQualified(parent)}${list} ${of.bound}${partitioned}`,
    ...table.columns.flatMap((c) => [
      ...(c.default !== undefined && !c.generated && !c.identity ? [`${alter(c)} SET DEFAULT ${c.default}`] : []),
      ...(c.nullable ? [] : [`${alter(c)} SET NOT NULL`]),
    ]),
  ];
}

/** DETACH from the old parent, ATTACH to the new one. */
export function setPartitionStatements(table: QualifiedName, from: PartitionOf | undefined, to: PartitionOf | undefined): string[] {
  const parentOf = (p: PartitionOf) => quoteQualified({ schema: p.schema ?? table.schema, name: p.table });
  return [
    ...(from ? [`ALTER TABLE ${parentOf(from)} DETACH PARTITION ${quoteQualified(table)}`] : []),
    // Detached, its copies of the parent's indexes would stay as indexes of its own.
    ...(from?.attached_indexes ?? []).map((name) => `DROP INDEX ${quoteQualified({ schema: table.schema, name })}`),
    ...(to ? [`ALTER TABLE ${parentOf(to)} ATTACH PARTITION ${quoteQualified(table)} ${to.bound}`] : []),
  ];
}
