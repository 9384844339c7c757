// The only two functions that put user-controlled text into SQL.
// Every identifier goes through quoteIdent, every literal through quoteLiteral.
import type { QualifiedName } from '../../schema/types.js';

/** Always quotes: correct for reserved words, capitals, spaces, quotes and non-ASCII. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new Error(`identifier contains a NUL byte: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.name`, each part quoted. */
export function quoteQualified(q: QualifiedName): string {
  return `${quoteIdent(q.schema)}.${quoteIdent(q.name)}`;
}

/** A standard-conforming string literal; E'' form when backslashes are present. */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('string literal contains a NUL byte');
  const body = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${body.replace(/\\/g, '\\\\')}'`.trimStart() : `'${body}'`;
}
