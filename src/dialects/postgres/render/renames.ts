// ALTER … RENAME: the object keeps its data, only its name changes.
import type { QualifiedName } from '../../../schema/types.js';
import { quoteIdent, quoteQualified } from '../quote.js';

export function renameTableSql(table: QualifiedName, to: string): string {
  return `ALTER TABLE ${quoteQualified(table)} RENAME TO ${quoteIdent(to)}`;
}

export function renameColumnSql(table: QualifiedName, from: string, to: string): string {
  return `ALTER TABLE ${quoteQualified(table)} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`;
}

/** Indexes live in their table's namespace. */
export function renameIndexSql(table: QualifiedName, from: string, to: string): string {
  return `ALTER INDEX ${quoteQualified({ schema: table.schema, name: from })} RENAME TO ${quoteIdent(to)}`;
}

/** A key constraint's index is renamed with it. */
export function renameConstraintSql(table: QualifiedName, from: string, to: string): string {
  return `ALTER TABLE ${quoteQualified(table)} RENAME CONSTRAINT ${quoteIdent(from)} TO ${quoteIdent(to)}`;
}

export function renameSequenceSql(sequence: QualifiedName, to: string): string {
  return `ALTER SEQUENCE ${quoteQualified(sequence)} RENAME TO ${quoteIdent(to)}`;
}
