// Does ALTER COLUMN … TYPE rewrite the table? The ALTER TABLE page: not when
// the old type is binary coercible to the new one (or the new one only
// relaxes a length/precision limit, which the types' support functions
// recognise: varchar_support, numeric_support, timestamp_support, …) and
// there is no USING that changes the value. Everything else rewrites.
import type { TypeName } from 'libpg-query';
import { parseType, type ParsedType } from './type-ref.js';

/** Internal type names (as the parser writes them) → catalog spelling. */
const CATALOG_NAMES: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  bpchar: 'character',
  varbit: 'bit varying',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
  decimal: 'numeric',
};

const intOf = (node: unknown): number | undefined => {
  const value = (node as { A_Const?: { ival?: { ival?: number } } }).A_Const?.ival;
  return value === undefined ? undefined : (value.ival ?? 0);
};

/** A parsed TypeName in the same shape as a catalog type string; undefined for expressions as modifiers. */
export function typeNameParts(type: TypeName): ParsedType | undefined {
  const names = (type.names ?? []).map((n) => (n as { String?: { sval?: string } }).String?.sval ?? '');
  const last = names[names.length - 1] ?? '';
  const builtin = names.length === 1 || names[0] === 'pg_catalog';
  const name = builtin ? (CATALOG_NAMES[last] ?? last) : names.join('.');
  const mods = (type.typmods ?? []).map(intOf);
  if (mods.some((m) => m === undefined)) return undefined;
  return { name, mods: mods as number[], dims: type.arrayBounds?.length ?? 0 };
}

const DEFAULT_PRECISION = 6;
const PRECISION_TYPES = new Set(['timestamp without time zone', 'timestamp with time zone', 'time without time zone', 'time with time zone', 'interval']);

/** True when changing a column from `from` (catalog spelling) to `to` keeps every stored value's bytes. */
export function typeChangeKeepsStorage(from: string, to: ParsedType): boolean {
  const a = parseType(from);
  if (a.dims !== to.dims) return false;
  if (a.name === to.name && a.mods.join() === to.mods.join()) return true;
  // Arrays: only an unchanged type is certain.
  if (a.dims > 0) return false;
  const limit = (t: ParsedType, i = 0): number => t.mods[i] ?? Infinity;
  switch (a.name) {
    case 'character varying':
      if (to.name === 'text') return true;
      return to.name === 'character varying' && limit(to) >= limit(a);
    case 'text':
      return to.name === 'character varying' && to.mods.length === 0;
    case 'numeric':
      if (to.name !== 'numeric') return false;
      if (to.mods.length === 0) return true;
      return a.mods.length > 0 && (a.mods[1] ?? 0) === (to.mods[1] ?? 0) && to.mods[0]! >= a.mods[0]!;
    case 'bit varying':
      return to.name === 'bit varying' && limit(to) >= limit(a);
    case 'cidr':
      return to.name === 'inet';
    default:
      if (PRECISION_TYPES.has(a.name) && to.name === a.name) return (to.mods[0] ?? DEFAULT_PRECISION) >= (a.mods[0] ?? DEFAULT_PRECISION);
      return false;
  }
}
