// Namespaces and whole-schema DDL.
import { quoteIdent } from '../quote.js';
import { commentStatements } from './comments.js';

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
