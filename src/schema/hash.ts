// The canonical hash of a schema: sha256 over its canonical JSON with sorted
// keys. Plans record it for their source and target; apply refuses a target
// whose hash differs from the plan's source_hash.
import { createHash } from 'node:crypto';
import { canonicalOnce, textOnce } from './canonical-once.js';
import type { Schema, Table } from './types.js';

/**
 * Keys that hold derived data (see ObjectRef), intent about the path rather
 * than the state (`renamed_from`), or a step still to finish (`not_valid`:
 * the constraint is there, its VALIDATE is not done): never part of a hash
 * or a comparison.
 */
export const DERIVED_KEYS: ReadonlySet<string> = new Set(['depends_on', 'standalone_sequence', 'attached_indexes', 'renamed_from', 'not_valid']);

/**
 * JSON with object keys sorted (by UTF-16 code units), `undefined` values and
 * the `omit` keys left out at every depth. Built as a sorted copy that the
 * native JSON.stringify writes: several times faster than joining strings, and
 * the schema hash and fingerprints stringify every object of a schema. Values
 * the two would write differently fall back to the string-joining form.
 */
export function stableStringify(value: unknown, omit: ReadonlySet<string> = DERIVED_KEYS): string {
  try {
    return JSON.stringify(sortedCopy(value, omit));
  } catch (error) {
    if (error === UNSUPPORTED) return joinedStringify(value, omit);
    throw error;
  }
}

const UNSUPPORTED = Symbol('not plain JSON');
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * A copy whose objects hold their keys in sorted order. Throws UNSUPPORTED for
 * what JSON.stringify would write otherwise than joinedStringify: integer-like
 * keys (objects list them first), `__proto__`, and functions, symbols or
 * `undefined` where they would not simply be left out.
 */
function sortedCopy(value: unknown, omit: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') throw UNSUPPORTED;
      out[i] = sortedCopy(v, omit);
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(source).sort()) {
      const v = source[k];
      if (v === undefined || omit.has(k)) continue;
      const first = k.charCodeAt(0);
      if ((first >= 48 && first <= 57 && ARRAY_INDEX.test(k)) || k === '__proto__' || typeof v === 'function' || typeof v === 'symbol') throw UNSUPPORTED;
      out[k] = sortedCopy(v, omit);
    }
    return out;
  }
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') throw UNSUPPORTED;
  return value;
}

function joinedStringify(value: unknown, omit: ReadonlySet<string>): string {
  if (Array.isArray(value)) return `[${value.map((v) => joinedStringify(v, omit)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && !omit.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${joinedStringify(v, omit)}`).join(',')}}`;
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

/** A table as the hash and the fingerprints see it: columns by name (the differ ignores their order). */
export function tableByColumnName(t: Table): Table {
  return { ...t, columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}

/** stableStringify of one object of a canonical schema, a table with its columns by name; once per object inside buildPlan. */
export function objectText(object: object, table = false): string {
  return textOnce(object, table ? 'table' : 'object', () => stableStringify(table ? tableByColumnName(object as Table) : object));
}

/**
 * Column order and `$schema` do not affect the hash: the differ ignores both.
 * The text hashed is stableStringify({ ...schema, tables by column name })
 * without `$schema`, written a member at a time so that each object's text is
 * the one its fingerprint hashes too.
 */
export function schemaHash(schema: Schema): string {
  const { $schema: _ignored, ...rest } = canonicalOnce(schema);
  const hash = createHash('sha256').update('{');
  const members = Object.keys(rest)
    .sort()
    .filter((k) => (rest as Record<string, unknown>)[k] !== undefined && !DERIVED_KEYS.has(k));
  for (const [i, key] of members.entries()) {
    const value = (rest as Record<string, unknown>)[key];
    hash.update(`${i ? ',' : ''}${JSON.stringify(key)}:`);
    if (!Array.isArray(value)) {
      hash.update(stableStringify(value));
      continue;
    }
    hash.update('[');
    for (const [j, item] of value.entries()) {
      // An array member stableStringify cannot write (undefined) is written as nothing, as its join does.
      const text = item !== null && typeof item === 'object' && !Array.isArray(item) ? objectText(item, key === 'tables') : stableStringify(item);
      hash.update(`${j ? ',' : ''}${text ?? ''}`);
    }
    hash.update(']');
  }
  return hash.update('}').digest('hex');
}
