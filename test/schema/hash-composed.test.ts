import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalize } from '../../src/schema/canonical.js';
import { sharingCanonicalForms } from '../../src/schema/canonical-once.js';
import { objectFingerprints } from '../../src/schema/fingerprint.js';
import { schemaHash, sha256, stableStringify } from '../../src/schema/hash.js';
import type { Schema } from '../../src/schema/types.js';
import { schemaPair } from '../plan/arbitraries.js';

// schemaHash writes its text a member and an object at a time (sharing each
// object's text with the fingerprints inside buildPlan). The reference is the
// whole text at once, as it was defined.
function reference(schema: Schema): string {
  const { $schema: _ignored, ...rest } = canonicalize(schema);
  const tables = rest.tables.map((t) => ({ ...t, columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) }));
  return sha256(stableStringify({ ...rest, tables }));
}

const fixture = (name: string): Schema => JSON.parse(readFileSync(new URL(`../fixtures/original/${name}`, import.meta.url), 'utf8')) as Schema;

describe('schemaHash written piecewise', () => {
  it('equals the hash of the whole text, inside buildPlan’s sharing and outside it', () => {
    fc.assert(
      fc.property(schemaPair({ virtual: true }), ([a, b]) => {
        for (const s of [a, b]) {
          assert.equal(schemaHash(s), reference(s));
          const [inside, prints] = sharingCanonicalForms(() => [schemaHash(s), objectFingerprints(s)] as const);
          assert.equal(inside, reference(s));
          assert.deepEqual(prints, objectFingerprints(s));
        }
      }),
      { numRuns: 200 },
    );
    for (const name of ['before.schema.json', 'after.schema.json', 'users-posts.schema.json']) assert.equal(schemaHash(fixture(name)), reference(fixture(name)));
  });
});
