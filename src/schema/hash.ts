// The canonical hash of a schema: sha256 over its canonical JSON with sorted
// keys. Plans record it for their source and target; apply refuses a target
// whose hash differs from the plan's source_hash.
import { createHash } from 'node:crypto';
import { canonicalize } from './canonical.js';
import type { Schema } from './types.js';

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
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
