import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DERIVED_KEYS, stableStringify } from '../../src/schema/hash.js';

// stableStringify writes a sorted copy with the native JSON.stringify. This
// is the string-joining form it replaced, byte for byte, as the reference.
function joined(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => joined(v)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && !DERIVED_KEYS.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${joined(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// Keys JSON.stringify orders on its own (integer-like), `__proto__`, odd characters.
const key = fc.oneof(fc.constantFrom('name', 'type', 'depends_on', '0', '10', '9', '__proto__', ' ', '$', 'é', 'Z', '_'), fc.string({ maxLength: 3 }));
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('array'), tie('object')),
  leaf: fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.string({ maxLength: 4 })),
  array: fc.array(fc.oneof(tie('any'), fc.constant(undefined)), { maxLength: 3 }),
  object: fc.dictionary(key, fc.oneof(tie('any'), fc.constant(undefined)), { maxKeys: 4 }),
})).any;

describe('stableStringify (sorted copy written natively)', () => {
  it('writes exactly what the string-joining form wrote', () => {
    fc.assert(fc.property(value, (a) => assert.equal(stableStringify(a), joined(a))), { numRuns: 5000 });
  });

  it('keeps the joining form for values JSON.stringify orders or writes otherwise', () => {
    const cases: unknown[] = [
      { b: 1, 10: 'x', 9: 'y', a: 2 },
      JSON.parse('{"__proto__": {"x": 1}, "a": 1}'),
      [1, undefined, 2],
      { f: () => 1, a: 1 },
      new Date(0),
      { nested: [{ z: 1, y: [null, { '1': true }] }] },
    ];
    for (const c of cases) assert.equal(stableStringify(c), joined(c));
  });
});
