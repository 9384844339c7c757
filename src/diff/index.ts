// Schema × Schema → Change[]: pure and deterministic. Tables are matched by
// qualified name, never by bare name. A new table is created without its
// indexes and foreign keys, which follow as separate changes; a dropped table
// is preceded by the drops of its own indexes and foreign keys — so every
// change inverts exactly.
import { canonicalOnce, sharingTexts } from '../schema/canonical-once.js';
import type { PartitionOf, QualifiedName, Schema, Table } from '../schema/types.js';
import { objectText, stableEqual } from '../schema/hash.js';
import { DEFAULT_NAMESPACE, qualifiedKey, tableKey, tableSchema } from '../schema/types.js';
import { commentChange } from './comment-target.js';
import { diffEnums } from './enums.js';
import { diffRanges } from './ranges.js';
import type { Change } from './changes.js';
import { readdDependentForeignKeys } from './foreign-key-dependencies.js';
import { diffTable } from './table.js';
import { rebuildDependents } from './dependents.js';
import { diffDefaultPrivileges, schemaGrantChanges, tableGrantChanges, widenForDefaultPrivileges, tableGrantsCreated, tableGrantsDropped } from './grants.js';
import { applyChanges } from './apply.js';
import { renameChanges } from './renames.js';
import { diffComposites, diffDomains, diffExtensions, diffRoutines, diffSequences, diffTableExtras, diffViews, tableExtrasCreated, tableExtrasDropped } from './objects.js';

export type { Change, ChangeKind } from './changes.js';
export { invertChange } from './invert.js';
export { applyChanges } from './apply.js';

export function diffSchemas(from: Schema, to: Schema): Change[] {
  const b = canonicalOnce(to);
  const start = canonicalOnce(from);
  // Renames first; every other change is computed against the renamed state.
  const renames = renameChanges(start, b);
  const a = renames.length ? applyChanges(start, renames) : start;
  const changes: Change[] = [...renames];

  const aNs = new Map((a.schemas ?? []).map((s) => [s.name, s]));
  const bNs = new Map((b.schemas ?? []).map((s) => [s.name, s]));
  for (const [name, ns] of bNs) {
    const old = aNs.get(name);
    if (old || name === DEFAULT_NAMESPACE) changes.push(...commentChange({ kind: 'schema', schema: name }, old?.comment, ns.comment));
    else changes.push(withComment<Change>({ kind: 'create_schema', schema: name }, ns.comment));
  }
  for (const [name, ns] of aNs) {
    if (bNs.has(name)) continue;
    if (name !== DEFAULT_NAMESPACE) changes.push(withComment<Change>({ kind: 'drop_schema', schema: name }, ns.comment));
    else changes.push(...commentChange({ kind: 'schema', schema: name }, ns.comment, undefined));
  }

  const aTables = new Map(a.tables.map((t) => [tableKey(t), t]));
  const bTables = new Map(b.tables.map((t) => [tableKey(t), t]));
  const retyped = new Map<string, Set<string>>();
  for (const [key, t] of aTables) if (!bTables.has(key)) changes.push(...dropTableChanges(t));
  for (const [key, t] of bTables) {
    const old = aTables.get(key);
    if (!old) {
      changes.push(...createTableChanges(t));
      continue;
    }
    if (unchangedTable(old, t)) continue;
    if ((old.partition_by ?? '') !== (t.partition_by ?? '')) {
      // Partitioning a table (or changing its key) means a new table: Postgres cannot convert one in place.
      changes.push(...dropTableChanges(old), ...createTableChanges(t));
      continue;
    }
    const d = diffTable(old, t);
    changes.push(...d.changes, ...diffTableExtras(old, t), ...partitionChanges(old, t), ...tableGrantChanges(old, t));
    if (d.retyped.size) retyped.set(key, d.retyped);
  }
  // Columns a recreated enum converts change type too: foreign keys over them are re-added around it.
  const enumChanges = [...diffEnums(a, b, changes), ...diffRanges(a, b, changes)];
  for (const c of enumChanges) {
    if (c.kind !== 'recreate_enum' && c.kind !== 'recreate_range') continue;
    for (const col of c.columns) {
      const key = qualifiedKey(col.table);
      const set = retyped.get(key) ?? new Set<string>();
      retyped.set(key, set.add(col.column));
    }
  }
  const readded = readdDependentForeignKeys(aTables, bTables, changes, retyped);
  // A re-added foreign key brings its own comment.
  const readdedNames = new Set(readded.flatMap((c) => (c.kind === 'add_foreign_key' ? [`${qualifiedKey(c.table)}\u0000${c.foreign_key.name}`] : [])));
  const out = changes.filter(
    (c) => !(c.kind === 'set_comment' && c.target.kind === 'constraint' && readdedNames.has(`${qualifiedKey(c.target.table)}\u0000${c.target.name}`)),
  );
  out.push(...readded, ...enumChanges, ...schemaGrantChanges(a, b), ...diffExtensions(a, b), ...diffSequences(a, b), ...diffViews(a, b), ...diffRoutines(a, b), ...diffDomains(a, b), ...diffComposites(a, b));
  return widenForDefaultPrivileges(rebuildDependents(a, b, [...out, ...diffDefaultPrivileges(a, b)]), a, b);
}

