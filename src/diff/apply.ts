// Applies Changes to a Schema in memory: what the database would look like
// after running them. Used to know the state between steps (safety checks,
// rollback of a plan) and, in tests, to check that a diff is complete.
import { canonicalize } from '../schema/canonical.js';
import { canonicalTypeGrants, defaultPrivilegeKey, routineKey } from '../schema/canonical.js';
import type { Column, CompositeType, RangeType, DefaultPrivilege, Domain, EnumType, Extension, Grant, GrantTarget, Namespace, QualifiedName, Routine, Schema, Sequence, Table, View } from '../schema/types.js';
import { tableKey, qualifiedKey } from '../schema/types.js';
import type { Change, ChangeKind, EnumColumn } from './changes.js';
import { PUBLIC_SCHEMA_DEFAULT, sameGrants } from './grants.js';
import { commentHolder } from './comment-target.js';
import { renameAppliers } from './rename-apply.js';

export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

export class Model {
  readonly schemas: Map<string, Namespace>;
  readonly tables: Map<string, Table>;
  readonly types: Map<string, EnumType>;
  readonly extensions: Map<string, Extension>;
  readonly sequences: Map<string, Sequence>;
  readonly views: Map<string, View>;
  readonly functions: Map<string, Routine>;
  readonly domains: Map<string, Domain>;
  readonly composites: Map<string, CompositeType>;
  readonly ranges: Map<string, RangeType>;
  readonly defaults: Map<string, DefaultPrivilege>;
  constructor(schema: Schema) {
    const c = structuredClone(canonicalize(schema));
    this.schemas = new Map((c.schemas ?? []).map((s) => [s.name, s]));
    this.tables = new Map(c.tables.map((t) => [tableKey(t), t]));
    this.types = new Map((c.types ?? []).map((t) => [tableKey(t), t]));
    this.extensions = new Map((c.extensions ?? []).map((e) => [e.name, e]));
    this.sequences = new Map((c.sequences ?? []).map((q) => [tableKey(q), q]));
    this.views = new Map((c.views ?? []).map((v) => [tableKey(v), v]));
    this.functions = new Map((c.functions ?? []).map((f) => [routineKey(f), f]));
    this.domains = new Map((c.domains ?? []).map((d) => [tableKey(d), d]));
    this.composites = new Map((c.composite_types ?? []).map((t) => [tableKey(t), t]));
    this.ranges = new Map((c.range_types ?? []).map((t) => [tableKey(t), t]));
    this.defaults = new Map((c.default_privileges ?? []).map((d) => [defaultPrivilegeKey(d), d]));
  }
  /** A table, or a materialized view (which has indexes too). */
  table(q: QualifiedName): Table {
    const t = this.tables.get(qualifiedKey(q)) ?? this.views.get(qualifiedKey(q));
    if (!t) throw new Error(`change refers to missing table ${qualifiedKey(q)}`);
    return t as Table;
  }
  toSchema(): Schema {
    return canonicalize({
      schemas: [...this.schemas.values()],
      types: [...this.types.values()],
      tables: [...this.tables.values()],
      extensions: [...this.extensions.values()],
      sequences: [...this.sequences.values()],
      views: [...this.views.values()],
      functions: [...this.functions.values()],
      domains: [...this.domains.values()],
      composite_types: [...this.composites.values()],
      range_types: [...this.ranges.values()],
      default_privileges: [...this.defaults.values()],
    });
  }
}

/** The column an online type change fills: the new type under a temporary name, nullable, no default. */
export function swapTemporary(to: Column, temporary: string): Column {
  const out: Column = { name: temporary, type: to.type, nullable: true };
  if (to.collation !== undefined) out.collation = to.collation;
  return out;
}

function without<T extends { name: string }>(list: T[] | undefined, name: string): T[] {
  return (list ?? []).filter((x) => x.name !== name);
}

