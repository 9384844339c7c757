// One canonical form per schema object while a plan is built. buildPlan hands
// the same two schemas to the differ, the safety assessment, the sort context,
// the hashes and the fingerprints, and each of them canonicalizes its input:
// five copies of each side, a fifth of the plan's time at 10,000 tables.
// Inside `sharingCanonicalForms` they share one; outside it nothing is cached,
// so a caller that edits a schema between two calls still gets a fresh form.
import { canonicalize } from './canonical.js';
import type { Schema } from './types.js';

let shared: WeakMap<Schema, Schema> | undefined;

/** canonicalize(schema), computed once per schema object inside sharingCanonicalForms. Treat the result as read-only. */
export function canonicalOnce(schema: Schema): Schema {
  if (!shared) return canonicalize(schema);
  let canonical = shared.get(schema);
  if (!canonical) {
    canonical = canonicalize(schema);
    shared.set(schema, canonical);
  }
  return canonical;
}

/** Runs `build` (synchronous: no other work can interleave) with canonical forms shared between its callers. */
export function sharingCanonicalForms<T>(build: () => T): T {
  if (shared) return build();
  shared = new WeakMap();
  try {
    return build();
  } finally {
    shared = undefined;
  }
}
