// SQLite's quoting: identifiers as in Postgres ("" doubled), literals with ''
// doubled and backslashes literal (SQLite has no E'' strings).
export { quoteIdent } from '../postgres/quote.js';

export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('string literal contains a NUL byte');
  return `'${value.replace(/'/g, "''")}'`;
}
