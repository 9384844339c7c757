// Static checks of a desired schema: every foreign key must reference an
// existing table and columns (LP301) covered by a primary key or unique
// constraint / unique index (LP303), with matching column counts.
import { canonicalize, indexKeys, primaryKeyOf } from '../schema/canonical.js';
import type { ForeignKey, Schema, Table } from '../schema/types.js';
import { DEFAULT_NAMESPACE, tableKey, tableSchema } from '../schema/types.js';
import { finding } from './registry.js';
import type { Finding } from './types.js';

function show(schema: string, name: string): string {
  return schema === DEFAULT_NAMESPACE ? name : `${schema}.${name}`;
}

function uniqueColumnSets(t: Table): string[][] {
  const sets: string[][] = [];
  const pk = primaryKeyOf(t);
  if (pk) sets.push(pk.columns);
  for (const u of t.unique_constraints ?? []) if (!u.deferrable) sets.push(u.columns);
  for (const i of t.indexes ?? []) {
    const keys = indexKeys(i);
    if (i.unique && !i.where && keys.every((k) => k.column !== undefined)) sets.push(keys.map((k) => k.column!));
  }
  return sets;
}

/**
 * Findings for one foreign key of `owner`, against the tables of `schema`.
 * `namespaces` are those the schema describes: a table in another one (auth.users,
 * when a filter leaves auth out) is outside Lockplane's view and is not checked.
 */
export function checkForeignKey(
  owner: Table,
  fk: ForeignKey,
  tables: ReadonlyMap<string, Table>,
  namespaces?: ReadonlySet<string>,
): Finding[] {
  const ownSchema = tableSchema(owner);
  const refSchema = fk.referenced_schema ?? ownSchema;
  const where = `Foreign key ${fk.name} on table ${show(ownSchema, owner.name)}`;
  const out: Finding[] = [];
  const ownColumns = new Set(owner.columns.map((c) => c.name));
  for (const c of fk.columns) {
    if (!ownColumns.has(c)) out.push(finding('LP301', `${where} uses column ${c}, which does not exist in ${show(ownSchema, owner.name)}`));
  }
  const target = tables.get(tableKey({ schema: refSchema, name: fk.referenced_table }));
  if (!target && namespaces && !namespaces.has(refSchema)) return out;
  if (!target) {
    out.push(finding('LP301', `${where} references table ${show(refSchema, fk.referenced_table)}, which does not exist`));
    return out;
  }
  const targetColumns = new Set(target.columns.map((c) => c.name));
  const missing = fk.referenced_columns.filter((c) => !targetColumns.has(c));
  for (const c of missing) {
    out.push(finding('LP301', `${where} references column ${show(refSchema, fk.referenced_table)}.${c}, which does not exist`));
  }
  if (fk.columns.length !== fk.referenced_columns.length) {
    out.push(
      finding('LP301', `${where} has ${fk.columns.length} column(s) but references ${fk.referenced_columns.length}`),
    );
  }
  if (missing.length === 0) {
    const wanted = new Set(fk.referenced_columns);
    const covered = uniqueColumnSets(target).some((set) => set.length === wanted.size && set.every((c) => wanted.has(c)));
    if (!covered) {
      out.push(
        finding(
          'LP303',
          `${where} references ${show(refSchema, fk.referenced_table)} (${fk.referenced_columns.join(', ')}), which is not a primary key or a non-deferrable unique constraint`,
        ),
      );
    }
  }
  return out;
}

export function checkReferences(schema: Schema): Finding[] {
  const s = canonicalize(schema);
  const tables = new Map(s.tables.map((t) => [tableKey(t), t]));
  const namespaces = namespacesOf(s);
  return s.tables.flatMap((t) => (t.foreign_keys ?? []).flatMap((fk) => checkForeignKey(t, fk, tables, namespaces)));
}

/** The namespaces a (canonical) schema describes. */
export function namespacesOf(schema: Schema): Set<string> {
  return new Set((schema.schemas ?? []).map((n) => n.name));
}
