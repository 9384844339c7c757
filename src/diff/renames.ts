// Renames come only from explicit intent: `renamed_from` on an object of the
// desired schema. An old name that exists while the new one does not is a
// rename; an old name that is gone means the rename already happened (a
// second plan is empty); both names existing is an error, never a guess.
//
// Names Postgres derived from a renamed table or column (`users_pkey`, a
// serial's `users_id_seq`) follow it when the desired schema holds the same
// object, by identical definition, under another name: renaming them keeps
// the plan to renames instead of dropping and recreating keys.
import { InputError } from '../errors.js';
import { primaryKeyName } from '../dialects/postgres/render.js';
import { nextvalSequence } from '../schema/nextval.js';
import type { Index, QualifiedName, Schema, Table } from '../schema/types.js';
import { DEFAULT_NAMESPACE, qualifiedKey, tableKey, tableSchema } from '../schema/types.js';
import { applyChanges } from './apply.js';
import type { Change, ConstraintKind } from './changes.js';
import { sameDefinition } from './compare.js';

const RENAME_KINDS: ReadonlySet<Change['kind']> = new Set(['rename_table', 'rename_column', 'rename_index', 'rename_constraint', 'rename_sequence']);

export function isRename(change: Change): boolean {
  return RENAME_KINDS.has(change.kind);
}

function show(q: QualifiedName): string {
  return q.schema === DEFAULT_NAMESPACE ? q.name : `${q.schema}.${q.name}`;
}

/**
 * Decides one rename intent. `claimed` holds the old names already taken by
 * another intent in the same scope: two objects cannot both be the old one.
 */
function decide(what: string, from: string, to: string, exists: (name: string) => boolean, claimed: Set<string>): boolean {
  if (from === to) return false;
  if (claimed.has(from)) throw new InputError(`${what}: renamed_from "${from}" is claimed by another object too`);
  claimed.add(from);
  const old = exists(from);
  if (old && exists(to)) {
    throw new InputError(`${what}: renamed_from "${from}", but both ${from} and ${to} exist in the database; drop one of them or remove renamed_from`);
  }
  return old;
}

/** The rename changes from `a` to `b` (both canonical), in the order they run. */
export function renameChanges(a: Schema, b: Schema): Change[] {
  const aTables = new Set(a.tables.map(tableKey));
  const tables: Change[] = [];
  const renamedTables = new Set<string>();
  const claimedTables = new Map<string, Set<string>>();
  for (const t of b.tables) {
    if (t.renamed_from === undefined) continue;
    const schema = tableSchema(t);
    const claimed = claimedTables.get(schema) ?? new Set<string>();
    claimedTables.set(schema, claimed);
    if (decide(`table ${show({ schema, name: t.name })}`, t.renamed_from, t.name, (n) => aTables.has(qualifiedKey({ schema, name: n })), claimed)) {
      tables.push({ kind: 'rename_table', schema, from: t.renamed_from, to: t.name });
      renamedTables.add(tableKey(t));
    }
  }
  if (!tables.length && !hasInnerIntent(b)) return [];
  const a1 = tables.length ? applyChanges(a, tables) : a;
  const a1Tables = new Map(a1.tables.map((t) => [tableKey(t), t]));

  const explicit: Change[] = [];
  const touched: Table[] = [];
  for (const t of b.tables) {
    const old = a1Tables.get(tableKey(t));
    if (!old) continue;
    const own = tableRenames(old, t);
    explicit.push(...own);
    if (renamedTables.has(tableKey(t)) || own.some((c) => c.kind === 'rename_column')) touched.push(t);
  }
  explicit.push(...viewIndexRenames(a1, b));
  const a2 = explicit.length ? applyChanges(a1, explicit) : a1;
  const a2Tables = new Map(a2.tables.map((t) => [tableKey(t), t]));
  const follow = touched.flatMap((t) => followingRenames(a2Tables.get(tableKey(t))!, t));
  return [...tables, ...explicit, ...follow];
}

