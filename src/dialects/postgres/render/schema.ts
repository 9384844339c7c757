// Namespaces and whole-schema DDL.
import { canonicalize } from '../../../schema/canonical.js';
import type { Schema } from '../../../schema/types.js';
import { DEFAULT_NAMESPACE } from '../../../schema/types.js';
import { quoteIdent } from '../quote.js';
import { addForeignKeySql } from './constraints.js';
import { createIndexSql } from './indexes.js';
import { tableName } from './names.js';
import { createTableStatements } from './table.js';

export function createSchemaSql(name: string): string {
  return `CREATE SCHEMA ${quoteIdent(name)}`;
}

export function dropSchemaSql(name: string): string {
  return `DROP SCHEMA ${quoteIdent(name)}`;
}

/**
 * Statements that create the whole schema in an empty database: namespaces
 * (`public` exists already), tables, then indexes, then foreign keys — so a
 * foreign key never depends on table order.
 */
export function renderSchemaDdl(schema: Schema): string[] {
  const s = canonicalize(schema);
  const out: string[] = [];
  for (const ns of s.schemas ?? []) if (ns.name !== DEFAULT_NAMESPACE) out.push(createSchemaSql(ns.name));
  for (const t of s.tables) out.push(...createTableStatements(t));
  for (const t of s.tables) for (const i of t.indexes ?? []) out.push(createIndexSql(tableName(t), i));
  for (const t of s.tables) for (const fk of t.foreign_keys ?? []) out.push(addForeignKeySql(tableName(t), fk));
  return out;
}
