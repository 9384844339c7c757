// Enum types: created, dropped, labels added in place (ALTER TYPE … ADD VALUE),
// or recreated when labels are removed or reordered. A recreate converts the
// columns that use the type on both sides; it also moves their default to the
// target's (so a default naming a removed label never outlives it), and the
// column's own alter then starts from that default.
import { expressionTypes, isAddition, typeReference } from '../dialects/postgres/render.js';
import type { Column, EnumType, QualifiedName, Schema, Table } from '../schema/types.js';
import { qualifiedKey, tableKey } from '../schema/types.js';
import type { Change, EnumColumn } from './changes.js';
import { commentChange } from './comment-target.js';
import { sameColumn } from './compare.js';
import { typeGrantChanges } from './grants.js';

const q = (t: EnumType) => ({ schema: t.schema!, name: t.name });

export function diffEnums(a: Schema, b: Schema, tableChanges: Change[]): Change[] {
  splitEnumToEnum(tableChanges);
  const before = new Map((a.types ?? []).map((t) => [tableKey(t), t]));
  const after = new Map((b.types ?? []).map((t) => [tableKey(t), t]));
  const out: Change[] = [];
  const uses = new EnumUses(a, b, tableChanges);
  const grantTarget = (t: EnumType) => ({ kind: 'type' as const, type: q(t) });
  for (const [key, t] of before) if (!after.has(key)) out.push(...typeGrantChanges(grantTarget(t), t, undefined), { kind: 'drop_enum', type: t });
  for (const [key, t] of after) {
    const old = before.get(key);
    if (!old) {
      out.push({ kind: 'create_enum', type: t }, ...typeGrantChanges(grantTarget(t), undefined, t));
      continue;
    }
    if (old.values.join('\u0000') === t.values.join('\u0000') && old.values.length === t.values.length) {
      out.push(...commentChange({ kind: 'type', type: q(t) }, old.comment, t.comment), ...typeGrantChanges(grantTarget(t), old, t));
      continue;
    }
    const addition = isAddition(old.values, t.values) && !uses.mentionsNewLabel(old, t);
    const columns = uses.convertedColumns(q(t), addition);
    if (addition) {
      out.push({ kind: 'add_enum_values', from: old, to: t, columns });
      out.push(...commentChange({ kind: 'type', type: q(t) }, old.comment, t.comment), ...typeGrantChanges(grantTarget(t), old, t));
    } else {
      // The recreate grants the new type's privileges itself (and its inverse the old type's).
      out.push({ kind: 'recreate_enum', from: old, to: t, columns });
      startAltersFrom(columns, tableChanges);
      rebuildExpressionsUsing(a, b, [q(t)], tableChanges);
    }
  }
  return out;
}

