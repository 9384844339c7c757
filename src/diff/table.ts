// Differences inside one table that exists on both sides: columns by name
// (order ignored), primary key, unique and check constraints, indexes and
// foreign keys by name and full definition (a changed definition is a drop
// plus an add).
import { indexKeys } from '../schema/canonical.js';
import type { Column, CommentTarget, ForeignKey, Index, QualifiedName, Table } from '../schema/types.js';
import { nextvalSequence } from '../schema/nextval.js';
import { tableSchema } from '../schema/types.js';
import type { Change } from './changes.js';
import { commentChange } from './comment-target.js';
import { generationChanged, sameColumn, sameDefinition, samePrimaryKey } from './compare.js';
import { primaryKeyName } from '../dialects/postgres/render.js';
import { quoteIdent } from '../dialects/postgres/quote.js';

export interface TableDiff {
  changes: Change[];
  /** Columns whose stored type changes (altered or recreated): foreign keys over them are re-added. */
  retyped: Set<string>;
}

/** The comment of a serial's sequence kept by the column (a new sequence is commented where it is created). */
function serialSequenceComment(q: QualifiedName, old: Column, col: Column): Change[] {
  const parts = col.standalone_sequence ? undefined : nextvalSequence(col.default);
  if (!parts || old.standalone_sequence || old.default !== col.default) return [];
  const sequence = parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: q.schema, name: parts[0]! };
  return commentChange({ kind: 'sequence', sequence, serial: { table: q, column: col.name } }, old.sequence_comment, col.sequence_comment);
}

export function diffTable(a: Table, b: Table): TableDiff {
  const q: QualifiedName = { schema: tableSchema(b), name: b.name };
  const changes: Change[] = [];
  const retyped = new Set<string>();
  const recreated = new Set<string>();
  const before = new Map(a.columns.map((c) => [c.name, c]));
  const after = new Set(b.columns.map((c) => c.name));

  const comments: Change[] = commentChange({ kind: 'table', table: q }, a.comment, b.comment);
  // A partition's columns are its parent's: they come and go, and change type, with the parent.
  const partition = a.partition_of !== undefined && b.partition_of !== undefined;
  for (const bcol of b.columns) {
    const aged = before.get(bcol.name);
    if (partition && !aged) continue;
    const old = partition && aged ? { ...aged, type: bcol.type, ...(bcol.collation ? { collation: bcol.collation } : {}) } : aged;
    const col = bcol;
    if (old && !generationChanged(old, col)) {
      comments.push(...commentChange({ kind: 'column', table: q, column: col.name }, old.comment, col.comment));
      comments.push(...serialSequenceComment(q, old, col));
    }
    if (!old) changes.push({ kind: 'add_column', table: q, column: col });
    else if (generationChanged(old, col)) {
      changes.push({ kind: 'drop_column', table: q, column: old }, { kind: 'add_column', table: q, column: col });
      recreated.add(col.name);
      retyped.add(col.name);
    } else if (!sameColumn(old, col)) {
      changes.push({ kind: 'alter_column', table: q, from: old, to: col });
      if (old.type !== col.type || (old.collation ?? '') !== (col.collation ?? '')) retyped.add(col.name);
    }
  }
  for (const col of a.columns) if (!after.has(col.name) && !partition) changes.push({ kind: 'drop_column', table: q, column: col });

  // The catalog prints a name bare when it can and quoted (with doubled quotes) when it must.
  const spelled = (t: string, n: string): boolean => t.includes(n) || t.includes(quoteIdent(n));
  const mentions = (names: readonly string[], texts: readonly (string | undefined)[]): boolean =>
    names.some((n) => recreated.has(n)) || texts.some((t) => t !== undefined && [...recreated].some((n) => spelled(t, n)));

  const pkTouched = a.primary_key !== undefined && mentions(a.primary_key.columns, []);
  if (!samePrimaryKey(a.primary_key, b.primary_key) || pkTouched) {
    if (a.primary_key) changes.push({ kind: 'drop_primary_key', table: q, primary_key: a.primary_key });
    if (b.primary_key) changes.push({ kind: 'add_primary_key', table: q, primary_key: b.primary_key });
  } else if (a.primary_key && b.primary_key) {
    comments.push(...commentChange({ kind: 'constraint', table: q, name: primaryKeyName(q, b.primary_key) }, a.primary_key.comment, b.primary_key.comment));
  }
  pairs(a.unique_constraints, b.unique_constraints, (u) => mentions(u.columns, []), q, changes, 'drop_unique', 'add_unique');
  pairs(a.check_constraints, b.check_constraints, (c) => mentions([], [c.expression]), q, changes, 'drop_check', 'add_check');
  pairs(a.exclusion_constraints, b.exclusion_constraints, (c) => mentions([], [c.definition]), q, changes, 'drop_exclusion', 'add_exclusion');
  if (Boolean(a.unlogged) !== Boolean(b.unlogged)) changes.push({ kind: 'set_unlogged', table: q, unlogged: Boolean(b.unlogged) });
  pairs(a.indexes, b.indexes, (i) => mentions(indexColumns(i), indexTexts(i)), q, changes, 'drop_index', 'create_index');
  pairs(a.foreign_keys, b.foreign_keys, (fk: ForeignKey) => mentions(fk.columns, []), q, changes, 'drop_foreign_key', 'add_foreign_key');
  changes.push(...validations(q, [...(a.check_constraints ?? []), ...(a.foreign_keys ?? [])], [...(b.check_constraints ?? []), ...(b.foreign_keys ?? [])], changes));
  // Comments of objects kept as they are (a recreated object brings its own comment).
  const added = new Set(changes.flatMap((c) => (c.kind in FIELD ? [`${c.kind === 'create_index' ? 'i' : 'c'}:${objectName(c)}`] : [])));
  const constraints = (t: Table): (Named & { comment?: string })[] => [
    ...(t.unique_constraints ?? []),
    ...(t.check_constraints ?? []),
    ...(t.foreign_keys ?? []),
    ...(t.exclusion_constraints ?? []),
  ];
  keptComments(constraints(a), constraints(b), (n) => !added.has(`c:${n}`), (name) => ({ kind: 'constraint', table: q, name }), comments);
  keptComments(a.indexes ?? [], b.indexes ?? [], (n) => !added.has(`i:${n}`), (name) => ({ kind: 'index', table: q, name }), comments);
  changes.push(...comments);
  return { changes, retyped };
}

