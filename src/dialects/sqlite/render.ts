// Schema (dialect "sqlite") → SQLite DDL. Every identifier through quoteIdent;
// expressions (defaults, checks, generated, index keys, WHERE, views,
// triggers) are SQL text the introspector read back, written as they are.
import type { Column, ForeignKey, Index, Schema, Table, View } from '../../schema/types.js';
import { quoteIdent } from './quote.js';

export function createTableSql(table: Table, name: string = table.name): string {
  const pk = table.primary_key;
  const inlineAuto = pk?.autoincrement && pk.columns.length === 1 ? pk.columns[0] : undefined;
  const parts = table.columns.map((c) => columnSql(c, c.name === inlineAuto));
  if (pk && !inlineAuto) parts.push(`${named(pk.name)}PRIMARY KEY (${pk.columns.map(quoteIdent).join(', ')})`);
  for (const u of table.unique_constraints ?? []) parts.push(`${named(u.name)}UNIQUE (${u.columns.map(quoteIdent).join(', ')})`);
  for (const c of table.check_constraints ?? []) parts.push(`${named(c.name)}CHECK (${c.expression})`);
  for (const fk of table.foreign_keys ?? []) parts.push(foreignKeySql(fk));
  const options = [table.without_rowid ? 'WITHOUT ROWID' : '', table.strict ? 'STRICT' : ''].filter(Boolean).join(', ');
  return `CREATE TABLE ${quoteIdent(name)} (\n  ${parts.join(',\n  ')}\n)${options ? ` ${options}` : ''}`;
}

function named(name: string | undefined): string {
  return name ? `CONSTRAINT ${quoteIdent(name)} ` : '';
}

export function columnSql(column: Column, autoincrementKey = false): string {
  let sql = quoteIdent(column.name);
  if (column.type) sql += ` ${column.type}`;
  if (autoincrementKey) sql += ' PRIMARY KEY AUTOINCREMENT';
  if (column.collation) sql += ` COLLATE ${quoteIdent(column.collation)}`;
  if (!column.nullable) sql += ' NOT NULL';
  if (column.default !== undefined) sql += ` DEFAULT ${defaultSql(column.default)}`;
  if (column.generated) sql += ` GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.kind === 'stored' ? 'STORED' : 'VIRTUAL'}`;
  return sql;
}

/** A literal stays bare; anything else is parenthesized, as SQLite requires for expressions. */
export function defaultSql(expression: string): string {
  if (isLiteralDefault(expression)) return expression;
  return expression.startsWith('(') && expression.endsWith(')') ? expression : `(${expression})`;
}

export function isLiteralDefault(expression: string): boolean {
  return /^('([^']|'')*'|[+-]?\d+(\.\d+)?([eE][+-]?\d+)?|0x[0-9a-fA-F]+|[xX]'[0-9a-fA-F]*'|NULL|TRUE|FALSE|CURRENT_TIME|CURRENT_DATE|CURRENT_TIMESTAMP)$/i.test(expression.trim());
}

function foreignKeySql(fk: ForeignKey): string {
  let sql = `${named(fk.name)}FOREIGN KEY (${fk.columns.map(quoteIdent).join(', ')}) REFERENCES ${quoteIdent(fk.referenced_table)} (${fk.referenced_columns.map(quoteIdent).join(', ')})`;
  if (fk.on_delete && fk.on_delete !== 'NO ACTION') sql += ` ON DELETE ${fk.on_delete}`;
  if (fk.on_update && fk.on_update !== 'NO ACTION') sql += ` ON UPDATE ${fk.on_update}`;
  if (fk.deferrable) sql += ` DEFERRABLE INITIALLY ${fk.initially_deferred ? 'DEFERRED' : 'IMMEDIATE'}`;
  return sql;
}

export function createIndexSql(table: string, index: Index): string {
  const keys = index.keys
    ? index.keys.map((k) => `${k.column !== undefined ? quoteIdent(k.column) : k.expression!}${k.collation ? ` COLLATE ${quoteIdent(k.collation)}` : ''}${k.order === 'DESC' ? ' DESC' : ''}`)
    : index.columns.map(quoteIdent);
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} ON ${quoteIdent(table)} (${keys.join(', ')})${index.where ? ` WHERE ${index.where}` : ''}`;
}

export function createViewSql(view: View): string {
  return `CREATE VIEW ${quoteIdent(view.name)} AS ${view.definition}`;
}

export const dropTableSql = (name: string): string => `DROP TABLE ${quoteIdent(name)}`;
export const dropIndexSql = (name: string): string => `DROP INDEX ${quoteIdent(name)}`;
export const dropViewSql = (name: string): string => `DROP VIEW ${quoteIdent(name)}`;
export const dropTriggerSql = (name: string): string => `DROP TRIGGER ${quoteIdent(name)}`;

/** The whole schema as DDL, in an order SQLite accepts (tables, indexes, views, triggers). */
export function renderSqliteDdl(schema: Schema): string[] {
  const out: string[] = [];
  for (const t of schema.tables) out.push(createTableSql(t));
  for (const t of schema.tables) for (const i of t.indexes ?? []) out.push(createIndexSql(t.name, i));
  for (const v of schema.views ?? []) out.push(createViewSql(v));
  for (const t of schema.tables) for (const tr of t.triggers ?? []) out.push(tr.definition);
  for (const v of schema.views ?? []) for (const tr of v.triggers ?? []) out.push(tr.definition);
  return out;
}
