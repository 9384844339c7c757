// Enum types: created before the columns that use them, dropped after those
// are dropped or changed; labels added in place or the type recreated.
import {
  addEnumValueStatements,
  createEnumStatements,
  dropEnumSql,
  enumName,
  recreateEnumStatements,
} from '../../dialects/postgres/render.js';
import type { EnumType } from '../../schema/types.js';
import { display, key, noDeps, PHASE, type ChangeHandler } from './handler.js';

const sortKey = (t: EnumType): string[] => [enumName(t).schema, t.name];
const show = (t: EnumType): string => display(enumName(t));

export const createEnum: ChangeHandler<'create_enum'> = {
  phase: PHASE.create_enum,
  sortKey: (c) => sortKey(c.type),
  describe: (c) => `Create enum type ${show(c.type)}`,
  summary: (c) => `CREATE TYPE ${show(c.type)}`,
  sql: (c) => createEnumStatements(c.type),
  deps: (c) => ({ ...noDeps(), needs: [key.schema(enumName(c.type).schema)], produces: [key.type(enumName(c.type))] }),
};

export const dropEnum: ChangeHandler<'drop_enum'> = {
  phase: PHASE.drop_enum,
  sortKey: (c) => sortKey(c.type),
  describe: (c) => `Drop enum type ${show(c.type)}`,
  summary: (c) => `DROP TYPE ${show(c.type)}`,
  sql: (c) => [dropEnumSql(c.type)],
  deps: (c) => ({ ...noDeps(), releases: [key.schema(enumName(c.type).schema)], removes: [key.type(enumName(c.type))] }),
};

const added = (from: EnumType, to: EnumType): string[] => to.values.filter((v) => !from.values.includes(v));

export const addEnumValues: ChangeHandler<'add_enum_values'> = {
  phase: PHASE.create_enum,
  sortKey: (c) => sortKey(c.to),
  describe: (c) => `Add ${added(c.from, c.to).map((v) => `'${v}'`).join(', ')} to enum type ${show(c.to)}`,
  summary: (c) => `ALTER TYPE ${show(c.to)} ADD VALUE`,
  sql: (c) => addEnumValueStatements(c.from, c.to),
  // Like a recreate: columns that stop using the type change first, those that start using it after,
  // so the columns using it while it runs are the ones its inverse (a recreate) converts.
  // Its columns, too, as a recreate would: whatever goes before the inverse recreate (a view over them) goes before this.
  deps: (c) => ({
    ...noDeps(),
    removes: [key.type(enumName(c.to)), ...c.columns.map((col) => key.columnType(col.table, col.column))],
    produces: [key.type(enumName(c.to)), ...c.columns.map((col) => key.columnType(col.table, col.column))],
  }),
};

export const recreateEnum: ChangeHandler<'recreate_enum'> = {
  phase: PHASE.create_enum,
  sortKey: (c) => sortKey(c.to),
  describe: (c) => {
    const removed = c.from.values.filter((v) => !c.to.values.includes(v));
    const fresh = added(c.from, c.to);
    const kept = c.from.values.filter((v) => c.to.values.includes(v));
    const reordered = kept.join('\u0000') !== c.to.values.filter((v) => c.from.values.includes(v)).join('\u0000');
    const parts = [
      ...(removed.length ? [`remove ${removed.map((v) => `'${v}'`).join(', ')}`] : []),
      ...(fresh.length ? [`add ${fresh.map((v) => `'${v}'`).join(', ')}`] : []),
      ...(reordered ? ['reorder labels'] : []),
    ];
    const what = parts.join(', ');
    const columns = c.columns.length ? `, converting ${c.columns.length} column${c.columns.length === 1 ? '' : 's'}` : '';
    return `Recreate enum type ${show(c.to)} (${what}${columns})`;
  },
  summary: (c) => `RECREATE TYPE ${show(c.to)}`,
  sql: (c) => recreateEnumStatements(c.from, c.to, c.columns),
  deps: (c) => {
    const d = noDeps();
    const k = key.type(enumName(c.to));
    // Columns that stop using the type change first; columns that start using it, after.
    d.removes.push(k);
    d.produces.push(k);
    // Its columns change type: foreign keys over them are dropped before and re-added after.
    for (const col of c.columns) {
      d.removes.push(key.columnType(col.table, col.column));
      d.produces.push(key.columnType(col.table, col.column));
    }
    return d;
  },
};
