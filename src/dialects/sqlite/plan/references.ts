// Which names a piece of SQL text mentions (views, triggers, expressions):
// token-wise, case-insensitively, as SQLite resolves names.
import { identName, tokenize } from '../introspect/tokens.js';

export function mentions(sql: string | undefined, name: string): boolean {
  if (!sql) return false;
  const wanted = name.toLowerCase();
  return tokenize(sql).some((t) => (t.kind === 'word' || t.kind === 'ident' || t.kind === 'string') && identName(t).toLowerCase() === wanted);
}
