// Rename annotations in SQL sources: `-- lockplane: renamed from old_name` on
// its own line, right before what it renames — CREATE TABLE, CREATE INDEX, a
// column line or a CONSTRAINT line (also in ALTER TABLE … ADD). The parser's
// node locations tell which definition starts on the next line.
import type { RenameIntent, RenameTarget } from '../schema/renames.js';
import type { QualifiedName } from '../schema/types.js';
import { DEFAULT_NAMESPACE } from '../schema/types.js';
import type { NodeBody } from './declarative.js';
import type { TextIndex } from './text-index.js';

const MARK = /^[ \t]*--[ \t]*lockplane:[ \t]*renamed\b/i;
const ANNOTATION = /^[ \t]*--[ \t]*lockplane:[ \t]*renamed[ \t]+from[ \t]+("(?:[^"]|"")+"|[^\s"]+)[ \t]*$/i;

export interface ParsedStatement {
  kind: string;
  body: NodeBody;
  /** 1-based line of its first token. */
  line: number;
}

export interface AnnotationProblem {
  line: number;
  column: number;
  message: string;
}

interface Anchor {
  line: number;
  /** Index of the statement it belongs to. */
  statement: number;
  table: QualifiedName;
  target: RenameTarget | string;
}

type Node = Record<string, unknown>;

/** An identifier as Postgres reads it: quoted kept as written, bare folded to lower case. */
function identifier(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}

export function relationOf(body: NodeBody): QualifiedName | undefined {
  const r = body.relation as { schemaname?: string; relname?: string } | undefined;
  return r?.relname ? { schema: r.schemaname ?? DEFAULT_NAMESPACE, name: r.relname } : undefined;
}

function only(node: unknown, type: string): Node | undefined {
  return (node as Record<string, Node> | undefined)?.[type];
}

/** A table element (column or constraint) as the thing an annotation before it renames. */
function elementAnchor(element: unknown, table: QualifiedName, index: TextIndex, statement: number): Anchor | undefined {
  const column = only(element, 'ColumnDef');
  if (column && typeof column.location === 'number') {
    return { line: lineAt(index, column.location), statement, table, target: { kind: 'column', name: String(column.colname) } };
  }
  const c = only(element, 'Constraint');
  if (!c || typeof c.location !== 'number') return undefined;
  const line = lineAt(index, c.location);
  if (typeof c.conname === 'string') return { line, statement, table, target: { kind: 'constraint', name: c.conname } };
  if (c.contype === 'CONSTR_PRIMARY') return { line, statement, table, target: { kind: 'primary_key' } };
  return { line, statement, table, target: 'name the constraint (CONSTRAINT name …) to rename it' };
}

export function lineAt(index: TextIndex, byteOffset: number): number {
  return index.position(index.indexOfByte(byteOffset)).line;
}

/** What each annotatable line of the file defines. */
function anchors(statements: readonly ParsedStatement[], index: TextIndex): Anchor[] {
  const out: Anchor[] = [];
  statements.forEach((s, i) => {
    const table = relationOf(s.body);
    if (!table) return;
    if (s.kind === 'CreateStmt') {
      out.push({ line: s.line, statement: i, table, target: { kind: 'table' } });
      for (const e of (s.body.tableElts as unknown[] | undefined) ?? []) {
        const a = elementAnchor(e, table, index, i);
        if (a) out.push(a);
      }
    } else if (s.kind === 'IndexStmt') {
      const name = s.body.idxname;
      out.push({ line: s.line, statement: i, table, target: typeof name === 'string' ? { kind: 'index', name } : 'name the index to rename it' });
    } else if (s.kind === 'AlterTableStmt') {
      const cmds = ((s.body.cmds as unknown[] | undefined) ?? []).map((c) => only(c, 'AlterTableCmd'));
      const added = cmds.flatMap((c) => (c && (c.subtype === 'AT_AddConstraint' || c.subtype === 'AT_AddColumn') ? [elementAnchor(c.def, table, index, i)] : []));
      if (added.length === 1 && added[0]) out.push({ ...added[0], line: s.line });
      for (const a of added) if (a) out.push(a);
    }
  });
  return out;
}

/** The rename intents of one file, and its malformed or misplaced annotations. */
export function annotationRenames(
  text: string,
  index: TextIndex,
  file: string,
  statements: readonly ParsedStatement[],
): { intents: { statement: number; intent: RenameIntent }[]; problems: AnnotationProblem[] } {
  const intents: { statement: number; intent: RenameIntent }[] = [];
  const problems: AnnotationProblem[] = [];
  if (!/lockplane:/i.test(text)) return { intents, problems };
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let found: Anchor[] | undefined;
  lines.forEach((line, i) => {
    if (!MARK.test(line)) return;
    const at = i + 1;
    const column = line.indexOf('--') + 1;
    const m = ANNOTATION.exec(line);
    if (!m) {
      problems.push({ line: at, column, message: 'malformed annotation: expected -- lockplane: renamed from <old_name>' });
      return;
    }
    let next = i + 1;
    while (next < lines.length && /^[ \t]*(--.*)?$/.test(lines[next]!)) next += 1;
    found ??= anchors(statements, index);
    const anchor = found.find((a) => a.line === next + 1);
    if (!anchor) {
      problems.push({
        line: at,
        column,
        message: 'a rename annotation must be on the line before CREATE TABLE, CREATE INDEX, a column or a CONSTRAINT line',
      });
    } else if (typeof anchor.target === 'string') {
      problems.push({ line: at, column, message: anchor.target });
    } else {
      intents.push({ statement: anchor.statement, intent: { table: anchor.table, target: anchor.target, from: identifier(m[1]!), at: `${file}:${at}` } });
    }
  });
  return { intents, problems };
}