/** Any intent below the level of tables: columns, indexes, constraints, materialized views' indexes. */
function hasInnerIntent(s: Schema): boolean {
  // Looked through in place: called on every plan's both sides, nearly always to find nothing.
  const anyRenamed = (xs: readonly { renamed_from?: string }[] | undefined): boolean => xs?.some((x) => x.renamed_from !== undefined) ?? false;
  for (const t of s.tables) {
    if (t.primary_key?.renamed_from !== undefined) return true;
    if (anyRenamed(t.columns) || anyRenamed(t.indexes) || anyRenamed(t.unique_constraints) || anyRenamed(t.check_constraints) || anyRenamed(t.foreign_keys)) return true;
  }
  return (s.views ?? []).some((v) => anyRenamed(v.indexes));
}

/** Column, index and constraint intents of one table that exists on both sides (after table renames). */
function tableRenames(a: Table, b: Table): Change[] {
  const q: QualifiedName = { schema: tableSchema(b), name: b.name };
  const out: Change[] = [];
  const columns = new Set(a.columns.map((c) => c.name));
  const claimedColumns = new Set<string>();
  for (const c of b.columns) {
    if (c.renamed_from === undefined) continue;
    if (decide(`column ${show(q)}.${c.name}`, c.renamed_from, c.name, (n) => columns.has(n), claimedColumns)) {
      out.push({ kind: 'rename_column', table: q, from: c.renamed_from, to: c.name });
    }
  }
  out.push(...indexRenames(q, a.indexes, b.indexes));
  const kinds = constraintKinds(a, q);
  const claimedConstraints = new Set<string>();
  const wanted: { name: string; renamed_from?: string }[] = [
    ...(b.primary_key ? [{ ...b.primary_key, name: primaryKeyName(q, b.primary_key) }] : []),
    ...(b.unique_constraints ?? []),
    ...(b.check_constraints ?? []),
    ...(b.foreign_keys ?? []),
  ];
  for (const x of wanted) {
    if (x.renamed_from === undefined) continue;
    if (decide(`constraint ${x.name} on ${show(q)}`, x.renamed_from, x.name, (n) => kinds.has(n), claimedConstraints)) {
      out.push({ kind: 'rename_constraint', table: q, constraint: kinds.get(x.renamed_from)!, from: x.renamed_from, to: x.name });
    }
  }
  return out;
}

/** Index intents of materialized views kept as they are (a recreated view brings its indexes anew). */
function viewIndexRenames(a: Schema, b: Schema): Change[] {
  const before = new Map((a.views ?? []).map((v) => [tableKey(v), v]));
  const out: Change[] = [];
  for (const v of b.views ?? []) {
    const old = before.get(tableKey(v));
    if (!old || old.definition !== v.definition) continue;
    out.push(...indexRenames({ schema: tableSchema(v), name: v.name }, old.indexes, v.indexes));
  }
  return out;
}

/** Index intents of one table or materialized view. */
function indexRenames(q: QualifiedName, before: Index[] | undefined, after: Index[] | undefined): Change[] {
  const names = new Set((before ?? []).map((i) => i.name));
  const claimed = new Set<string>();
  const out: Change[] = [];
  for (const i of after ?? []) {
    if (i.renamed_from === undefined) continue;
    if (decide(`index ${show({ schema: q.schema, name: i.name })}`, i.renamed_from, i.name, (n) => names.has(n), claimed)) {
      out.push({ kind: 'rename_index', table: q, from: i.renamed_from, to: i.name });
    }
  }
  return out;
}

