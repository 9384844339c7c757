// Serial columns. Sequences are not modelled in the IR yet: the catalog shows
// a serial column as an integer with default `nextval('<seq>'::regclass)`.
// To make such a column loadable we create the sequence before the table and
// make the column own it afterwards, as `serial` does.
import type { Column, QualifiedName } from '../../../schema/types.js';
import { nextvalSequence, parseRegclassText } from '../../../schema/nextval.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../quote.js';

/** The sequence a serial column's default draws from. */
export const serialSequence = nextvalSequence;
export { parseRegclassText };

/** The sequence the column owns as a serial: none when it draws from a sequence modelled on its own. */
function ownedSequence(column: Column): string[] | undefined {
  return column.standalone_sequence ? undefined : serialSequence(column.default);
}

function quoteParts(parts: string[]): string {
  return parts.map(quoteIdent).join('.');
}

const SEQUENCE_TYPES = new Set(['smallint', 'integer', 'bigint']);

/** Statements to run before creating the column: `CREATE SEQUENCE IF NOT EXISTS`. */
export function serialPrelude(column: Column): string[] {
  const parts = ownedSequence(column);
  if (!parts) return [];
  const as = SEQUENCE_TYPES.has(column.type) ? ` AS ${column.type}` : '';
  return [`CREATE SEQUENCE IF NOT EXISTS ${quoteParts(parts)}${as}`];
}

/** Statements to run after creating the column: the column owns its sequence. */
export function serialPostlude(table: QualifiedName, column: Column): string[] {
  const parts = ownedSequence(column);
  if (!parts) return [];
  const owned = `ALTER SEQUENCE ${quoteParts(parts)} OWNED BY ${quoteQualified(table)}.${quoteIdent(column.name)}`;
  return column.sequence_comment ? [owned, `COMMENT ON SEQUENCE ${quoteParts(parts)} IS ${quoteLiteral(column.sequence_comment)}`] : [owned];
}

/**
 * After a serial default is removed, its owned sequence would linger: the
 * catalog keeps it until the column goes. Our model has no sequences apart
 * from serial defaults, so the sequence goes with the default.
 */
export function serialDrop(column: Column): string[] {
  const parts = ownedSequence(column);
  return parts ? [`DROP SEQUENCE IF EXISTS ${quoteParts(parts)}`] : [];
}
