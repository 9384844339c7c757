// Canonical SQLite expressions: spellings SQLite reads the same are one text;
// parentheses that change the grouping stay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalExpression } from '../../../src/dialects/sqlite/introspect/expression.js';

test('the same expression spelled differently is one text', () => {
  const same: [string, string][] = [
    ['((n>0) and (m<>1))', 'n > 0 AND m <> 1'],
    ['(a AND b) AND (c OR d)', 'a AND b AND (c OR d)'],
    ['((s is not null) or (n between 1 and 5))', 's IS NOT NULL OR n BETWEEN 1 AND 5'],
    ['LENGTH( "Name" ) < 5', 'length("Name") < 5'],
    ['-(5)', '-5'],
    ['NOT (a = b)', 'NOT a = b'],
    ['(a * b) + c', 'a * b + c'],
    ['f((x))', 'f(x)'],
    ['(((\'x\')))', "'x'"],
    ['(x) collate nocase', 'x COLLATE NOCASE'],
    ['case when (a) then (b) else (c) end', 'CASE WHEN a THEN b ELSE c END'],
  ];
  for (const [a, b] of same) assert.equal(canonicalExpression(a), canonicalExpression(b), `${a}  vs  ${b}`);
});

test('parentheses that group differently from precedence are kept', () => {
  const kept: [string, string][] = [
    ['a - (b - c)', 'a - (b - c)'],
    ['(a OR b) AND c', '(a OR b) AND c'],
    ['x IN (1)', 'x IN (1)'],
    ['NOT (a AND b)', 'NOT (a AND b)'],
    ['a BETWEEN 1 AND (b AND c)', 'a BETWEEN 1 AND (b AND c)'],
    ['(a || b) COLLATE NOCASE', '(a || b) COLLATE NOCASE'],
    ['-(a + b)', '-(a + b)'],
    ['(a, b) = (1, 2)', '(a, b) = (1, 2)'],
    ['EXISTS (SELECT 1)', 'EXISTS (SELECT 1)'],
    ['CAST((a + 1) AS TEXT)', 'CAST((a + 1) AS TEXT)'],
    ['"Col" > 0', '"Col" > 0'],
  ];
  for (const [input, expected] of kept) assert.equal(canonicalExpression(input), expected, input);
});
