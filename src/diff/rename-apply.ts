// In-memory renames: what Postgres does on ALTER … RENAME. Everything that
// points at the object by identity (foreign keys, key column lists, the
// tables' dependency refs, sequence ownership, a table's own checks, index,
// generation and policy expressions and trigger definitions) follows the new
// name. Views and functions keep their old text (see tableRefs): the differ
// compares it with the desired text and recreates what uses the old names.
import type { ForeignKey, ObjectRef, QualifiedName, Table } from '../schema/types.js';
import { DEFAULT_NAMESPACE, qualifiedKey, tableKey, tableSchema } from '../schema/types.js';
import type { ChangeOf, Model } from './apply.js';
import type { ConstraintKind } from './changes.js';
import { renameColumnInTrigger, renameInExpression, renameTableInTrigger } from './rename-text.js';

type RenameKind = 'rename_table' | 'rename_column' | 'rename_index' | 'rename_constraint' | 'rename_sequence';

function missing(what: string): never {
  throw new Error(`change refers to missing ${what}`);
}

/**
 * The dependency refs of tables, their triggers and policies, whose text
 * follows a rename too. Views and functions keep refs to the old names, as
 * they keep its text: dropping one of them then releases the old name, so
 * the drop runs before the rename, and its inverse (the re-creation from the
 * old text) after the rename back.
 */
function tableRefs(m: Model): ObjectRef[] {
  const out: ObjectRef[] = [];
  const add = (refs: ObjectRef[] | undefined): void => void (refs && out.push(...refs));
  for (const t of m.tables.values()) {
    add(t.depends_on);
    for (const x of [...(t.triggers ?? []), ...(t.policies ?? [])]) add(x.depends_on);
  }
  return out;
}

function referencesTable(fk: ForeignKey, owner: Table, q: QualifiedName): boolean {
  return (fk.referenced_schema ?? tableSchema(owner)) === q.schema && fk.referenced_table === q.name;
}

const renameIn = (list: string[] | undefined, from: string, to: string): void => {
  if (list) list.forEach((x, i) => x === from && (list[i] = to));
};

function renameConstraint(t: Table, kind: ConstraintKind, q: QualifiedName, from: string, to: string): void {
  if (kind === 'primary_key') {
    if (!t.primary_key) missing(`primary key of ${qualifiedKey(q)}`);
    t.primary_key.name = to;
    return;
  }
  const list = kind === 'unique' ? t.unique_constraints : kind === 'check' ? t.check_constraints : t.foreign_keys;
  const found = (list ?? []).find((x) => x.name === from) ?? missing(`constraint ${qualifiedKey(q)}.${from}`);
  found.name = to;
}

export const renameAppliers: { [K in RenameKind]: (m: Model, c: ChangeOf<K>) => void } = {
  rename_table: (m, c) => {
    const old: QualifiedName = { schema: c.schema, name: c.from };
    const t = m.tables.get(qualifiedKey(old)) ?? missing(`table ${qualifiedKey(old)}`);
    m.tables.delete(qualifiedKey(old));
    t.name = c.to;
    m.tables.set(tableKey(t), t);
    for (const owner of m.tables.values()) {
      for (const fk of owner.foreign_keys ?? []) if (referencesTable(fk, owner, old)) fk.referenced_table = c.to;
    }
    for (const trg of t.triggers ?? []) trg.definition = renameTableInTrigger(trg.definition, c.schema, c.from, c.to);
    for (const r of tableRefs(m)) if ((r.kind === 'relation' || r.kind === 'column') && r.schema === c.schema && r.name === c.from) r.name = c.to;
    for (const s of m.sequences.values()) {
      if (s.owned_by && (s.owned_by.schema ?? DEFAULT_NAMESPACE) === c.schema && s.owned_by.table === c.from) s.owned_by.table = c.to;
    }
  },
  rename_column: (m, c) => {
    const t = m.table(c.table);
    const col = t.columns.find((x) => x.name === c.from) ?? missing(`column ${qualifiedKey(c.table)}.${c.from}`);
    col.name = c.to;
    renameIn(t.primary_key?.columns, c.from, c.to);
    for (const u of t.unique_constraints ?? []) renameIn(u.columns, c.from, c.to);
    for (const i of t.indexes ?? []) {
      renameIn(i.columns, c.from, c.to);
      renameIn(i.include, c.from, c.to);
      for (const k of i.keys ?? []) if (k.column === c.from) k.column = c.to;
    }
    for (const fk of t.foreign_keys ?? []) renameIn(fk.columns, c.from, c.to);
    for (const k of t.check_constraints ?? []) k.expression = renameInExpression(k.expression, c.from, c.to);
    for (const x of t.columns) if (x.generated) x.generated.expression = renameInExpression(x.generated.expression, c.from, c.to);
    for (const p of t.policies ?? []) {
      if (p.using) p.using = renameInExpression(p.using, c.from, c.to);
      if (p.with_check) p.with_check = renameInExpression(p.with_check, c.from, c.to);
    }
    for (const trg of t.triggers ?? []) trg.definition = renameColumnInTrigger(trg.definition, c.from, c.to);
    for (const i of t.indexes ?? []) {
      if (i.where) i.where = renameInExpression(i.where, c.from, c.to);
      for (const k of i.keys ?? []) if (k.expression) k.expression = renameInExpression(k.expression, c.from, c.to);
    }
    for (const owner of m.tables.values()) {
      for (const fk of owner.foreign_keys ?? []) if (referencesTable(fk, owner, c.table)) renameIn(fk.referenced_columns, c.from, c.to);
    }
    for (const r of tableRefs(m)) {
      if (r.kind === 'column' && r.schema === c.table.schema && r.name === c.table.name && r.column === c.from) r.column = c.to;
    }
    for (const s of m.sequences.values()) {
      const o = s.owned_by;
      if (o && (o.schema ?? DEFAULT_NAMESPACE) === c.table.schema && o.table === c.table.name && o.column === c.from) o.column = c.to;
    }
  },
  rename_index: (m, c) => {
    const t = m.table(c.table);
    const index = (t.indexes ?? []).find((x) => x.name === c.from) ?? missing(`index ${c.table.schema}.${c.from}`);
    index.name = c.to;
  },
  rename_constraint: (m, c) => renameConstraint(m.table(c.table), c.constraint, c.table, c.from, c.to),
  rename_sequence: (m, c) => {
    for (const t of m.tables.values()) for (const col of t.columns) if (col.default === c.from_default) col.default = c.to_default;
  },
};
