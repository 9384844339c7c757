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
