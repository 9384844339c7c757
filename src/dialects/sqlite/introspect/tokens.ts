// A small SQLite tokenizer: enough to read back what the catalog does not
// expose through pragmas (CHECK text, COLLATE, AUTOINCREMENT, constraint
// names, generated expressions, index key expressions) from sqlite_schema.sql.
export type TokenKind = 'word' | 'ident' | 'string' | 'number' | 'punct';

export interface Token {
  kind: TokenKind;
  /** As written (quotes included for ident/string). */
  text: string;
  /** Offset in the tokenized text. */
  start: number;
}

const PUNCT3 = ['->>'];
const PUNCT2 = ['<=', '>=', '<>', '!=', '==', '||', '<<', '>>', '->'];

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = closing(sql, i, c);
      out.push({ kind: c === "'" ? 'string' : 'ident', text: sql.slice(i, end), start: i });
      i = end;
    } else if (c === '[') {
      const end = sql.indexOf(']', i);
      const stop = end < 0 ? sql.length : end + 1;
      out.push({ kind: 'ident', text: sql.slice(i, stop), start: i });
      i = stop;
    } else if (/[xX]/.test(c) && sql[i + 1] === "'") {
      const end = closing(sql, i + 1, "'");
      out.push({ kind: 'string', text: sql.slice(i, end), start: i });
      i = end;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z0-9_$\u0080-\uffff]+/.exec(sql.slice(i))![0];
      out.push({ kind: 'word', text: m, start: i });
      i += m.length;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?)/i.exec(sql.slice(i))![0];
      out.push({ kind: 'number', text: m, start: i });
      i += m.length;
    } else {
      const three = sql.slice(i, i + 3);
      const two = sql.slice(i, i + 2);
      const text = PUNCT3.includes(three) ? three : PUNCT2.includes(two) ? two : c;
      out.push({ kind: 'punct', text, start: i });
      i += text.length;
    }
  }
  return out;
}

function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.some((w) => w.toUpperCase() === token.text.toUpperCase());
}

export function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === 'punct' && token.text === text;
}

/** The name a word or quoted identifier stands for. */
export function identName(token: Token): string {
  const t = token.text;
  if (token.kind === 'ident' || token.kind === 'string') {
    if (t.startsWith('[')) return t.slice(1, -1);
    const q = t[0]!;
    return t.slice(1, -1).split(q + q).join(q);
  }
  return t;
}

/** Index of the `)` matching the `(` at `open`. */
export function matchParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    else if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** Splits on top-level commas. */
export function splitTopLevel(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (isPunct(t, '(')) depth++;
    if (isPunct(t, ')')) depth--;
    if (depth === 0 && isPunct(t, ',')) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p) => p.length > 0);
}

/**
 * Canonical spacing: one space between tokens, none inside parentheses or
 * before commas, none around `.`. Two spellings that differ only in
 * whitespace or comments read the same.
 */
export function joinTokens(tokens: Token[]): string {
  let out = '';
  let prev: Token | undefined;
  let unary = false;
  for (const t of tokens) {
    const tight =
      prev === undefined ||
      unary ||
      isPunct(prev, '(') ||
      isPunct(prev, '.') ||
      isPunct(t, ')') ||
      isPunct(t, ',') ||
      isPunct(t, '.') ||
      (isPunct(t, '(') && (prev.kind === 'word' || prev.kind === 'ident') && !isKeywordBeforeParen(prev));
    out += (tight ? '' : ' ') + t.text;
    // A sign after an operator, `(`, `,` or a keyword (or first) binds to what follows.
    unary = (isPunct(t, '-') || isPunct(t, '+')) && (prev === undefined || (prev.kind === 'punct' && prev.text !== ')') || isKeywordBeforeParen(prev));
    prev = t;
  }
  return out;
}

const SPACED_BEFORE_PAREN = new Set(['AND', 'OR', 'NOT', 'IN', 'AS', 'WHEN', 'THEN', 'ELSE', 'IS', 'EXISTS', 'ON', 'FROM', 'SELECT', 'WHERE', 'BY', 'VALUES', 'USING', 'KEY', 'CHECK', 'REFERENCES', 'LIKE', 'BETWEEN']);

function isKeywordBeforeParen(token: Token): boolean {
  return token.kind === 'word' && SPACED_BEFORE_PAREN.has(token.text.toUpperCase());
}

export function normalizeSqlText(text: string): string {
  return joinTokens(tokenize(text));
}
