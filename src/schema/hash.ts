// The canonical hash of a schema: sha256 over its canonical JSON with sorted
// keys. Plans record it for their source and target; apply refuses a target
// whose hash differs from the plan's source_hash.
import { createHash } from 'node:crypto';
import { canonicalize } from './canonical.js';
import type { Schema } from './types.js';

/**
 * Keys that hold derived data (see ObjectRef), intent about the path rather
 * than the state (`renamed_from`), or a step still to finish (`not_valid`:
 * the constraint is there, its VALIDATE is not done): never part of a hash
 * or a comparison.
 */
export const DERIVED_KEYS: ReadonlySet<string> = new Set(['depends_on', 'standalone_sequence', 'attached_indexes', 'renamed_from', 'not_valid']);

export function stableStringify(value: unknown, omit: ReadonlySet<string> = DERIVED_KEYS): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v, omit)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && !omit.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v, omit)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * `stableStringify(a) === stableStringify(b)` without building the strings:
 * the differ compares every object of both schemas this way, and the strings
 * cost more than the comparison.
 */
export function stableEqual(a: unknown, b: unknown, omit: ReadonlySet<string> = DERIVED_KEYS): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((value, i) => stableEqual(value, b[i], omit));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => o[k] !== undefined && !omit.has(k));
    const leftKeys = keys(left);
    if (leftKeys.length !== keys(right).length) return false;
    return leftKeys.every((k) => right[k] !== undefined && Object.hasOwn(right, k) && stableEqual(left[k], right[k], omit));
  }
  if (a === b && typeof a !== 'object') return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Column order and `$schema` do not affect the hash: the differ ignores both. */
export function schemaHash(schema: Schema): string {
  const canonical = canonicalize(schema);
  const { $schema: _ignored, ...rest } = canonical;
  const tables = rest.tables.map((t) => ({
    ...t,
    columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  }));
  return sha256(stableStringify({ ...rest, tables }));
}
