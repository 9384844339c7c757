// SQL sources: a .sql / .lp.sql file or a directory of them, parsed by the
// real Postgres parser (libpg-query, WASM) into statements that remember
// where they were written, and checked to be declarative.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { RenameIntent } from '../schema/renames.js';
import { classify, type NodeBody } from './declarative.js';
import { annotationRenames, type ParsedStatement } from './renames.js';
import { skipTrivia, TextIndex } from './text-index.js';

export interface SqlStatement {
  file: string;
  /** 1-based line of the statement's first token. */
  line: number;
  /** 1-based column (in characters) of the statement's first token. */
  column: number;
  /** The statement text exactly as written, without the terminating semicolon. */
  sql: string;
  /** Parser node type, e.g. CreateStmt. */
  kind: string;
  /** Rename annotations (`-- lockplane: renamed from …`) on what this statement defines. */
  renames?: RenameIntent[];
}

export interface SqlDiagnostic {
  file: string;
  line: number;
  column: number;
  /** The problem, without its location. */
  message: string;
  /** For syntax errors: the offending source line and a caret under the position. */
  excerpt?: [string, string];
}

/** A schema file that is not valid or not declarative; `diagnostics` holds every problem found, first one in the message. */
export class SqlSourceError extends InputError {
  constructor(readonly diagnostics: SqlDiagnostic[]) {
    super(formatDiagnostic(diagnostics[0]!));
    this.name = 'SqlSourceError';
  }
}

/** `FILE:LINE:COL: message`, then the source line and caret for syntax errors. */
export function formatDiagnostic(d: SqlDiagnostic): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.message}`;
  return d.excerpt ? `${head}\n  ${d.excerpt[0]}\n  ${d.excerpt[1]}` : head;
}

/** True for a directory or a file named *.sql (which includes *.lp.sql). */
export function isSqlSourcePath(path: string): boolean {
  if (path.toLowerCase().endsWith('.sql')) return true;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The files a source path stands for: itself, or a directory's *.sql files sorted byte-wise by name. */
export function sqlSourceFiles(path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new InputError(`${path}: no such file or directory`);
  }
  if (!isDirectory) return [path];
  const names = readdirSync(path)
    .filter((name) => name.toLowerCase().endsWith('.sql') && !name.startsWith('.'))
    .filter((name) => statSync(join(path, name)).isFile())
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (names.length === 0) throw new InputError(`${path}: directory contains no .sql files`);
  return names.map((name) => join(path, name));
}

/** Every statement of the source, in order. Throws SqlSourceError on the first syntax or declarative-only problem. */
export async function loadSqlSource(path: string): Promise<SqlStatement[]> {
  const { statements, diagnostics } = await readSqlSource(path);
  if (diagnostics.length > 0) throw new SqlSourceError(diagnostics);
  return statements;
}

/** Every problem of the source (syntax errors stop only their own file). Throws InputError only for a missing path or an empty directory. */
export async function checkSqlSource(path: string): Promise<SqlDiagnostic[]> {
  return (await readSqlSource(path)).diagnostics;
}

export async function readSqlSource(path: string): Promise<{ statements: SqlStatement[]; diagnostics: SqlDiagnostic[] }> {
  const statements: SqlStatement[] = [];
  const diagnostics: SqlDiagnostic[] = [];
  for (const file of sqlSourceFiles(path)) {
    const result = await parseSqlText(readText(file), file);
    statements.push(...result.statements);
    diagnostics.push(...result.diagnostics);
  }
  return { statements, diagnostics };
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${file}: no such file or directory`);
    if (code === 'EACCES') throw new InputError(`${file}: permission denied`);
    throw error;
  }
}

interface RawStatement {
  stmt?: Record<string, NodeBody>;
  stmt_location?: number;
  stmt_len?: number;
}

export interface ParsedSqlText {
  statements: SqlStatement[];
  diagnostics: SqlDiagnostic[];
  /** The parse tree of each statement (same order as `statements`). */
  parsed: ParsedStatement[];
  index: TextIndex;
}

