// Small helpers shared by the Postgres renderers: quoted lists and the
// qualified name of a table.
import type { QualifiedName, Table } from '../../../schema/types.js';
import { tableSchema } from '../../../schema/types.js';
import { quoteIdent, quoteQualified } from '../quote.js';

export function tableName(table: Pick<Table, 'schema' | 'name'>): QualifiedName {
  return { schema: tableSchema(table), name: table.name };
}

export function quoteTable(table: QualifiedName): string {
  return quoteQualified(table);
}

export function quoteList(names: readonly string[]): string {
  return names.map(quoteIdent).join(', ');
}

/**
 * A possibly schema-qualified name as the catalog prints it for a collation
 * or operator class. Collation names may contain dots (`en_US.utf8`), so a
 * collation is quoted whole; an already quoted text is kept as written.
 */
export function quoteCatalogName(name: string): string {
  if (/^"(?:[^"]|"")*"(?:\."(?:[^"]|"")*")?$/.test(name)) return name;
  return quoteIdent(name);
}

/** An operator class: `name` or `schema.name` (opclass names have no dots). */
export function quoteOpclass(name: string): string {
  const parts = name.split('.');
  if (parts.length === 2) return quoteQualified({ schema: parts[0]!, name: parts[1]! });
  return quoteIdent(name);
}

/** An integer literal from the IR (sequence options); anything else is refused. */
export function integerLiteral(value: string, what: string): string {
  if (!/^-?\d+$/.test(value)) throw new Error(`${what} must be an integer, got ${JSON.stringify(value)}`);
  return value;
}