/**
 * A check or foreign key left NOT VALID (an online VALIDATE that failed, or
 * added so by hand) that the desired schema keeps: it is validated.
 */
function validations(q: QualifiedName, a: (Named & { not_valid?: boolean })[], b: (Named & { not_valid?: boolean })[], changes: Change[]): Change[] {
  const dropped = new Set(changes.flatMap((c) => (c.kind === 'drop_check' ? [c.constraint.name] : c.kind === 'drop_foreign_key' ? [c.foreign_key.name] : [])));
  const wanted = new Set(b.filter((x) => !x.not_valid).map((x) => x.name));
  return a.filter((x) => x.not_valid && wanted.has(x.name) && !dropped.has(x.name)).map((x) => ({ kind: 'validate_constraint', table: q, name: x.name }));
}

function objectName(c: Change): string {
  return (c as unknown as Record<string, Named>)[FIELD[c.kind as AddKind]]!.name;
}

function keptComments<T extends Named & { comment?: string }>(
  a: T[],
  b: T[],
  kept: (name: string) => boolean,
  target: (name: string) => CommentTarget,
  out: Change[],
): void {
  const before = new Map(a.map((x) => [x.name, x]));
  for (const x of b) {
    const old = before.get(x.name);
    if (old && kept(x.name)) out.push(...commentChange(target(x.name), old.comment, x.comment));
  }
}

function indexColumns(i: Index): string[] {
  return [...indexKeys(i).flatMap((k) => (k.column !== undefined ? [k.column] : [])), ...(i.include ?? [])];
}

function indexTexts(i: Index): (string | undefined)[] {
  return [...indexKeys(i).map((k) => k.expression), i.where];
}

type Named = { name: string };
type DropKind = 'drop_unique' | 'drop_check' | 'drop_index' | 'drop_foreign_key' | 'drop_exclusion';
type AddKind = 'add_unique' | 'add_check' | 'create_index' | 'add_foreign_key' | 'add_exclusion';

const FIELD: Record<DropKind | AddKind, 'constraint' | 'index' | 'foreign_key'> = {
  drop_unique: 'constraint',
  add_unique: 'constraint',
  drop_check: 'constraint',
  add_check: 'constraint',
  drop_index: 'index',
  create_index: 'index',
  drop_foreign_key: 'foreign_key',
  add_foreign_key: 'foreign_key',
  drop_exclusion: 'constraint',
  add_exclusion: 'constraint',
};

function make(kind: DropKind | AddKind, table: QualifiedName, object: Named): Change {
  return { kind, table, [FIELD[kind]]: object } as unknown as Change;
}

/** Named objects compared by name and full definition; `touched` forces a recreate. */
function pairs<T extends Named>(
  a: T[] | undefined,
  b: T[] | undefined,
  touched: (x: T) => boolean,
  table: QualifiedName,
  out: Change[],
  drop: DropKind,
  add: AddKind,
): void {
  const before = new Map((a ?? []).map((x) => [x.name, x]));
  const after = new Map((b ?? []).map((x) => [x.name, x]));
  for (const [name, old] of before) {
    const next = after.get(name);
    if (!next || !sameDefinition(old, next) || touched(old)) out.push(make(drop, table, old));
  }
  for (const [name, next] of after) {
    const old = before.get(name);
    if (!old || !sameDefinition(old, next) || touched(old)) out.push(make(add, table, next));
  }
}