/** Each constraint name of a table and its kind. */
function constraintKinds(t: Table, q: QualifiedName): Map<string, ConstraintKind> {
  const out = new Map<string, ConstraintKind>();
  if (t.primary_key) out.set(primaryKeyName(q, t.primary_key), 'primary_key');
  for (const u of t.unique_constraints ?? []) out.set(u.name, 'unique');
  for (const c of t.check_constraints ?? []) out.set(c.name, 'check');
  for (const f of t.foreign_keys ?? []) out.set(f.name, 'foreign_key');
  return out;
}

/**
 * Renames that follow a table's or column's: an index or constraint missing
 * by name on each side with one identical counterpart on the other, and a
 * serial sequence whose default differs only by the sequence's name.
 */
function followingRenames(a: Table, b: Table): Change[] {
  const q: QualifiedName = { schema: tableSchema(b), name: b.name };
  const out: Change[] = [];
  for (const [from, to] of pairByDefinition(a.indexes ?? [], b.indexes ?? [])) out.push({ kind: 'rename_index', table: q, from, to });
  const named = (t: Table): { kind: ConstraintKind; name: string; definition: unknown }[] => [
    ...(t.primary_key ? [{ kind: 'primary_key' as const, name: primaryKeyName(q, t.primary_key), definition: t.primary_key.columns }] : []),
    ...(t.unique_constraints ?? []).map((u) => ({ kind: 'unique' as const, name: u.name, definition: { ...u, name: '' } })),
    ...(t.check_constraints ?? []).map((c) => ({ kind: 'check' as const, name: c.name, definition: { ...c, name: '' } })),
    ...(t.foreign_keys ?? []).map((f) => ({ kind: 'foreign_key' as const, name: f.name, definition: { ...f, name: '' } })),
  ];
  const before = named(a);
  const after = named(b);
  for (const kind of ['primary_key', 'unique', 'check', 'foreign_key'] as const) {
    const pick = (list: typeof before) => list.filter((x) => x.kind === kind).map((x) => ({ name: x.name, definition: x.definition }));
    for (const [from, to] of pairByDefinition(pick(before), pick(after), (x) => x.definition)) {
      out.push({ kind: 'rename_constraint', table: q, constraint: kind, from, to });
    }
  }
  const columns = new Map(a.columns.map((c) => [c.name, c]));
  for (const c of b.columns) {
    const old = columns.get(c.name);
    const rename = old && sequenceRename(old.default, c.default);
    if (rename && !old.standalone_sequence && !c.standalone_sequence) out.push(rename);
  }
  return out;
}

/** Objects unmatched by name on both sides, paired when exactly one on each side has the same definition. */
function pairByDefinition<T extends { name: string }>(a: T[], b: T[], definition: (x: T) => unknown = (x) => ({ ...x, name: '' })): [string, string][] {
  const aNames = new Set(a.map((x) => x.name));
  const bNames = new Set(b.map((x) => x.name));
  const left = a.filter((x) => !bNames.has(x.name));
  const right = b.filter((x) => !aNames.has(x.name));
  const out: [string, string][] = [];
  for (const x of left) {
    const same = right.filter((y) => sameDefinition(definition(x), definition(y)));
    if (same.length !== 1) continue;
    const back = left.filter((y) => sameDefinition(definition(y), definition(same[0]!)));
    if (back.length === 1) out.push([x.name, same[0]!.name]);
  }
  return out;
}

function sequenceRename(from: string | undefined, to: string | undefined): Change | undefined {
  if (from === undefined || to === undefined || from === to) return undefined;
  const a = nextvalSequence(from);
  const b = nextvalSequence(to);
  if (!a || !b || a.length !== b.length) return undefined;
  // The catalog prints a sequence on the search path (public) unqualified.
  const schemaOf = (parts: string[]): string => (parts.length === 2 ? parts[0]! : DEFAULT_NAMESPACE);
  if (schemaOf(a) !== schemaOf(b)) return undefined;
  return { kind: 'rename_sequence', sequence: { schema: schemaOf(a), name: a[a.length - 1]! }, to: b[b.length - 1]!, from_default: from, to_default: to };
}
