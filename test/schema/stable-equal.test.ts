import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DERIVED_KEYS, stableEqual, stableStringify } from '../../src/schema/hash.js';

// JSON-like values as the IR holds them: objects may have undefined members
// (stableStringify drops them), arrays do not.
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', '')),
  array: fc.array(tie('any'), { maxLength: 3 }),
  object: fc.dictionary(fc.constantFrom('name', 'type', 'depends_on', 'x', 'y'), fc.oneof(tie('any'), fc.constant(undefined)), { maxKeys: 4 }),
})).any;

/** The reference: JSON.stringify of a copy with sorted keys and no derived keys. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (!value || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => !DERIVED_KEYS.has(k)).sort();
  return Object.fromEntries(keys.map((k) => [k, sortedCopy(record[k])]));
}

describe('stableStringify', () => {
  it('is JSON with sorted keys, without undefined members and derived keys', () => {
    fc.assert(fc.property(value, (a) => assert.equal(stableStringify(a), JSON.stringify(sortedCopy(a)))), { numRuns: 5000 });
    assert.equal(stableStringify({ b: [1, 'x'], a: { d: null, c: undefined }, depends_on: [] }), '{"a":{"d":null},"b":[1,"x"]}');
  });
});

describe('stableEqual', () => {
  it('agrees with comparing stableStringify outputs', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        assert.equal(stableEqual(a, b), stableStringify(a) === stableStringify(b));
        assert.equal(stableEqual(a, structuredClone(a)), true);
        // A round trip through JSON drops the undefined members: still equal.
        assert.equal(stableEqual(a, JSON.parse(JSON.stringify(a))), true);
      }),
      { numRuns: 5000 },
    );
  });

  it('ignores key order, undefined members and derived keys, not values', () => {
    assert.equal(stableEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1, z: undefined, depends_on: ['t'] }), true);
    assert.equal(stableEqual({ a: 1 }, { a: '1' }), false);
    assert.equal(stableEqual({ a: [1, 2] }, { a: [2, 1] }), false);
    assert.equal(stableEqual({ a: null }, {}), false);
    assert.equal(stableEqual([], {}), false);
  });
});
