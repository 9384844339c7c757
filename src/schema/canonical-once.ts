// One canonical form per schema object while a plan is built. buildPlan hands
// the same two schemas to the differ, the safety assessment, the sort context,
// the hashes and the fingerprints, and each of them canonicalizes its input:
// five copies of each side, a fifth of the plan's time at 10,000 tables.
// Inside `sharingCanonicalForms` they share one; outside it nothing is cached,
// so a caller that edits a schema between two calls still gets a fresh form.
import { canonicalize } from './canonical.js';
import type { Schema } from './types.js';

let shared: WeakMap<Schema, Schema> | undefined;
let texts: Map<string, WeakMap<object, string>> | undefined;
const settled = new WeakSet<Schema>();

/**
 * Marks a schema that is canonicalize's own result, unchanged since (what
 * introspection returns): inside sharingCanonicalForms it is its own
 * canonical form, not canonicalized again (canonicalize is idempotent; the
 * corpus tests check it on every schema they read). Nothing may change it
 * afterwards; under the test runner (LOCKPLANE_TEST_FREEZE_SETTLED=1) it is
 * frozen, so a change anywhere fails a test instead of skewing a plan.
 */
export function settledCanonical(schema: Schema): Schema {
  settled.add(schema);
  if (process.env.LOCKPLANE_TEST_FREEZE_SETTLED === '1') deepFreeze(schema);
  return schema;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

/** canonicalize(schema), computed once per schema object inside sharingCanonicalForms. Treat the result as read-only. */
export function canonicalOnce(schema: Schema): Schema {
  if (!shared) return canonicalize(schema);
  if (settled.has(schema)) return schema;
  let canonical = shared.get(schema);
  if (!canonical) {
    canonical = canonicalize(schema);
    shared.set(schema, canonical);
  }
  return canonical;
}

/**
 * `write()` for an object, computed once per object and `form` inside
 * sharingCanonicalForms: the source's hash and its fingerprints both write
 * every object of the canonical source as stable JSON.
 */
export function textOnce(object: object, form: string, write: () => string): string {
  if (!texts) return write();
  let byObject = texts.get(form);
  if (!byObject) texts.set(form, (byObject = new WeakMap()));
  let text = byObject.get(object);
  if (text === undefined) {
    text = write();
    byObject.set(object, text);
  }
  return text;
}

/** Inside sharingCanonicalForms: textOnce computes each object's text once, so a caller that needs it anyway (the hashes) pays for it. */
export function sharingTexts(): boolean {
  return texts !== undefined;
}

/** Runs `build` (synchronous: no other work can interleave) with canonical forms shared between its callers. */
export function sharingCanonicalForms<T>(build: () => T): T {
  if (shared) return build();
  shared = new WeakMap();
  texts = new Map();
  try {
    return build();
  } finally {
    shared = undefined;
    texts = undefined;
  }
}
