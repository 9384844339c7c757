// Reads CREATE [UNIQUE] INDEX … ON t (keys) [WHERE …] as sqlite_schema keeps it.
import type { Index, IndexKey } from '../../../schema/types.js';
import { canonicalTokens } from './expression.js';
import { identName, isPunct, isWord, matchParen, splitTopLevel, tokenize, type Token } from './tokens.js';

export function parseCreateIndex(name: string, sql: string): Index {
  const tokens = tokenize(sql);
  const open = tokens.findIndex((t) => isPunct(t, '('));
  const close = matchParen(tokens, open);
  const keys = splitTopLevel(tokens.slice(open + 1, close)).map(indexKey);
  const whereAt = tokens.findIndex((t, i) => i > close && isWord(t, 'WHERE'));
  const index: Index = {
    name,
    columns: keys.flatMap((k) => (k.column ? [k.column] : [])),
    unique: isWord(tokens[1], 'UNIQUE'),
  };
  if (keys.some((k) => k.expression !== undefined || k.collation !== undefined || k.order !== undefined)) index.keys = keys;
  if (whereAt >= 0) index.where = canonicalTokens(tokens.slice(whereAt + 1));
  return index;
}

function indexKey(part: Token[]): IndexKey {
  let end = part.length;
  const key: IndexKey = {};
  if (isWord(part[end - 1], 'ASC', 'DESC')) {
    if (part[end - 1]!.text.toUpperCase() === 'DESC') key.order = 'DESC';
    end--;
  }
  if (end >= 2 && isWord(part[end - 2], 'COLLATE')) {
    key.collation = identName(part[end - 1]!);
    end -= 2;
  }
  // `((name))` is the column name: the parentheses are read away first.
  const expression = canonicalTokens(part.slice(0, end));
  const body = tokenize(expression);
  if (body.length === 1 && (body[0]!.kind === 'word' || body[0]!.kind === 'ident')) key.column = identName(body[0]!);
  else key.expression = expression;
  return key;
}
