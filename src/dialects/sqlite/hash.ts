// The canonical hash of a SQLite schema: sorted tables, columns by name
// (column order is not compared), intent keys (renamed_from) left out.
import { sha256, stableStringify } from '../../schema/hash.js';
import type { Schema } from '../../schema/types.js';

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function sqliteSchemaHash(schema: Schema): string {
  const tables = [...schema.tables].sort(byName).map((t) => ({ ...t, columns: [...t.columns].sort(byName) }));
  const views = [...(schema.views ?? [])].sort(byName);
  return sha256(stableStringify({ dialect: 'sqlite', tables, views }));
}
