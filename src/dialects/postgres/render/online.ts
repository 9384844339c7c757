// SQL of the online rewrites' own steps: a batched backfill, the trigger that
// keeps a new column in sync with the old one during a type change, and the
// short swap that ends it (and its locking reverse).
import type { ColumnSync } from '../../../diff/changes.js';
import type { CheckConstraint, Column, QualifiedName } from '../../../schema/types.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../quote.js';
import { usingCast } from './alter-column.js';
import { commentSql, commentStatements } from './comments.js';
import { addCheckStatements, dropConstraintSql } from './constraints.js';
import { addColumnStatements, dropColumnSql } from './table.js';
import { renameColumnSql } from './renames.js';

export interface BackfillParts {
  /** The SET list, e.g. `"token" = gen_random_uuid()`. */
  set: string;
  /** The rows that need it. */
  where: string;
}

/** The SET list and WHERE of a backfill of `column` with `expression`; with `source`, only rows where that column holds a value. */
export function backfillParts(column: string, expression: string, source?: string): BackfillParts {
  const empty = `${quoteIdent(column)} IS NULL`;
  return { set: `${quoteIdent(column)} = ${expression}`, where: source === undefined ? empty : `${empty} AND ${quoteIdent(source)} IS NOT NULL` };
}

/** The backfill as one UPDATE (for readers; apply runs it in batches). */
export function backfillSql(table: QualifiedName, parts: BackfillParts): string {
  return `UPDATE ${quoteQualified(table)} SET ${parts.set} WHERE ${parts.where}`;
}

/** The value the new column takes from the old one: a cast (through text between two enum types). */
export function syncExpression(column: string, fromType: string, toType: string): string {
  return usingCast(column, fromType, toType);
}

function syncFunction(sync: ColumnSync): string {
  return `${quoteQualified({ schema: sync.table.schema, name: sync.name })}()`;
}

export function createColumnSyncStatements(sync: ColumnSync): string[] {
  const value = syncExpression(`NEW.${quoteIdent(sync.from)}`, sync.from_type, sync.type);
  const body = `BEGIN NEW.${quoteIdent(sync.to)} := ${value}; RETURN NEW; END`;
  return [
    `CREATE FUNCTION ${syncFunction(sync)} RETURNS trigger LANGUAGE plpgsql AS ${quoteLiteral(body)}`,
    `CREATE TRIGGER ${quoteIdent(sync.name)} BEFORE INSERT OR UPDATE ON ${quoteQualified(sync.table)} FOR EACH ROW EXECUTE FUNCTION ${syncFunction(sync)}`,
  ];
}

export function dropColumnSyncStatements(sync: ColumnSync): string[] {
  return [`DROP TRIGGER ${quoteIdent(sync.name)} ON ${quoteQualified(sync.table)}`, `DROP FUNCTION ${syncFunction(sync)}`];
}

export interface Swap {
  table: QualifiedName;
  from: Column;
  to: Column;
  temporary: string;
  sync: ColumnSync;
  helper?: CheckConstraint;
}

/** Sync trigger off, old column dropped, the new one renamed into place with its default and NOT NULL (proven by the helper check, dropped last). */
export function swapColumnStatements(s: Swap): string[] {
  const alter = `ALTER TABLE ${quoteQualified(s.table)}`;
  const col = `ALTER COLUMN ${quoteIdent(s.to.name)}`;
  const finish: string[] = [];
  if (s.to.default !== undefined) finish.push(`${col} SET DEFAULT ${s.to.default}`);
  if (!s.to.nullable) finish.push(`${col} SET NOT NULL`);
  if (s.helper) finish.push(`DROP CONSTRAINT ${quoteIdent(s.helper.name)}`);
  return [
    ...dropColumnSyncStatements(s.sync),
    dropColumnSql(s.table, s.from),
    renameColumnSql(s.table, s.temporary, s.to.name),
    ...(finish.length ? [`${alter} ${finish.join(', ')}`] : []),
    ...commentStatements({ kind: 'column', table: s.table, column: s.to.name }, s.to.comment),
  ];
}

/**
 * The reverse: back to the state before the swap, in one transaction that
 * holds ACCESS EXCLUSIVE while every row is converted back (no online form).
 */
export function unswapColumnStatements(s: Swap): string[] {
  const alter = `ALTER TABLE ${quoteQualified(s.table)}`;
  const tmp = `ALTER COLUMN ${quoteIdent(s.temporary)}`;
  const loosen: string[] = [];
  if (s.to.default !== undefined) loosen.push(`${tmp} DROP DEFAULT`);
  if (!s.to.nullable) loosen.push(`${tmp} DROP NOT NULL`);
  const old = `ALTER COLUMN ${quoteIdent(s.from.name)}`;
  const restore: string[] = [];
  if (s.from.default !== undefined) restore.push(`${old} SET DEFAULT ${s.from.default}`);
  if (!s.from.nullable) restore.push(`${old} SET NOT NULL`);
  const { default: _d, ...plain } = s.from;
  return [
    renameColumnSql(s.table, s.to.name, s.temporary),
    ...(loosen.length ? [`${alter} ${loosen.join(', ')}`] : []),
    ...(s.to.comment !== undefined ? [commentSql({ kind: 'column', table: s.table, column: s.temporary }, undefined)] : []),
    ...(s.helper ? addCheckStatements(s.table, s.helper, true) : []),
    ...addColumnStatements(s.table, { ...plain, nullable: true }),
    `UPDATE ${quoteQualified(s.table)} SET ${quoteIdent(s.from.name)} = ${syncExpression(quoteIdent(s.temporary), s.to.type, s.from.type)}`,
    ...(restore.length ? [`${alter} ${restore.join(', ')}`] : []),
    ...createColumnSyncStatements(s.sync),
  ];
}
