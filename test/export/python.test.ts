// pythonString: Python reads back exactly the string that was written, for
// any text (quotes, backslashes, newlines, control characters, lone surrogates).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pythonString } from '../../src/export/python.js';
import { needsPython, python } from './python.js';

/** Python evaluates the literals (a list on stdin) and prints them back as JSON. */
function roundTrip(values: string[]): string[] {
  const source = `[\n${values.map((v) => `${pythonString(v)},`).join('\n')}\n]`;
  const out = python('import ast, json, sys\nprint(json.dumps(ast.literal_eval(sys.stdin.read())))', source);
  return JSON.parse(out) as string[];
}

const EDGE_CASES = [
  '',
  "'",
  "''",
  "'''",
  '"""',
  '\\',
  'ends with a backslash \\',
  "ends with a quote '",
  'line one\nline two',
  "multi\nline with ''' inside",
  'multi\nline ending in a quote\'',
  'multi\nline ending in a backslash\\',
  'crlf\r\nline',
  'tab\there',
  'nul\0byte',
  'del\x7f and c1\x85',
  'line separator\u2028paragraph\u2029bom\ufeff',
  'lone surrogate \ud800 and \udfff',
  'emoji 🐘 and é',
  "CREATE TABLE t (note text DEFAULT 'it''s 100% :name \\o/')",
  '\\N{BULLET} is not a name escape here',
];

test('pythonString: edge cases read back exactly', (t) => {
  if (!needsPython(t, 'ast')) return;
  assert.deepEqual(roundTrip(EDGE_CASES), EDGE_CASES);
});

test('pythonString: one line stays one line, several use triple quotes', () => {
  assert.equal(pythonString("it's"), "'it\\'s'");
  assert.equal(pythonString('a\nb'), "'''a\nb'''");
  assert.doesNotMatch(pythonString('a\rb'), /\r/);
});

const tricky = fc.constantFrom("'", '"', '\\', '\n', '\r', '\t', '\0', '\u2028', '%', ':', '\ud800', '\udc00');
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));

test('pythonString: any string reads back exactly (property)', (t) => {
  if (!needsPython(t, 'ast')) return;
  // One Python process per batch: each run checks 50 strings.
  fc.assert(
    fc.property(fc.array(fc.string({ unit: fc.oneof(tricky, anyCodeUnit, anyCodePoint), maxLength: 40 }), { minLength: 50, maxLength: 50 }), (values) => {
      assert.deepEqual(roundTrip(values), values);
    }),
    { numRuns: 40 },
  );
});