/** Parses one file's text. Statements come back even when some are refused, so a checker sees them all. */
export async function parseSqlText(written: string, file: string): Promise<ParsedSqlText> {
  const text = withoutDumpMetaCommands(written);
  const index = new TextIndex(text);
  if (skipTrivia(text, 0) >= text.length) return { statements: [], diagnostics: [], parsed: [], index };
  let raw: RawStatement[];
  try {
    // Loaded on first use: commands that read no SQL file do not pay for the parser's module.
    const { parse } = await import('libpg-query');
    raw = ((await parse(text)) as { stmts?: RawStatement[] }).stmts ?? [];
  } catch (error) {
    return { statements: [], diagnostics: [syntaxDiagnostic(error, index, file)], parsed: [], index };
  }
  const statements: SqlStatement[] = [];
  const diagnostics: SqlDiagnostic[] = [];
  const parsed: ParsedStatement[] = [];
  for (const entry of raw) {
    const [kind, body] = Object.entries(entry.stmt ?? {})[0] ?? ['unknown', {}];
    const location = entry.stmt_location ?? 0;
    const end = entry.stmt_len ? index.indexOfByte(location + entry.stmt_len) : text.length;
    const start = skipTrivia(text, index.indexOfByte(location), end);
    const sql = text.slice(start, end).trimEnd();
    const { line, column } = index.position(start);
    statements.push({ file, line, column, sql, kind });
    parsed.push({ kind, body, line });
    const verdict = classify(kind, body);
    if (!verdict.allowed) {
      diagnostics.push({
        file,
        line,
        column,
        message: `${verdict.name} is not allowed in a schema file (only declarative statements): ${excerpt(sql)}`,
      });
    }
  }
  const annotations = annotationRenames(text, index, file, parsed);
  for (const { statement, intent } of annotations.intents) (statements[statement]!.renames ??= []).push(intent);
  diagnostics.push(...annotations.problems.map((p) => ({ file, ...p })));
  return { statements, diagnostics, parsed, index };
}

/**
 * pg_dump (15.14+, 16.10+, 17.6+) brackets its output with the psql
 * meta-commands `\\restrict KEY` and `\\unrestrict KEY`, which are not SQL.
 * They are blanked out — same length, so lines and columns stay true.
 */
function withoutDumpMetaCommands(text: string): string {
  return text.replace(/^\\(?:un)?restrict[ \t]+[A-Za-z0-9]+[ \t]*$/gm, (line) => ' '.repeat(line.length));
}

function excerpt(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}...` : flat;
}

function syntaxDiagnostic(error: unknown, index: TextIndex, file: string): SqlDiagnostic {
  const details = (error as { sqlDetails?: { message?: unknown; cursorPosition?: unknown } }).sqlDetails;
  const message = typeof details?.message === 'string' ? details.message : error instanceof Error ? error.message : String(error);
  const cursor = typeof details?.cursorPosition === 'number' ? details.cursorPosition : 0;
  let at = index.indexOfCodePoint(cursor);
  // "at end of input": point just past the last token, not at trailing blank lines.
  if (at >= index.text.length) at = index.text.trimEnd().length;
  const { line, column } = index.position(at);
  const source = index.lineText(line);
  const caret = `${[...source].slice(0, column - 1).map((c) => (c === '\t' ? '\t' : ' ')).join('')}^`;
  return { file, line, column, message, excerpt: [source, caret] };
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * Where in its file a runtime error happened: `position` is Postgres's error
 * position (1-based, in characters, within the statement text as sent);
 * without one, the statement's own start.
 */
export function locateInStatement(statement: SqlStatement, position?: number | string): SourceLocation {
  const at = Number(position);
  const { file, line, column } = statement;
  if (position === undefined || !Number.isInteger(at) || at < 1) return { file, line, column };
  const before = [...statement.sql].slice(0, at - 1).join('');
  const lines = before.split('\n');
  if (lines.length === 1) return { file, line, column: column + [...before].length };
  return { file, line: line + lines.length - 1, column: [...lines[lines.length - 1]!].length + 1 };
}

/** `locateInStatement` for the statement at `statementIndex` of a loaded source. */
export function locate(statements: readonly SqlStatement[], statementIndex: number, position?: number | string): SourceLocation {
  const statement = statements[statementIndex];
  if (!statement) throw new RangeError(`no statement ${statementIndex} (source has ${statements.length})`);
  return locateInStatement(statement, position);
}

export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}