/** How an expression mentions a label: as a string literal (`'it''s'`) or an element of an array literal (`'{a,"b c"}'`). */
function labelForms(label: string): string[] {
  const escaped = label.replace(/'/g, "''");
  const element = escaped.replace(/[\\"]/g, (ch) => `\\${ch}`);
  return [`'${escaped}'`, ...[element, `"${element}"`].flatMap((e) => [`{${e},`, `{${e}}`, `,${e},`, `,${e}}`])];
}

function expressions(t: Table): string[] {
  const out: (string | undefined)[] = [];
  for (const c of t.columns) out.push(c.default, c.generated?.expression);
  for (const c of t.check_constraints ?? []) out.push(c.expression);
  for (const i of t.indexes ?? []) out.push(i.where, ...(i.keys ?? []).map((k) => k.expression));
  return out.filter((x): x is string => x !== undefined);
}

/** Schema and name exactly (`qualifiedKey` joins them with a dot, which either may hold). */
const typeKey = (t: QualifiedName): string => `${t.schema}\u0000${t.name}`;

interface ColumnPair {
  table: QualifiedName;
  from: Column;
  to: Column;
}

/**
 * What the enum diff asks of the two schemas for every changed type, worked
 * out once per diff rather than once per type: a plan that changes hundreds
 * of types would otherwise scan every column and expression that many times.
 */
class EnumUses {
  private texts?: { joined: string; separable: boolean; list: string[] };
  private pairs?: Map<string, ColumnPair[]>;
  constructor(
    private readonly a: Schema,
    private readonly b: Schema,
    private readonly changes: Change[],
  ) {}

  /**
   * A label added by ADD VALUE cannot be used in the same transaction. When any
   * expression of the target mentions an added label, the type is recreated
   * instead (a type created in the transaction may be used at once).
   */
  mentionsNewLabel(from: EnumType, to: EnumType): boolean {
    const added = to.values.filter((v) => !from.values.includes(v));
    if (!added.length) return false;
    this.texts ??= this.expressionTexts();
    const { joined, separable, list } = this.texts;
    // The texts joined by NUL, which neither they nor a label can hold: a form is in the join only when it is in one text.
    if (separable && !added.some((label) => label.includes('\u0000'))) return added.some((label) => labelForms(label).some((form) => joined.includes(form)));
    return added.some((label) => list.some((text) => labelForms(label).some((form) => text.includes(form))));
  }

  /** Columns that use the type on both sides and are neither dropped nor recreated by the plan. */
  convertedColumns(type: QualifiedName, addition: boolean): EnumColumn[] {
    this.pairs ??= this.columnPairs();
    return (this.pairs.get(typeKey(type)) ?? []).map(({ table, from, to }) => {
      const entry: EnumColumn = { table, column: from.name, type: from.type };
      if (from.default !== undefined) entry.from_default = from.default;
      const target = addition ? from.default : to.default;
      if (target !== undefined) entry.to_default = target;
      return entry;
    });
  }

  private expressionTexts(): { joined: string; separable: boolean; list: string[] } {
    const list = this.b.tables.flatMap(expressions);
    return { joined: list.join('\u0000'), separable: !list.some((t) => t.includes('\u0000')), list };
  }

  /**
   * Same-named columns of tables on both sides whose type names an enum (or an
   * array of one), the same on both sides, by that enum; in table and column order.
   */
  private columnPairs(): Map<string, ColumnPair[]> {
    // Dropped columns: the enum diff only adds and rewrites alters, checks and indexes, never drops.
    const dropped = new Set(this.changes.flatMap((c) => (c.kind === 'drop_column' ? [`${qualifiedKey(c.table)}\u0000${c.column.name}`] : [])));
    const bTables = new Map(this.b.tables.map((t) => [tableKey(t), t]));
    const out = new Map<string, ColumnPair[]>();
    for (const ta of this.a.tables) {
      const tb = bTables.get(tableKey(ta));
      if (!tb) continue;
      const table = { schema: ta.schema!, name: ta.name };
      const bColumns = new Map<string, Column>();
      for (const c of tb.columns) if (!bColumns.has(c.name)) bColumns.set(c.name, c);
      for (const ca of ta.columns) {
        const cb = bColumns.get(ca.name);
        const ref = typeReference(ca.type);
        // A column whose type spelling changes (mood → mood[]) moves through text instead (splitEnumToEnum).
        if (!cb || !ref || cb.type !== ca.type) continue;
        if (dropped.has(`${qualifiedKey(table)}\u0000${ca.name}`)) continue;
        const key = typeKey(ref);
        const list = out.get(key) ?? [];
        if (!list.length) out.set(key, list);
        list.push({ table, from: ca, to: cb });
      }
    }
    return out;
  }
}

/** Columns that use one of the types (a range and its multirange) on both sides and are neither dropped nor recreated by the plan. */
export function convertedColumns(a: Schema, b: Schema, types: readonly QualifiedName[], changes: Change[], addition: boolean): EnumColumn[] {
  const uses = new EnumUses(a, b, changes);
  return types.flatMap((type) => uses.convertedColumns(type, addition));
}

/** A converted column's alter starts from the default the recreate left it with; dropped when nothing is left to do. */
export function startAltersFrom(columns: EnumColumn[], changes: Change[]): void {
  for (const ec of columns) {
    const i = changes.findIndex(
      (c) => c.kind === 'alter_column' && qualifiedKey(c.table) === qualifiedKey(ec.table) && c.from.name === ec.column,
    );
    const change = changes[i];
    if (change?.kind !== 'alter_column') continue;
    const from = { ...change.from };
    if (ec.to_default === undefined) delete from.default;
    else from.default = ec.to_default;
    if (sameColumn(from, change.to)) changes.splice(i, 1);
    else changes[i] = { ...change, from };
  }
}

/**
 * A column moving from one enum type to another (or between an enum and an
 * array of it) goes through text in two alters: the first runs before its old
 * type is recreated or dropped, the second after its new type is ready — two
 * columns swapping types would otherwise make a cycle.
 */
function splitEnumToEnum(changes: Change[]): void {
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (c.kind !== 'alter_column') continue;
    const from = typeReference(c.from.type);
    const to = typeReference(c.to.type);
    if (!from || !to || c.from.type === c.to.type) continue;
    const { default: _default, collation: _collation, ...rest } = c.from;
    // Plain text, even for arrays: every type casts to and from text by its I/O functions.
    const middle = { ...rest, type: 'text' };
    changes.splice(i, 1, { ...c, to: middle, via_text: 'first' }, { ...c, from: middle, via_text: 'second' });
    i++;
  }
}

/**
 * Checks and indexes whose expressions cast to the type (`s <> 'c'::public.st`)
 * would be re-parsed against the renamed old type while a column is
 * converted: they are dropped before the recreate and added back after it.
 */
export function rebuildExpressionsUsing(a: Schema, b: Schema, types: readonly QualifiedName[], changes: Change[]): void {
  const mentions = (...texts: (string | undefined)[]): boolean =>
    texts.some((t) => t !== undefined && expressionTypes(t).some((r) => types.some((type) => r.schema === type.schema && r.name === type.name)));
  const has = (kind: Change['kind'], table: string, name: string): boolean =>
    changes.some((c) => c.kind === kind && changedName(c) === `${table}\u0000${name}`);
  const bTables = new Map(b.tables.map((t) => [tableKey(t), t]));
  for (const ta of a.tables) {
    const tb = bTables.get(tableKey(ta));
    if (!tb) continue;
    const key = tableKey(ta);
    const table = { schema: ta.schema!, name: ta.name };
    for (const check of ta.check_constraints ?? []) {
      if (!mentions(check.expression) || has('drop_check', key, check.name)) continue;
      const next = tb.check_constraints?.find((c) => c.name === check.name);
      changes.push({ kind: 'drop_check', table, constraint: check });
      if (next && !has('add_check', key, next.name)) changes.push({ kind: 'add_check', table, constraint: next });
      dropCommentChange(changes, key, 'constraint', check.name);
    }
    for (const index of ta.indexes ?? []) {
      if (!mentions(index.where, ...(index.keys ?? []).map((k) => k.expression)) || has('drop_index', key, index.name)) continue;
      const next = tb.indexes?.find((i) => i.name === index.name);
      changes.push({ kind: 'drop_index', table, index });
      if (next && !has('create_index', key, next.name)) changes.push({ kind: 'create_index', table, index: next });
      dropCommentChange(changes, key, 'index', index.name);
    }
  }
}

/** `table\0name` of a check or index change. */
function changedName(c: Change): string | undefined {
  if (c.kind === 'drop_check' || c.kind === 'add_check') return `${qualifiedKey(c.table)}\u0000${c.constraint.name}`;
  if (c.kind === 'drop_index' || c.kind === 'create_index') return `${qualifiedKey(c.table)}\u0000${c.index.name}`;
  return undefined;
}

/** A re-added object brings its own comment. */
function dropCommentChange(changes: Change[], table: string, kind: 'constraint' | 'index', name: string): void {
  const i = changes.findIndex(
    (c) => c.kind === 'set_comment' && c.target.kind === kind && qualifiedKey(c.target.table) === table && c.target.name === name,
  );
  if (i >= 0) changes.splice(i, 1);
}