/**
 * The table is written the same on both sides (as the schema hash writes it:
 * columns by name, derived keys aside) and has no constraint left to
 * validate: diffTable and its companions would find nothing. Only asked
 * where each text is computed once anyway (inside buildPlan, whose hashes
 * write every table); elsewhere the comparison is the full diff.
 */
function unchangedTable(a: Table, b: Table): boolean {
  if (!sharingTexts()) return false;
  if ((a.check_constraints ?? []).some((c) => c.not_valid) || (a.foreign_keys ?? []).some((fk) => fk.not_valid)) return false;
  return objectText(a, true) === objectText(b, true);
}

function samePartition(a: PartitionOf | undefined, b: PartitionOf | undefined): boolean {
  return stableEqual(a ?? null, b ?? null);
}

function partitionChanges(a: Table, b: Table): Change[] {
  if (samePartition(a.partition_of, b.partition_of)) return [];
  const change: Change = { kind: 'set_partition', table: nameOf(b), columns: b.columns.map((c) => c.name) };
  if (a.partition_of) change.from = a.partition_of;
  if (b.partition_of) change.to = b.partition_of;
  return [change];
}

function withComment<T extends Change>(change: T, comment: string | undefined): T {
  if (comment !== undefined) (change as { comment?: string }).comment = comment;
  return change;
}

function nameOf(t: Table): QualifiedName {
  return { schema: tableSchema(t), name: t.name };
}

/** The table alone (columns, primary key, unique and check constraints). */
export function bareTable(t: Table): Table {
  const { indexes: _i, foreign_keys: _f, exclusion_constraints: _x, grants: _g, triggers: _t, policies: _p, row_security: _r, force_row_security: _fr, ...rest } = t;
  return { ...rest, columns: rest.columns.map(({ grants: _cg, ...c }) => c) };
}

export function createTableChanges(t: Table): Change[] {
  const q = nameOf(t);
  return [
    { kind: 'create_table', table: bareTable(t) },
    ...(t.indexes ?? []).map((index): Change => ({ kind: 'create_index', table: q, index })),
    ...(t.foreign_keys ?? []).map((foreign_key): Change => ({ kind: 'add_foreign_key', table: q, foreign_key })),
    ...(t.exclusion_constraints ?? []).map((constraint): Change => ({ kind: 'add_exclusion', table: q, constraint })),
    ...tableExtrasCreated(t),
    ...tableGrantsCreated(t),
  ];
}

export function dropTableChanges(t: Table): Change[] {
  const q = nameOf(t);
  return [
    ...tableGrantsDropped(t),
    ...tableExtrasDropped(t),
    ...(t.exclusion_constraints ?? []).map((constraint): Change => ({ kind: 'drop_exclusion', table: q, constraint })),
    ...(t.foreign_keys ?? []).map((foreign_key): Change => ({ kind: 'drop_foreign_key', table: q, foreign_key })),
    ...(t.indexes ?? []).map((index): Change => ({ kind: 'drop_index', table: q, index })),
    { kind: 'drop_table', table: bareTable(t) },
  ];
}
