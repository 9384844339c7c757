// Is a column type change widening (every old value fits, unchanged) or not?
// Types are in catalog spelling (`character varying(255)`, `numeric(10,2)`,
// `timestamp(3) without time zone`, `integer[]`); the rules work on the type
// name and its modifiers, not on an alias table.

import { parseType, type ParsedType } from '../dialects/postgres/type-ref.js';

const INTEGER_DIGITS: Record<string, number> = { smallint: 5, integer: 10, bigint: 19 };
const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };
const STRINGS = new Set(['character', 'character varying', 'text']);
const PRECISION_TYPES = new Set([
  'timestamp without time zone',
  'timestamp with time zone',
  'time without time zone',
  'time with time zone',
  'interval',
]);

export type TypeChange = 'same' | 'widening' | 'narrowing';

export function classifyTypeChange(from: string, to: string): TypeChange {
  if (from === to) return 'same';
  const a = parseType(from);
  const b = parseType(to);
  if (a.dims !== b.dims) return 'narrowing';
  return widens(a, b) ? 'widening' : 'narrowing';
}

function widens(a: ParsedType, b: ParsedType): boolean {
  if (a.name in INTEGER_RANK) {
    if (b.name in INTEGER_RANK) return INTEGER_RANK[b.name]! >= INTEGER_RANK[a.name]!;
    if (b.name === 'numeric') return b.mods.length === 0 || (b.mods[0]! - (b.mods[1] ?? 0)) >= INTEGER_DIGITS[a.name]!;
    return false;
  }
  if (a.name === 'numeric' && b.name === 'numeric') {
    if (b.mods.length === 0) return true;
    if (a.mods.length === 0) return false;
    const [p1, s1 = 0] = a.mods;
    const [p2, s2 = 0] = b.mods;
    return s2 >= s1 && p2! - s2 >= p1! - s1;
  }
  if (a.name === 'real') return b.name === 'double precision' || (b.name === 'numeric' && b.mods.length === 0);
  if (a.name === 'double precision') return b.name === 'numeric' && b.mods.length === 0;
  if (STRINGS.has(a.name) && STRINGS.has(b.name)) {
    if (b.name === 'text') return true;
    if (a.name === 'text') return b.name === 'character varying' && b.mods.length === 0;
    if (b.name === 'character' && a.name !== 'character') return false;
    if (b.mods.length === 0) return b.name === 'character varying';
    return (a.mods[0] ?? (a.name === 'character' ? 1 : Infinity)) <= b.mods[0]!;
  }
  if ((a.name === 'bit varying' || a.name === 'bit') && b.name === 'bit varying') {
    return b.mods.length === 0 || (a.mods[0] ?? Infinity) <= b.mods[0]!;
  }
  if (a.name === 'date') return b.name === 'timestamp without time zone' || b.name === 'timestamp with time zone';
  if (PRECISION_TYPES.has(a.name)) {
    const sameFamily =
      a.name === b.name || (a.name === 'timestamp without time zone' && b.name === 'timestamp with time zone');
    if (!sameFamily) return false;
    return (b.mods[0] ?? 6) >= (a.mods[0] ?? 6);
  }
  return false;
}
