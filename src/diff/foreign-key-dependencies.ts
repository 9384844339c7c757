// A foreign key that is itself unchanged still has to be dropped and re-added
// when what it stands on changes: the unique key it references is dropped or
// recreated, or one of its columns (own or referenced) changes type.
import { indexKeys } from '../schema/canonical.js';
import type { ForeignKey, Table } from '../schema/types.js';
import { qualifiedKey, tableKey } from '../schema/types.js';
import type { Change } from './changes.js';
import { sameColumnSet, sameDefinition } from './compare.js';

interface DroppedKey {
  table: string;
  columns: string[];
}

function droppedKeys(changes: readonly Change[]): DroppedKey[] {
  const out: DroppedKey[] = [];
  for (const c of changes) {
    if (c.kind === 'drop_primary_key') out.push({ table: qualifiedKey(c.table), columns: c.primary_key.columns });
    else if (c.kind === 'drop_unique') out.push({ table: qualifiedKey(c.table), columns: c.constraint.columns });
    else if (c.kind === 'drop_index' && c.index.unique && !c.index.where) {
      const keys = indexKeys(c.index);
      if (keys.every((k) => k.column !== undefined)) out.push({ table: qualifiedKey(c.table), columns: keys.map((k) => k.column!) });
    }
  }
  return out;
}

export function readdDependentForeignKeys(
  aTables: ReadonlyMap<string, Table>,
  bTables: ReadonlyMap<string, Table>,
  changes: readonly Change[],
  retyped: ReadonlyMap<string, ReadonlySet<string>>,
): Change[] {
  const dropped = droppedKeys(changes);
  const alreadyDropped = new Set(
    changes.flatMap((c) => (c.kind === 'drop_foreign_key' ? [`${qualifiedKey(c.table)}\u0000${c.foreign_key.name}`] : [])),
  );
  const out: Change[] = [];
  for (const [key, b] of bTables) {
    const a = aTables.get(key);
    if (!a) continue;
    const oldFks = new Map((a.foreign_keys ?? []).map((fk) => [fk.name, fk]));
    for (const fk of b.foreign_keys ?? []) {
      const old = oldFks.get(fk.name);
      if (!old || !sameDefinition(old, fk) || alreadyDropped.has(`${key}\u0000${fk.name}`)) continue;
      if (!dependsOnChange(key, fk, dropped, retyped)) continue;
      const q = { schema: b.schema!, name: b.name };
      out.push({ kind: 'drop_foreign_key', table: q, foreign_key: old }, { kind: 'add_foreign_key', table: q, foreign_key: fk });
    }
  }
  return out;
}

function dependsOnChange(
  ownKey: string,
  fk: ForeignKey,
  dropped: readonly DroppedKey[],
  retyped: ReadonlyMap<string, ReadonlySet<string>>,
): boolean {
  const refKey = tableKey({ schema: fk.referenced_schema, name: fk.referenced_table });
  if (dropped.some((d) => d.table === refKey && sameColumnSet(d.columns, fk.referenced_columns))) return true;
  const own = retyped.get(ownKey);
  if (own && fk.columns.some((c) => own.has(c))) return true;
  const ref = retyped.get(refKey);
  return ref !== undefined && fk.referenced_columns.some((c) => ref.has(c));
}
