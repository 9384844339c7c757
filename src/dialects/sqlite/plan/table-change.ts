// How one existing table reaches its desired shape: SQLite's own ALTER TABLE
// when that is enough (ADD COLUMN, DROP COLUMN as SQLite allows them), else
// the documented table rebuild (create new, copy rows, drop old, rename).
import { stableStringify } from '../../../schema/hash.js';
import type { Column, Schema, Table } from '../../../schema/types.js';
import { quoteIdent } from '../quote.js';
import { columnSql, createIndexSql, createTableSql, dropTableSql, isLiteralDefault } from '../render.js';
import { mentions } from './references.js';

export const REBUILD_PREFIX = '_lockplane_new_';

export interface TableTransition {
  kind: 'alter' | 'rebuild';
  sql: string[];
  added: Column[];
  dropped: Column[];
  /** Columns present on both sides whose definition changed. */
  changed: { from: Column; to: Column }[];
}

/** Everything about a table but its indexes, triggers and column order. */
function shape(t: Table): string {
  const { indexes: _i, triggers: _t, renamed_from: _r, columns, ...rest } = t;
  return stableStringify({ ...rest, columns: [...columns].sort((a, b) => (a.name < b.name ? -1 : 1)) });
}

export function sameShape(a: Table, b: Table): boolean {
  return shape(a) === shape(b);
}

const colKey = (c: Column): string => stableStringify(c);

export function transition(a: Table, b: Table, before: Schema): TableTransition {
  const aCols = new Map(a.columns.map((c) => [c.name, c]));
  const bCols = new Map(b.columns.map((c) => [c.name, c]));
  const added = b.columns.filter((c) => !aCols.has(c.name));
  const dropped = a.columns.filter((c) => !bCols.has(c.name));
  const changed = b.columns.flatMap((to) => {
    const from = aCols.get(to.name);
    return from && colKey(from) !== colKey(to) ? [{ from, to }] : [];
  });
  const { columns: _a, indexes: _ai, triggers: _at, ...aRest } = a;
  const { columns: _b, indexes: _bi, triggers: _bt, ...bRest } = b;
  const sameTableLevel = stableStringify({ ...aRest, renamed_from: undefined }) === stableStringify({ ...bRest, renamed_from: undefined });
  if (sameTableLevel && changed.length === 0 && added.every(canAdd) && dropped.every((c) => canDrop(c, a, before))) {
    const sql = [
      ...added.map((c) => `ALTER TABLE ${quoteIdent(b.name)} ADD COLUMN ${columnSql(c)}`),
      ...dropped.map((c) => `ALTER TABLE ${quoteIdent(b.name)} DROP COLUMN ${quoteIdent(c.name)}`),
    ];
    return { kind: 'alter', sql, added, dropped, changed };
  }
  return { kind: 'rebuild', sql: rebuildSql(a, b), added, dropped, changed };
}

/** ALTER TABLE … ADD COLUMN's own limits (sqlite.org/lang_altertable.html). */
function canAdd(c: Column): boolean {
  if (c.generated) return c.generated.kind !== 'stored';
  if (c.default !== undefined && (!isLiteralDefault(c.default) || /^CURRENT_/i.test(c.default))) return false;
  if (!c.nullable && (c.default === undefined || /^NULL$/i.test(c.default))) return false;
  return true;
}

/** ALTER TABLE … DROP COLUMN refuses a column any key, index, check, generated column, view or trigger uses. */
function canDrop(c: Column, t: Table, schema: Schema): boolean {
  const n = c.name;
  if (t.primary_key?.columns.includes(n)) return false;
  if (t.unique_constraints?.some((u) => u.columns.includes(n))) return false;
  if (t.foreign_keys?.some((f) => f.columns.includes(n))) return false;
  if (t.indexes?.some((i) => i.columns.includes(n) || i.keys?.some((k) => mentions(k.expression, n)) || mentions(i.where, n))) return false;
  if (t.check_constraints?.some((k) => mentions(k.expression, n))) return false;
  if (t.columns.some((o) => mentions(o.generated?.expression, n))) return false;
  if ((schema.views ?? []).some((v) => mentions(v.definition, n))) return false;
  const triggers = [...schema.tables.flatMap((x) => x.triggers ?? []), ...(schema.views ?? []).flatMap((v) => v.triggers ?? [])];
  return !triggers.some((tr) => mentions(tr.definition, n));
}

/**
 * Steps 4-10 of sqlite.org/lang_altertable.html#otheralter: the executor
 * turns foreign keys off around the transaction and runs
 * PRAGMA foreign_key_check before it commits; the plan drops the table's
 * triggers (and views naming it) before and creates them after.
 */
function rebuildSql(a: Table, b: Table): string[] {
  const temp = `${REBUILD_PREFIX}${b.name}`;
  const source = new Set(a.columns.map((c) => c.name));
  const copied = b.columns.filter((c) => !c.generated && source.has(c.name)).map((c) => quoteIdent(c.name));
  return [
    createTableSql(b, temp),
    ...(copied.length ? [`INSERT INTO ${quoteIdent(temp)} (${copied.join(', ')}) SELECT ${copied.join(', ')} FROM ${quoteIdent(a.name)}`] : []),
    dropTableSql(a.name),
    `ALTER TABLE ${quoteIdent(temp)} RENAME TO ${quoteIdent(b.name)}`,
    ...(b.indexes ?? []).map((i) => createIndexSql(b.name, i)),
  ];
}