const appliers: { [K in ChangeKind]: (m: Model, c: ChangeOf<K>) => void } = {
  create_schema: (m, c) => void m.schemas.set(c.schema, c.comment === undefined ? { name: c.schema } : { name: c.schema, comment: c.comment }),
  drop_schema: (m, c) => void m.schemas.delete(c.schema),
  set_comment: (m, c) => {
    const holder = commentHolder(m, c.target);
    if (c.to === undefined) delete holder.comment;
    else holder.comment = c.to;
  },
  create_enum: (m, c) => void m.types.set(tableKey(c.type), structuredClone(c.type)),
  drop_enum: (m, c) => void m.types.delete(tableKey(c.type)),
  add_enum_values: (m, c) => void m.types.set(tableKey(c.to), structuredClone(c.to)),
  recreate_enum: (m, c) => {
    m.types.set(tableKey(c.to), structuredClone(c.to));
    setConvertedDefaults(m, c.columns);
  },
  create_range: (m, c) => void m.ranges.set(tableKey(c.type), structuredClone(c.type)),
  drop_range: (m, c) => void m.ranges.delete(tableKey(c.type)),
  recreate_range: (m, c) => {
    m.ranges.delete(tableKey(c.from));
    m.ranges.set(tableKey(c.to), structuredClone(c.to));
    setConvertedDefaults(m, c.columns);
  },
  create_table: (m, c) => void m.tables.set(tableKey(c.table), structuredClone(c.table)),
  drop_table: (m, c) => void m.tables.delete(tableKey(c.table)),
  add_column: (m, c) => void m.table(c.table).columns.push(structuredClone(c.column)),
  drop_column: (m, c) => {
    const t = m.table(c.table);
    t.columns = without(t.columns, c.column.name);
  },
  alter_column: (m, c) => {
    const t = m.table(c.table);
    t.columns = t.columns.map((col) => (col.name === c.from.name ? structuredClone(c.to) : col));
  },
  add_primary_key: (m, c) => {
    const t = m.table(c.table);
    t.primary_key = structuredClone(c.primary_key);
    const cols = new Set(c.primary_key.columns);
    for (const col of t.columns) if (cols.has(col.name)) col.nullable = false;
  },
  drop_primary_key: (m, c) => {
    const t = m.table(c.table);
    delete t.primary_key;
    for (const col of t.columns) col.is_primary_key = false;
  },
  add_unique: (m, c) => {
    const t = m.table(c.table);
    t.unique_constraints = [...(t.unique_constraints ?? []), structuredClone(c.constraint)];
  },
  drop_unique: (m, c) => {
    const t = m.table(c.table);
    t.unique_constraints = without(t.unique_constraints, c.constraint.name);
  },
  add_check: (m, c) => {
    const t = m.table(c.table);
    t.check_constraints = [...(t.check_constraints ?? []), structuredClone(c.constraint)];
  },
  drop_check: (m, c) => {
    const t = m.table(c.table);
    t.check_constraints = without(t.check_constraints, c.constraint.name);
  },
  create_index: (m, c) => {
    if (c.for_constraint) return;
    const t = m.table(c.table);
    t.indexes = [...(t.indexes ?? []), structuredClone(c.index)];
  },
  drop_index: (m, c) => {
    if (c.for_constraint) return;
    const t = m.table(c.table);
    t.indexes = without(t.indexes, c.index.name);
  },
  validate_constraint: () => undefined,
  backfill_column: () => undefined,
  create_column_sync: () => undefined,
  drop_column_sync: () => undefined,
  swap_column: (m, c) => {
    const t = m.table(c.table);
    if (c.undo) {
      // The new column goes back under its temporary name; the old one comes back, last.
      t.columns = t.columns.map((col) => (col.name === c.to.name ? swapTemporary(c.to, c.temporary) : col));
      t.columns.push(structuredClone(c.from));
      if (c.helper) t.check_constraints = [...(t.check_constraints ?? []), structuredClone(c.helper)];
      return;
    }
    t.columns = without(t.columns, c.from.name).map((col) => (col.name === c.temporary ? structuredClone(c.to) : col));
    if (c.helper) t.check_constraints = without(t.check_constraints, c.helper.name);
  },
  add_foreign_key: (m, c) => {
    const t = m.table(c.table);
    t.foreign_keys = [...(t.foreign_keys ?? []), structuredClone(c.foreign_key)];
  },
  drop_foreign_key: (m, c) => {
    const t = m.table(c.table);
    t.foreign_keys = without(t.foreign_keys, c.foreign_key.name);
  },
  create_extension: (m, c) => void m.extensions.set(c.extension.name, structuredClone(c.extension)),
  drop_extension: (m, c) => void m.extensions.delete(c.extension.name),
  alter_extension: (m, c) => void m.extensions.set(c.to.name, structuredClone(c.to)),
  create_sequence: (m, c) => void m.sequences.set(tableKey(c.sequence), structuredClone(c.sequence)),
  drop_sequence: (m, c) => void m.sequences.delete(tableKey(c.sequence)),
  alter_sequence: (m, c) => void m.sequences.set(tableKey(c.to), structuredClone(c.to)),
  create_view: (m, c) => void m.views.set(tableKey(c.view), structuredClone(c.view)),
  drop_view: (m, c) => void m.views.delete(tableKey(c.view)),
  replace_view: (m, c) => {
    const indexes = m.views.get(tableKey(c.from))?.indexes;
    const next = structuredClone(c.to);
    if (indexes) next.indexes = indexes;
    else delete next.indexes;
    m.views.set(tableKey(c.to), next);
  },
  create_function: (m, c) => void m.functions.set(routineKey(c.function), structuredClone(c.function)),
  drop_function: (m, c) => void m.functions.delete(routineKey(c.function)),
  replace_function: (m, c) => void m.functions.set(routineKey(c.to), structuredClone(c.to)),
  create_trigger: (m, c) => {
    const t = m.table(c.table);
    t.triggers = [...(t.triggers ?? []), structuredClone(c.trigger)];
  },
  drop_trigger: (m, c) => {
    const t = m.table(c.table);
    t.triggers = without(t.triggers, c.trigger.name);
  },
  create_policy: (m, c) => {
    const t = m.table(c.table);
    t.policies = [...(t.policies ?? []), structuredClone(c.policy)];
  },
  drop_policy: (m, c) => {
    const t = m.table(c.table);
    t.policies = without(t.policies, c.policy.name);
  },
  alter_policy: (m, c) => {
    const t = m.table(c.table);
    t.policies = [...without(t.policies, c.from.name), structuredClone(c.to)];
  },
  add_exclusion: (m, c) => {
    const t = m.table(c.table);
    t.exclusion_constraints = [...(t.exclusion_constraints ?? []), structuredClone(c.constraint)];
  },
  drop_exclusion: (m, c) => {
    const t = m.table(c.table);
    t.exclusion_constraints = without(t.exclusion_constraints, c.constraint.name);
  },
  set_unlogged: (m, c) => {
    m.table(c.table).unlogged = c.unlogged;
  },
  set_partition: (m, c) => {
    const t = m.table(c.table);
    if (c.to) t.partition_of = structuredClone(c.to);
    else delete t.partition_of;
  },
  set_grants: (m, c) => {
    const holder = grantHolder(m, c.target);
    if (c.target.kind === 'type') {
      const g = canonicalTypeGrants(c.to ?? []);
      if (g) holder.grants = g;
      else delete holder.grants;
      return;
    }
    if (c.to?.length) holder.grants = structuredClone(c.to);
    else if (c.target.kind === 'schema' && c.target.schema === 'public') holder.grants = [];
    else delete holder.grants;
    if (c.target.kind === 'schema' && c.target.schema === 'public' && sameGrants(c.to, PUBLIC_SCHEMA_DEFAULT)) delete holder.grants;
  },
  set_default_privileges: (m, c) => {
    if (c.from) m.defaults.delete(defaultPrivilegeKey(c.from));
    if (c.to) m.defaults.set(defaultPrivilegeKey(c.to), structuredClone(c.to));
  },
  create_domain: (m, c) => void m.domains.set(tableKey(c.domain), structuredClone(c.domain)),
  drop_domain: (m, c) => void m.domains.delete(tableKey(c.domain)),
  alter_domain: (m, c) => void m.domains.set(tableKey(c.to), structuredClone(c.to)),
  create_composite_type: (m, c) => void m.composites.set(tableKey(c.type), structuredClone(c.type)),
  drop_composite_type: (m, c) => void m.composites.delete(tableKey(c.type)),
  set_row_security: (m, c) => {
    const t = m.table(c.table);
    t.row_security = c.to.enabled;
    t.force_row_security = c.to.forced;
  },
  ...renameAppliers,
};

