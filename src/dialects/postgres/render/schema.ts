// Namespaces and whole-schema DDL.
import { canonicalize } from '../../../schema/canonical.js';
import type { Schema } from '../../../schema/types.js';
import { DEFAULT_NAMESPACE } from '../../../schema/types.js';
import { quoteIdent } from '../quote.js';
import { commentStatements } from './comments.js';
import { addForeignKeyStatements } from './constraints.js';
import { createEnumStatements } from './enums.js';
import { createIndexStatements } from './indexes.js';
import { tableName } from './names.js';
import { createTableStatements } from './table.js';

export function createSchemaSql(name: string): string {
  return `CREATE SCHEMA ${quoteIdent(name)}`;
}

/** CREATE SCHEMA, then its comment. */
export function createSchemaStatements(name: string, comment: string | undefined): string[] {
  return [createSchemaSql(name), ...commentStatements({ kind: 'schema', schema: name }, comment)];
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
  for (const ns of s.schemas ?? []) {
    if (ns.name !== DEFAULT_NAMESPACE) out.push(...createSchemaStatements(ns.name, ns.comment));
    else out.push(...commentStatements({ kind: 'schema', schema: ns.name }, ns.comment));
  }
  for (const t of s.types ?? []) out.push(...createEnumStatements(t));
  for (const t of s.tables) out.push(...createTableStatements(t));
  for (const t of s.tables) for (const i of t.indexes ?? []) out.push(...createIndexStatements(tableName(t), i));
  for (const t of s.tables) for (const fk of t.foreign_keys ?? []) out.push(...addForeignKeyStatements(tableName(t), fk));
  return out;
}
