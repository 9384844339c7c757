// Every Change knows its inverse: applying a change and then its inverse is a
// no-op on the schema. Rollback plans are built from these, never from SQL.
import type { Change, ChangeKind, EnumColumn } from './changes.js';

type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

const inverses: { [K in ChangeKind]: (c: ChangeOf<K>) => Change } = {
  create_schema: (c) => ({ ...c, kind: 'drop_schema' }),
  drop_schema: (c) => ({ ...c, kind: 'create_schema' }),
  set_comment: (c) => {
    const out: Change = { kind: 'set_comment', target: c.target };
    if (c.to !== undefined) out.from = c.to;
    if (c.from !== undefined) out.to = c.from;
    return out;
  },
  create_enum: (c) => ({ kind: 'drop_enum', type: c.type }),
  drop_enum: (c) => ({ kind: 'create_enum', type: c.type }),
  // Postgres cannot drop an enum label: undoing an addition recreates the type.
  add_enum_values: (c) => ({ kind: 'recreate_enum', from: c.to, to: c.from, columns: c.columns.map(swapDefaults) }),
  recreate_enum: (c) => ({ kind: 'recreate_enum', from: c.to, to: c.from, columns: c.columns.map(swapDefaults) }),
  create_table: (c) => ({ kind: 'drop_table', table: c.table }),
  drop_table: (c) => ({ kind: 'create_table', table: c.table }),
  add_column: (c) => ({ kind: 'drop_column', table: c.table, column: c.column }),
  drop_column: (c) => ({ kind: 'add_column', table: c.table, column: c.column }),
  alter_column: (c) => {
    const out: Change = { kind: 'alter_column', table: c.table, from: c.to, to: c.from };
    if (c.via_text) out.via_text = c.via_text === 'first' ? 'second' : 'first';
    if (c.online) out.online = true;
    return out;
  },
  // The online flags stay with the inverse: an index built CONCURRENTLY is dropped CONCURRENTLY.
  add_primary_key: (c) => ({ ...c, kind: 'drop_primary_key' }),
  drop_primary_key: (c) => ({ ...c, kind: 'add_primary_key' }),
  add_unique: (c) => ({ ...c, kind: 'drop_unique' }),
  drop_unique: (c) => ({ ...c, kind: 'add_unique' }),
  add_check: (c) => ({ ...c, kind: 'drop_check' }),
  drop_check: (c) => ({ ...c, kind: 'add_check' }),
  create_index: (c) => ({ ...c, kind: 'drop_index' }),
  drop_index: (c) => ({ ...c, kind: 'create_index' }),
  add_foreign_key: (c) => ({ ...c, kind: 'drop_foreign_key' }),
  drop_foreign_key: (c) => ({ ...c, kind: 'add_foreign_key' }),
  validate_constraint: (c) => {
    const out: Change = { kind: 'validate_constraint', table: c.table, name: c.name };
    if (!c.undo) out.undo = true;
    return out;
  },
  backfill_column: (c) => {
    const { undo: _undo, ...rest } = c;
    return c.undo ? rest : { ...rest, undo: true };
  },
  create_column_sync: (c) => ({ ...c, kind: 'drop_column_sync' }),
  drop_column_sync: (c) => ({ ...c, kind: 'create_column_sync' }),
  swap_column: (c) => {
    const { undo: _undo, ...rest } = c;
    return c.undo ? rest : { ...rest, undo: true };
  },
  create_extension: (c) => ({ kind: 'drop_extension', extension: c.extension }),
  drop_extension: (c) => ({ kind: 'create_extension', extension: c.extension }),
  alter_extension: (c) => ({ kind: 'alter_extension', from: c.to, to: c.from }),
  create_sequence: (c) => ({ kind: 'drop_sequence', sequence: c.sequence }),
  drop_sequence: (c) => ({ kind: 'create_sequence', sequence: c.sequence }),
  alter_sequence: (c) => ({ kind: 'alter_sequence', from: c.to, to: c.from }),
  create_view: (c) => ({ kind: 'drop_view', view: c.view }),
  drop_view: (c) => ({ kind: 'create_view', view: c.view }),
  // The inverse drops columns a replace added: only a recreate can do that.
  replace_view: (c) => ({ kind: 'replace_view', from: c.to, to: c.from }),
  create_function: (c) => ({ kind: 'drop_function', function: c.function }),
  drop_function: (c) => ({ kind: 'create_function', function: c.function }),
  replace_function: (c) => ({ kind: 'replace_function', from: c.to, to: c.from }),
  create_trigger: (c) => ({ kind: 'drop_trigger', table: c.table, trigger: c.trigger }),
  drop_trigger: (c) => ({ kind: 'create_trigger', table: c.table, trigger: c.trigger }),
  create_policy: (c) => ({ kind: 'drop_policy', table: c.table, policy: c.policy }),
  drop_policy: (c) => ({ kind: 'create_policy', table: c.table, policy: c.policy }),
  alter_policy: (c) => ({ kind: 'alter_policy', table: c.table, from: c.to, to: c.from }),
  set_row_security: (c) => ({ kind: 'set_row_security', table: c.table, from: c.to, to: c.from }),
  add_exclusion: (c) => ({ kind: 'drop_exclusion', table: c.table, constraint: c.constraint }),
  drop_exclusion: (c) => ({ kind: 'add_exclusion', table: c.table, constraint: c.constraint }),
  set_unlogged: (c) => ({ kind: 'set_unlogged', table: c.table, unlogged: !c.unlogged }),
  set_partition: (c) => {
    const out: Change = { kind: 'set_partition', table: c.table, columns: c.columns };
    if (c.to) out.from = c.to;
    if (c.from) out.to = c.from;
    return out;
  },
  set_grants: (c) => {
    const out: Change = { kind: 'set_grants', target: c.target };
    if (c.to) out.from = c.to;
    if (c.from) out.to = c.from;
    if (c.when) out.when = c.when === 'created' ? 'dropped' : 'created';
    return out;
  },
  set_default_privileges: (c) => {
    const out: Change = { kind: 'set_default_privileges' };
    if (c.to) out.from = c.to;
    if (c.from) out.to = c.from;
    return out;
  },
  create_domain: (c) => ({ kind: 'drop_domain', domain: c.domain }),
  drop_domain: (c) => ({ kind: 'create_domain', domain: c.domain }),
  alter_domain: (c) => ({ kind: 'alter_domain', from: c.to, to: c.from }),
  create_composite_type: (c) => ({ kind: 'drop_composite_type', type: c.type }),
  drop_composite_type: (c) => ({ kind: 'create_composite_type', type: c.type }),
  create_range: (c) => ({ kind: 'drop_range', type: c.type }),
  drop_range: (c) => ({ kind: 'create_range', type: c.type }),
  recreate_range: (c) => ({ kind: 'recreate_range', from: c.to, to: c.from, columns: c.columns.map(swapDefaults) }),
  // A rename is undone by renaming back.
  rename_table: (c) => ({ ...c, from: c.to, to: c.from }),
  rename_column: (c) => ({ ...c, from: c.to, to: c.from }),
  rename_index: (c) => ({ ...c, from: c.to, to: c.from }),
  rename_constraint: (c) => ({ ...c, from: c.to, to: c.from }),
  rename_sequence: (c) => ({
    kind: 'rename_sequence',
    sequence: { schema: c.sequence.schema, name: c.to },
    to: c.sequence.name,
    from_default: c.to_default,
    to_default: c.from_default,
  }),
};

export function invertChange(change: Change): Change {
  const fn = inverses[change.kind] as (c: Change) => Change;
  return fn(change);
}

function swapDefaults(c: EnumColumn): EnumColumn {
  const out: EnumColumn = { table: c.table, column: c.column, type: c.type };
  if (c.to_default !== undefined) out.from_default = c.to_default;
  if (c.from_default !== undefined) out.to_default = c.from_default;
  return out;
}