/** A recreated type's columns keep the defaults the recreate set. */
function setConvertedDefaults(m: Model, columns: readonly EnumColumn[]): void {
  for (const ec of columns) {
    const col = m.table(ec.table).columns.find((x) => x.name === ec.column);
    if (!col) throw new Error(`change refers to missing column ${qualifiedKey(ec.table)}.${ec.column}`);
    if (ec.to_default === undefined) delete col.default;
    else col.default = ec.to_default;
  }
}

/** The schema after the changes, in canonical form. Throws when a change refers to a missing table. */
export function applyChanges(schema: Schema, changes: readonly Change[]): Schema {
  const model = new Model(schema);
  for (const change of changes) (appliers[change.kind] as (m: Model, c: Change) => void)(model, change);
  return model.toSchema();
}

/** The IR object that carries the target's grants; throws when it is missing. */
function grantHolder(m: Model, t: GrantTarget): { grants?: Grant[] } {
  const missing = (what: string): never => {
    throw new Error(`grant refers to missing ${what}`);
  };
  switch (t.kind) {
    case 'schema':
      return m.schemas.get(t.schema) ?? missing(`schema ${t.schema}`);
    case 'table':
      return m.table(t.table);
    case 'view':
      return m.views.get(qualifiedKey(t.view)) ?? missing(`view ${qualifiedKey(t.view)}`);
    case 'sequence':
      return m.sequences.get(qualifiedKey(t.sequence)) ?? missing(`sequence ${qualifiedKey(t.sequence)}`);
    case 'column':
      return m.table(t.table).columns.find((c) => c.name === t.column) ?? missing(`column ${t.column}`);
    case 'function': {
      const k = routineKey({ ...t.function, signature: t.signature });
      return m.functions.get(k) ?? missing(`function ${k}`);
    }
    case 'type': {
      const k = qualifiedKey(t.type);
      return m.types.get(k) ?? m.composites.get(k) ?? m.ranges.get(k) ?? m.domains.get(k) ?? missing(`type ${k}`);
    }
  }
}
