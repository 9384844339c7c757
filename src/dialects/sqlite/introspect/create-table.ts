// Reads a CREATE TABLE statement as sqlite_schema keeps it, for what the
// pragmas leave out: constraint names, CHECK expressions, COLLATE,
// AUTOINCREMENT, generated expressions, DEFERRABLE and the table options.
import type { FkAction } from '../../../schema/types.js';
import { canonicalTokens } from './expression.js';
import { identName, isPunct, isWord, joinTokens, matchParen, splitTopLevel, tokenize, type Token } from './tokens.js';

export interface ParsedColumn {
  name: string;
  collation?: string;
  generated?: { expression: string; kind: 'stored' | 'virtual' };
  autoincrement?: boolean;
}

export interface ParsedCheck {
  name?: string;
  /** The column whose definition holds it (named after it when unnamed). */
  column?: string;
  expression: string;
}

export interface ParsedKeyConstraint {
  name?: string;
  columns: string[];
}

export interface ParsedForeignKey {
  name?: string;
  columns: string[];
  table: string;
  referenced: string[];
  on_delete?: FkAction;
  on_update?: FkAction;
  deferrable?: boolean;
  initially_deferred?: boolean;
}

export interface ParsedTable {
  columns: ParsedColumn[];
  primaryKey?: ParsedKeyConstraint & { autoincrement?: boolean };
  uniques: ParsedKeyConstraint[];
  checks: ParsedCheck[];
  foreignKeys: ParsedForeignKey[];
  strict: boolean;
  withoutRowid: boolean;
}

const COLUMN_CONSTRAINT = ['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS'];

export function parseCreateTable(sql: string): ParsedTable {
  const tokens = tokenize(sql);
  const open = tokens.findIndex((t) => isPunct(t, '('));
  const close = matchParen(tokens, open);
  const out: ParsedTable = { columns: [], uniques: [], checks: [], foreignKeys: [], strict: false, withoutRowid: false };
  for (const def of splitTopLevel(tokens.slice(open + 1, close))) {
    if (isWord(def[0], 'CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN')) tableConstraint(def, out);
    else columnDefinition(def, out);
  }
  const options = tokens.slice(close + 1);
  out.strict = options.some((t) => isWord(t, 'STRICT'));
  out.withoutRowid = options.some((t, i) => isWord(t, 'WITHOUT') && isWord(options[i + 1], 'ROWID'));
  return out;
}

function columnDefinition(def: Token[], out: ParsedTable): void {
  const column: ParsedColumn = { name: identName(def[0]!) };
  let i = 1;
  while (i < def.length && !isWord(def[i], ...COLUMN_CONSTRAINT)) i++;
  let name: string | undefined;
  while (i < def.length) {
    const t = def[i]!;
    if (isWord(t, 'CONSTRAINT')) {
      name = identName(def[i + 1]!);
      i += 2;
      continue;
    }
    if (isWord(t, 'PRIMARY')) {
      let j = i + 2;
      while (j < def.length && !isWord(def[j], ...COLUMN_CONSTRAINT)) {
        if (isWord(def[j], 'AUTOINCREMENT')) column.autoincrement = true;
        j++;
      }
      out.primaryKey = { ...(name ? { name } : {}), columns: [column.name], ...(column.autoincrement ? { autoincrement: true } : {}) };
      i = j;
    } else if (isWord(t, 'UNIQUE')) {
      out.uniques.push({ ...(name ? { name } : {}), columns: [column.name] });
      i = skipClause(def, i + 1);
    } else if (isWord(t, 'CHECK')) {
      const end = matchParen(def, i + 1);
      out.checks.push({ ...(name ? { name } : {}), column: column.name, expression: canonicalTokens(def.slice(i + 2, end)) });
      i = end + 1;
    } else if (isWord(t, 'COLLATE')) {
      column.collation = identName(def[i + 1]!);
      i += 2;
    } else if (isWord(t, 'REFERENCES')) {
      const [fk, next] = references(def, i, [column.name]);
      out.foreignKeys.push({ ...(name ? { name } : {}), ...fk });
      i = next;
    } else if (isWord(t, 'GENERATED', 'AS')) {
      const open = def.findIndex((x, k) => k > i && isPunct(x, '('));
      const end = matchParen(def, open);
      const stored = isWord(def[end + 1], 'STORED');
      column.generated = { expression: canonicalTokens(def.slice(open + 1, end)), kind: stored ? 'stored' : 'virtual' };
      i = isWord(def[end + 1], 'STORED', 'VIRTUAL') ? end + 2 : end + 1;
    } else if (isWord(t, 'DEFAULT')) {
      i = isPunct(def[i + 1], '(') ? matchParen(def, i + 1) + 1 : i + (isPunct(def[i + 1], '-') || isPunct(def[i + 1], '+') ? 3 : 2);
    } else {
      i = skipClause(def, i + 1);
    }
    name = undefined;
  }
  out.columns.push(column);
}

