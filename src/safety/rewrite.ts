// Does ALTER COLUMN … TYPE rewrite the table (and hold ACCESS EXCLUSIVE for
// the whole copy)? Postgres skips the rewrite only when the old values are
// binary-compatible with the new type and its modifier can only loosen:
// varchar(n) → varchar(m ≥ n) or text, numeric(p,s) → numeric(q ≥ p,s),
// a larger time precision. Anything else — integer → bigint included — is
// a rewrite. When in doubt, say rewrite: the hazard is the safe answer.
import { parseType } from './type-change.js';

const VARCHAR = 'character varying';
const PRECISION_FAMILIES = new Set([
  'timestamp without time zone',
  'timestamp with time zone',
  'time without time zone',
  'time with time zone',
  'interval',
]);

export function typeChangeRewrites(from: string, to: string): boolean {
  if (from === to) return false;
  const a = parseType(from);
  const b = parseType(to);
  if (a.dims !== 0 || b.dims !== 0) return true;
  const loosens = b.mods.length === 0 || (a.mods.length > 0 && b.mods[0]! >= a.mods[0]!);
  if (a.name === VARCHAR || a.name === 'text') {
    if (b.name === 'text') return false;
    if (b.name === VARCHAR) return a.name === 'text' ? b.mods.length > 0 : !loosens;
    return true;
  }
  if (a.name === 'numeric' && b.name === 'numeric') {
    if (b.mods.length === 0) return false;
    return !(a.mods.length > 0 && (a.mods[1] ?? 0) === (b.mods[1] ?? 0) && b.mods[0]! >= a.mods[0]!);
  }
  if (a.name === 'bit varying' && b.name === 'bit varying') return !loosens;
  if (PRECISION_FAMILIES.has(a.name) && a.name === b.name) {
    return (b.mods[0] ?? 6) < (a.mods[0] ?? 6);
  }
  return true;
}
