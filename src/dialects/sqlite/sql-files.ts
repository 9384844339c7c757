// SQLite desired-state SQL: a .sql file or a directory of them, split into
// statements (a CREATE TRIGGER … BEGIN … END counts as one) with file:line.
import { readFileSync } from 'node:fs';
import { sqlSourceFiles } from '../../sql/source.js';
import type { SqlText } from './desired.js';
import { isPunct, isWord, tokenize } from './introspect/tokens.js';

export function readSqliteSqlSource(path: string): SqlText[] {
  return sqlSourceFiles(path).flatMap((file) => splitStatements(readFileSync(file, 'utf8'), file));
}

export function splitStatements(text: string, file: string): SqlText[] {
  const tokens = tokenize(text);
  const out: SqlText[] = [];
  let first = 0;
  let inBody = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isWord(t, 'BEGIN') && isTrigger(tokens, first)) inBody = true;
    if (inBody && isWord(t, 'END') && isPunct(tokens[i + 1], ';')) inBody = false;
    else if (!inBody && isPunct(t, ';')) {
      if (i > first) out.push(statement(text, file, tokens[first]!.start, t.start));
      first = i + 1;
    }
  }
  if (first < tokens.length) out.push(statement(text, file, tokens[first]!.start, text.length));
  return out;
}

function isTrigger(tokens: ReturnType<typeof tokenize>, first: number): boolean {
  return isWord(tokens[first], 'CREATE') && tokens.slice(first + 1, first + 3).some((t) => isWord(t, 'TRIGGER'));
}

function statement(text: string, file: string, start: number, end: number): SqlText {
  const line = text.slice(0, start).split('\n').length;
  return { where: `${file}:${line}`, sql: text.slice(start, end).trim() };
}
