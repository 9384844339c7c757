// Does ALTER COLUMN … TYPE rewrite the table (and hold ACCESS EXCLUSIVE for
// the whole copy)? The same rule the lock analysis applies (see
// dialects/postgres/locks-types.ts): only a change that keeps every stored
// value's bytes is catalog-only. When in doubt, say rewrite.
import { typeChangeKeepsStorage } from '../dialects/postgres/locks-types.js';
import { parseType } from '../dialects/postgres/type-ref.js';

export function typeChangeRewrites(from: string, to: string): boolean {
  return from !== to && !typeChangeKeepsStorage(from, parseType(to));
}
