// Names that a range type brings with it: its multirange type (and the
// constructor functions of both, named like the types).
import type { QualifiedName, RangeType } from './types.js';
import { DEFAULT_NAMESPACE } from './types.js';

/** Postgres's multirange name for a range (makeMultirangeTypeName): `range` → `multirange`, else `_multirange` appended. */
export function defaultMultirangeName(range: string): string {
  const at = range.indexOf('range');
  const name = at >= 0 ? `${range.slice(0, at)}multi${range.slice(at)}` : `${clip(range, 52)}_multirange`;
  return clip(name, 63);
}

function clip(text: string, bytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > bytes) out = out.slice(0, -1);
  return out;
}

export function rangeName(r: Pick<RangeType, 'schema' | 'name'>): QualifiedName {
  return { schema: r.schema ?? DEFAULT_NAMESPACE, name: r.name };
}

/** The range's multirange type. */
export function multirangeName(r: Pick<RangeType, 'schema' | 'name' | 'multirange_type_name' | 'multirange_schema'>): QualifiedName {
  return { schema: r.multirange_schema ?? r.schema ?? DEFAULT_NAMESPACE, name: r.multirange_type_name ?? defaultMultirangeName(r.name) };
}