/** Skips to the next column-constraint keyword. */
function skipClause(def: Token[], from: number): number {
  let i = from;
  while (i < def.length && !isWord(def[i], ...COLUMN_CONSTRAINT)) i++;
  return i;
}

function tableConstraint(def: Token[], out: ParsedTable): void {
  let i = 0;
  let name: string | undefined;
  if (isWord(def[0], 'CONSTRAINT')) {
    name = identName(def[1]!);
    i = 2;
  }
  const named = name ? { name } : {};
  if (isWord(def[i], 'PRIMARY')) {
    const open = def.findIndex((x, k) => k > i && isPunct(x, '('));
    const end = matchParen(def, open);
    const inner = def.slice(open + 1, end);
    out.primaryKey = { ...named, columns: keyColumns(inner), ...(inner.some((t) => isWord(t, 'AUTOINCREMENT')) ? { autoincrement: true } : {}) };
  } else if (isWord(def[i], 'UNIQUE')) {
    const end = matchParen(def, i + 1);
    out.uniques.push({ ...named, columns: keyColumns(def.slice(i + 2, end)) });
  } else if (isWord(def[i], 'CHECK')) {
    const end = matchParen(def, i + 1);
    out.checks.push({ ...named, expression: canonicalTokens(def.slice(i + 2, end)) });
  } else if (isWord(def[i], 'FOREIGN')) {
    const end = matchParen(def, i + 2);
    const columns = keyColumns(def.slice(i + 3, end));
    const [fk] = references(def, end + 1, columns);
    out.foreignKeys.push({ ...named, ...fk });
  }
}

function keyColumns(tokens: Token[]): string[] {
  return splitTopLevel(tokens).map((part) => identName(part[0]!));
}

function references(def: Token[], at: number, columns: string[]): [ParsedForeignKey, number] {
  const fk: ParsedForeignKey = { columns, table: identName(def[at + 1]!), referenced: [] };
  let i = at + 2;
  if (isPunct(def[i], '(')) {
    const end = matchParen(def, i);
    fk.referenced = keyColumns(def.slice(i + 1, end));
    i = end + 1;
  }
  while (i < def.length) {
    if (isWord(def[i], 'ON') && isWord(def[i + 1], 'DELETE', 'UPDATE')) {
      const which = def[i + 1]!.text.toUpperCase() === 'DELETE' ? 'on_delete' : 'on_update';
      const [action, used] = fkAction(def, i + 2);
      fk[which] = action;
      i += 2 + used;
    } else if (isWord(def[i], 'MATCH')) {
      i += 2;
    } else if (isWord(def[i], 'NOT') && isWord(def[i + 1], 'DEFERRABLE')) {
      i += 2;
    } else if (isWord(def[i], 'DEFERRABLE')) {
      fk.deferrable = true;
      if (isWord(def[i + 1], 'INITIALLY')) {
        if (isWord(def[i + 2], 'DEFERRED')) fk.initially_deferred = true;
        i += 3;
      } else i += 1;
    } else break;
  }
  return [fk, i];
}

function fkAction(def: Token[], at: number): [FkAction, number] {
  const a = def[at]?.text.toUpperCase();
  const b = def[at + 1]?.text.toUpperCase();
  if (a === 'SET' && b === 'NULL') return ['SET NULL', 2];
  if (a === 'SET' && b === 'DEFAULT') return ['SET DEFAULT', 2];
  if (a === 'NO' && b === 'ACTION') return ['NO ACTION', 2];
  if (a === 'CASCADE') return ['CASCADE', 1];
  return ['RESTRICT', 1];
}
