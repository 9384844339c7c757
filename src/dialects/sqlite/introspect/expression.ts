// One spelling of a SQLite expression (DEFAULT, CHECK, generated column,
// index key or WHERE): canonical spacing, keywords in upper case and function
// names in lower case (SQLite ignores their case), and no parentheses that
// only group what SQLite's operator precedence groups anyway. So
// `((n>0) and (m<>1))` and `n > 0 AND m <> 1` read the same, while
// `a - (b - c)` and `x IN (1)` keep theirs. Identifiers keep their spelling.
import { isPunct, joinTokens, matchParen, tokenize, type Token } from './tokens.js';

const KEYWORDS = new Set(
  'AND OR NOT NULL IS IN LIKE GLOB REGEXP MATCH BETWEEN CASE WHEN THEN ELSE END CAST AS COLLATE ESCAPE EXISTS TRUE FALSE CURRENT_TIMESTAMP CURRENT_DATE CURRENT_TIME DISTINCT ISNULL NOTNULL BINARY NOCASE RTRIM SELECT'.split(' '),
);

/** Binding strength of binary operators (higher binds tighter), from SQLite's "Operators" table. */
const BINARY: Record<string, number> = {
  '||': 8, '->': 8, '->>': 8,
  '*': 7, '/': 7, '%': 7,
  '+': 6, '-': 6,
  '&': 5, '|': 5, '<<': 5, '>>': 5,
  ESCAPE: 4,
  '<': 3, '>': 3, '<=': 3, '>=': 3,
  '=': 2, '==': 2, '!=': 2, '<>': 2, IS: 2, IN: 2, LIKE: 2, GLOB: 2, MATCH: 2, REGEXP: 2, BETWEEN: 2, ISNULL: 2, NOTNULL: 2,
  NOT: 1.5,
  AND: 1,
  OR: 0,
};
const UNARY = 10;
const COLLATE = 9;
/** Tokens that end or start an expression around a group: no operator binds across them. */
const BOUNDARY = new Set(['WHEN', 'THEN', 'ELSE', 'END', 'CASE', 'ASC', 'DESC']);
/** AND and OR are associative: `(a AND b) AND c` is `a AND b AND c`. */
const ASSOCIATIVE = new Set([0, 1]);

export function canonicalExpression(text: string): string {
  return canonicalTokens(tokenize(text));
}

export function canonicalTokens(expression: Token[]): string {
  let tokens = expression;
  for (let before = -1; before !== tokens.length; ) {
    before = tokens.length;
    tokens = withoutOneRedundantGroup(tokens);
  }
  return joinTokens(tokens.map(caseFolded));
}

function caseFolded(token: Token, index: number, tokens: Token[]): Token {
  if (token.kind !== 'word') return token;
  const upper = token.text.toUpperCase();
  if (KEYWORDS.has(upper)) return { ...token, text: upper };
  const call = isPunct(tokens[index + 1], '(') && !isPunct(tokens[index - 1], '.');
  return call ? { ...token, text: token.text.toLowerCase() } : token;
}

const upper = (t: Token | undefined): string => (t?.kind === 'word' ? t.text.toUpperCase() : (t?.text ?? ''));
const isKeyword = (t: Token | undefined): boolean => t?.kind === 'word' && KEYWORDS.has(t.text.toUpperCase());

/** A value or the end of one: what a binary operator can follow. */
function isOperand(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.kind === 'punct') return t.text === ')';
  if (t.kind === 'word') return !isKeyword(t) || ['NULL', 'TRUE', 'FALSE', 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'END'].includes(upper(t));
  return true;
}

/** Removes the first group whose parentheses change nothing; the same tokens when there is none. */
function withoutOneRedundantGroup(tokens: Token[]): Token[] {
  for (let open = 0; open < tokens.length; open++) {
    if (!isPunct(tokens[open], '(')) continue;
    const close = matchParen(tokens, open);
    if (close >= tokens.length || !isPunct(tokens[close], ')')) return tokens;
    const inner = loosestInside(tokens.slice(open + 1, close));
    if (inner === null) continue;
    const left = strengthLeft(tokens, open);
    const right = strengthRight(tokens, close);
    if (left === null || right === null) continue;
    const outer = Math.max(left, right);
    if (inner > outer || (inner === outer && ASSOCIATIVE.has(inner))) {
      return [...tokens.slice(0, open), ...tokens.slice(open + 1, close), ...tokens.slice(close + 1)];
    }
  }
  return tokens;
}

/**
 * The loosest operator at the top level of a group, Infinity for one value;
 * null when the parentheses are not grouping (a list, a subquery, empty).
 */
function loosestInside(inner: Token[]): number | null {
  if (inner.length === 0 || upper(inner[0]) === 'SELECT') return null;
  let loosest = Infinity;
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const t = inner[i]!;
    const word = upper(t);
    if (isPunct(t, '(') || word === 'CASE') depth++;
    else if (isPunct(t, ')') || word === 'END') depth--;
    else if (depth === 0) {
      if (isPunct(t, ',')) return null;
      const strength = word === 'COLLATE' ? COLLATE : BINARY[word];
      if (strength === undefined) continue;
      // A sign with no value before it is unary: it binds tightest.
      const unary = (word === '-' || word === '+' || word === '~') && !isOperand(inner[i - 1]);
      loosest = Math.min(loosest, unary ? UNARY : strength);
    }
  }
  return loosest;
}

/** How strongly what precedes `(` binds it: -1 for nothing (start, `(`, `,`, CASE/WHEN/…), null when `(` is not a group (a call, IN (…), CAST (…)). */
function strengthLeft(tokens: Token[], open: number): number | null {
  const t = tokens[open - 1];
  if (!t || isPunct(t, '(') || isPunct(t, ',') || BOUNDARY.has(upper(t))) return -1;
  const word = upper(t);
  if (word === 'IN' || word === 'EXISTS') return null;
  if (word === '~' || ((word === '-' || word === '+') && !isOperand(tokens[open - 2]))) return UNARY;
  return strengthOf(tokens, open - 1);
}

/** How strongly what follows `)` binds it: -1 for nothing, null for anything unexpected. */
function strengthRight(tokens: Token[], close: number): number | null {
  const t = tokens[close + 1];
  if (!t || isPunct(t, ')') || isPunct(t, ',') || BOUNDARY.has(upper(t))) return -1;
  const word = upper(t);
  if (word === 'COLLATE') return COLLATE;
  return strengthOf(tokens, close + 1);
}

/** A binary operator's strength; the AND of `x BETWEEN a AND b` holds its operands as tightly as BETWEEN. */
function strengthOf(tokens: Token[], at: number): number | null {
  const word = upper(tokens[at]);
  if (word === 'AND' && closesBetween(tokens, at)) return BINARY.BETWEEN!;
  return BINARY[word] ?? null;
}

function closesBetween(tokens: Token[], and: number): boolean {
  let depth = 0;
  for (let i = and - 1; i >= 0; i--) {
    const word = upper(tokens[i]);
    if (word === ')' || word === 'END') depth++;
    else if (word === '(' || word === 'CASE') {
      if (depth === 0) return false;
      depth--;
    } else if (depth === 0 && word === 'AND') return false;
    else if (depth === 0 && word === 'BETWEEN') return true;
  }
  return false;
}
