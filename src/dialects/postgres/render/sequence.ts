// Serial columns. Sequences are not modelled in the IR yet: the catalog shows
// a serial column as an integer with default `nextval('<seq>'::regclass)`.
// To make such a column loadable we create the sequence before the table and
// make the column own it afterwards, as `serial` does.
import type { Column, QualifiedName } from '../../../schema/types.js';
import { quoteIdent, quoteQualified } from '../quote.js';

/** The sequence named in a `nextval('<regclass text>'::regclass)` default, as name parts. */
export function serialSequence(defaultExpr: string | undefined): string[] | undefined {
  if (defaultExpr === undefined) return undefined;
  const match = /^nextval\('((?:[^']|'')+)'::regclass\)$/.exec(defaultExpr.trim());
  if (!match) return undefined;
  return parseRegclassText(match[1]!.replace(/''/g, "'"));
}

/**
 * Parses regclass text such as `public.users_id_seq` or `"My Schema"."Seq"`:
 * dot-separated parts, each either double-quoted (with `""` escapes, case
 * kept) or bare (folded to lower case, as Postgres does). Undefined when the
 * text is not a valid one- or two-part name.
 */
export function parseRegclassText(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      let part = '';
      i += 1;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        part += text[i];
        i += 1;
      }
      parts.push(part);
    } else {
      const end = text.indexOf('.', i);
      const raw = end === -1 ? text.slice(i) : text.slice(i, end);
      if (raw === '' || raw.includes('"')) return undefined;
      parts.push(raw.toLowerCase());
      i = end === -1 ? text.length : end;
    }
    if (i === text.length) break;
    if (text[i] !== '.') return undefined;
    i += 1;
  }
  return parts.length >= 1 && parts.length <= 2 ? parts : undefined;
}

function quoteParts(parts: string[]): string {
  return parts.map(quoteIdent).join('.');
}

const SEQUENCE_TYPES = new Set(['smallint', 'integer', 'bigint']);

/** Statements to run before creating the column: `CREATE SEQUENCE IF NOT EXISTS`. */
export function serialPrelude(column: Column): string[] {
  const parts = serialSequence(column.default);
  if (!parts) return [];
  const as = SEQUENCE_TYPES.has(column.type) ? ` AS ${column.type}` : '';
  return [`CREATE SEQUENCE IF NOT EXISTS ${quoteParts(parts)}${as}`];
}

/** Statements to run after creating the column: the column owns its sequence. */
export function serialPostlude(table: QualifiedName, column: Column): string[] {
  const parts = serialSequence(column.default);
  if (!parts) return [];
  return [`ALTER SEQUENCE ${quoteParts(parts)} OWNED BY ${quoteQualified(table)}.${quoteIdent(column.name)}`];
}

/**
 * After a serial default is removed, its owned sequence would linger: the
 * catalog keeps it until the column goes. Our model has no sequences apart
 * from serial defaults, so the sequence goes with the default.
 */
export function serialDrop(column: Column): string[] {
  const parts = serialSequence(column.default);
  return parts ? [`DROP SEQUENCE IF EXISTS ${quoteParts(parts)}`] : [];
}
