// A short hash per object of a schema. A plan records its source's, so that
// an apply refused because the database changed can say which objects
// changed — not only that one hash differs from another.
import { defaultPrivilegeKey, routineKey } from './canonical.js';
import { canonicalOnce } from './canonical-once.js';
import { objectText, sha256 } from './hash.js';
import { DEFAULT_NAMESPACE, type Schema } from './types.js';

/** Object label (`table public.users`) → 16 hex digits of its canonical JSON's sha256. */
export type Fingerprints = Record<string, string>;

const qualified = (o: { schema?: string; name: string }): string => `${o.schema ?? DEFAULT_NAMESPACE}.${o.name}`;

export function objectFingerprints(schema: Schema): Fingerprints {
  const s = canonicalOnce(schema);
  const out: Fingerprints = {};
  // The same text schemaHash writes for the object (a table with its columns by name).
  const add = (label: string, value: object, table = false): void => {
    out[label] = sha256(objectText(value, table)).slice(0, 16);
  };
  for (const n of s.schemas ?? []) add(`schema ${n.name}`, n);
  for (const e of s.extensions ?? []) add(`extension ${e.name}`, e);
  for (const t of s.types ?? []) add(`type ${qualified(t)}`, t);
  for (const t of s.composite_types ?? []) add(`type ${qualified(t)}`, t);
  for (const r of s.range_types ?? []) add(`range type ${qualified(r)}`, r);
  for (const d of s.domains ?? []) add(`domain ${qualified(d)}`, d);
  for (const q of s.sequences ?? []) add(`sequence ${qualified(q)}`, q);
  // Column order is not part of a schema's identity (see schemaHash).
  for (const t of s.tables) add(`table ${qualified(t)}`, t, true);
  for (const v of s.views ?? []) add(`${v.materialized ? 'materialized view' : 'view'} ${qualified(v)}`, v);
  for (const f of s.functions ?? []) add(`${f.kind ?? 'function'} ${routineKey(f)}`, f);
  for (const d of s.default_privileges ?? []) {
    add(`default privileges ${defaultPrivilegeKey(d).split('\u0000').filter(Boolean).join(' ')}`, d);
  }
  return out;
}

/** What differs between the fingerprints a plan recorded and the database's: `changed: table public.users`, … */
export function fingerprintDrift(expected: Fingerprints, actual: Fingerprints): string[] {
  const drift: string[] = [];
  for (const [label, hash] of Object.entries(expected)) {
    if (!(label in actual)) drift.push(`dropped: ${label}`);
    else if (actual[label] !== hash) drift.push(`changed: ${label}`);
  }
  for (const label of Object.keys(actual)) if (!(label in expected)) drift.push(`added: ${label}`);
  return drift.sort();
}

/** One line for an error message: the first few differences, and how many more. */
export function driftSummary(drift: readonly string[], limit = 5): string {
  const shown = drift.slice(0, limit).join('; ');
  return drift.length > limit ? `${shown}; and ${drift.length - limit} more` : shown;
}
