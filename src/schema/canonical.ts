// Canonical form: defaults stripped, collections sorted by name, so that two
// schemas that mean the same thing are deep-equal and hash the same.
// Column order is kept (it is the table's physical order) but never compared
// by the differ.
import type {
  CheckConstraint,
  Column,
  EnumType,
  ForeignKey,
  Identity,
  Index,
  IndexKey,
  Namespace,
  Grant,
  DefaultPrivilege,
  ObjectRef,
  Domain,
  CompositeType,
  RangeType,
  Policy,
  PrimaryKey,
  Routine,
  Sequence,
  Trigger,
  View,
  Extension,
  Schema,
  Table,
  UniqueConstraint,
} from './types.js';
import { DEFAULT_NAMESPACE, tableKey } from './types.js';
import { nextvalSequence } from './nextval.js';
import { defaultMultirangeName } from './ranges.js';

const byName = <T extends { name: string }>(a: T, b: T): number => compareText(a.name, b.name);

/** Byte-wise comparison: deterministic regardless of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A comment as Postgres keeps it: an empty comment is no comment. */
function withComment<T extends object>(out: T, comment: string | undefined | null): T {
  if (comment !== undefined && comment !== null && comment !== '') (out as { comment?: string }).comment = comment;
  return out;
}

export function canonicalize(schema: Schema): Schema {
  const tables = schema.tables.map(canonicalTable).sort((a, b) => compareText(tableKey(a), tableKey(b)));
  const types = (schema.types ?? []).map(canonicalEnum).sort((a, b) => compareText(tableKey(a), tableKey(b)));
  const comments = new Map<string, string | undefined>();
  for (const s of schema.schemas ?? []) comments.set(s.name, s.comment ?? comments.get(s.name));
  for (const t of tables) if (!comments.has(t.schema!)) comments.set(t.schema!, undefined);
  for (const t of types) if (!comments.has(t.schema!)) comments.set(t.schema!, undefined);
  const grants = new Map((schema.schemas ?? []).map((s) => [s.name, s.grants]));
  const schemas: Namespace[] = [...comments.keys()].sort(compareText).map((name) => {
    const ns = withGrants(withComment<Namespace>({ name }, comments.get(name)), grants.get(name));
    // `public` with no grants at all (its default revoked) keeps the empty list: absent means the default.
    if (name === DEFAULT_NAMESPACE && grants.get(name)?.length === 0) ns.grants = [];
    return ns;
  });
  const out: Schema = { dialect: schema.dialect ?? 'postgres', schemas, tables };
  if (types.length) out.types = types;
  const extensions = (schema.extensions ?? []).map(canonicalExtension).sort(byName);
  if (extensions.length) out.extensions = extensions;
  const sequences = (schema.sequences ?? []).map(canonicalSequence).sort((a, b) => compareText(tableKey(a), tableKey(b)));
  if (sequences.length) out.sequences = sequences;
  markStandaloneSequences(tables, new Set(sequences.map(tableKey)));
  const views = (schema.views ?? []).map(canonicalView).sort((a, b) => compareText(tableKey(a), tableKey(b)));
  if (views.length) out.views = views;
  const functions = (schema.functions ?? []).map(canonicalRoutine).sort((a, b) => compareText(routineKey(a), routineKey(b)));
  if (functions.length) out.functions = functions;
  const domains = (schema.domains ?? []).map(canonicalDomain).sort((a, b) => compareText(tableKey(a), tableKey(b)));
  if (domains.length) out.domains = domains;
  const composites = (schema.composite_types ?? []).map(canonicalComposite).sort((a, b) => compareText(tableKey(a), tableKey(b)));
  if (composites.length) out.composite_types = composites;
  const ranges = (schema.range_types ?? []).map(canonicalRange).sort((a, b) => compareText(tableKey(a), tableKey(b)));
  if (ranges.length) out.range_types = ranges;
  const defaults = (schema.default_privileges ?? [])
    .map(canonicalDefaultPrivilege)
    .filter((d): d is DefaultPrivilege => d !== undefined)
    .sort((a, b) => compareText(defaultPrivilegeKey(a), defaultPrivilegeKey(b)));
  if (defaults.length) out.default_privileges = defaults;
  for (const o of [...sequences, ...views, ...functions, ...domains, ...composites, ...ranges]) if (!comments.has(o.schema!)) addNamespace(out, o.schema!);
  return out;
}

/** Columns whose `nextval` default draws from a listed sequence (not a serial's own). */
function markStandaloneSequences(tables: Table[], listed: ReadonlySet<string>): void {
  for (const t of tables) {
    for (const c of t.columns) {
      const parts = c.default === undefined ? undefined : nextvalSequence(c.default);
      const key = parts && (parts.length === 2 ? `${parts[0]}.${parts[1]}` : `${DEFAULT_NAMESPACE}.${parts[0]}`);
      if (key && listed.has(key)) c.standalone_sequence = true;
      else delete c.standalone_sequence;
      // Only a serial's own sequence is commented through its column.
      if (!key || c.standalone_sequence) delete c.sequence_comment;
    }
  }
}

/** A namespace only a sequence, view or function lives in. */
function addNamespace(out: Schema, name: string): void {
  if ((out.schemas ?? []).some((s) => s.name === name)) return;
  out.schemas = [...(out.schemas ?? []), { name }].sort(byName);
}

/** `schema.name(signature)`: a function's identity. */
export function routineKey(f: Pick<Routine, 'schema' | 'name' | 'signature'>): string {
  return `${f.schema ?? DEFAULT_NAMESPACE}.${f.name}(${f.signature})`;
}

function canonicalExtension(e: Extension): Extension {
  const out: Extension = { name: e.name };
  if (e.schema) out.schema = e.schema;
  if (e.version) out.version = e.version;
  return withComment(out, e.comment);
}

const TYPE_BOUNDS: Record<string, [string, string]> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};

/** Every option of a sequence, defaults filled in for its type and direction. */
export function sequenceSettings(q: Sequence): Required<Omit<Sequence, 'schema' | 'name' | 'owned_by' | 'comment' | 'grants'>> {
  const type = q.data_type ?? 'bigint';
  const [typeMin, typeMax] = TYPE_BOUNDS[type] ?? TYPE_BOUNDS.bigint!;
  const increment = String(q.increment ?? '1');
  const ascending = !increment.startsWith('-');
  const min = String(q.min_value ?? (ascending ? '1' : typeMin));
  const max = String(q.max_value ?? (ascending ? typeMax : '-1'));
  const start = String(q.start ?? (ascending ? min : max));
  return { data_type: type, start, increment, min_value: min, max_value: max, cache: String(q.cache ?? '1'), cycle: Boolean(q.cycle) };
}

/** Sequence options with Postgres's defaults for the type and direction stripped. */
export function canonicalSequence(q: Sequence): Sequence {
  const { data_type: type, start, increment, min_value: min, max_value: max } = sequenceSettings(q);
  const [typeMin, typeMax] = TYPE_BOUNDS[type] ?? TYPE_BOUNDS.bigint!;
  const ascending = !increment.startsWith('-');
  const out: Sequence = { schema: q.schema ?? DEFAULT_NAMESPACE, name: q.name };
  if (type !== 'bigint') out.data_type = type;
  if (start !== (ascending ? min : max)) out.start = start;
  if (increment !== '1') out.increment = increment;
  if (min !== (ascending ? '1' : typeMin)) out.min_value = min;
  if (max !== (ascending ? typeMax : '-1')) out.max_value = max;
  if (q.cache !== undefined && String(q.cache) !== '1') out.cache = String(q.cache);
  if (q.cycle) out.cycle = true;
  if (q.owned_by) {
    out.owned_by = { schema: q.owned_by.schema ?? out.schema!, table: q.owned_by.table, column: q.owned_by.column };
  }
  return withGrants(withComment(out, q.comment), q.grants);
}

/** Grants sorted by grantee (plain before WITH GRANT OPTION), privileges sorted; none when empty. MAINTAIN (Postgres 17+) is left out so that versions compare. */
export function canonicalGrants(grants: readonly Grant[] | undefined): Grant[] | undefined {
  const out: Grant[] = [];
  for (const g of grants ?? []) {
    const privileges = [...new Set(g.privileges.map((p) => p.toUpperCase()))].filter((p) => p !== 'MAINTAIN').sort(compareText);
    if (privileges.length) out.push(g.grantable ? { grantee: g.grantee, privileges, grantable: true } : { grantee: g.grantee, privileges });
  }
  out.sort((a, b) => compareText(a.grantee, b.grantee) || Number(Boolean(a.grantable)) - Number(Boolean(b.grantable)));
  return out.length ? out : undefined;
}

function withGrants<T extends { grants?: Grant[] }>(out: T, grants: readonly Grant[] | undefined): T {
  const g = canonicalGrants(grants);
  if (g) out.grants = g;
  return out;
}

/** What Postgres grants on a new type or domain: USAGE for everyone. */
export const TYPE_DEFAULT_GRANTS: readonly Grant[] = [{ grantee: 'public', privileges: ['USAGE'] }];

/** A type's grants: absent when they are the default, `[]` when nobody but the owner has any. */
export function canonicalTypeGrants(grants: readonly Grant[] | undefined): Grant[] | undefined {
  if (grants === undefined) return undefined;
  const g = canonicalGrants(grants) ?? [];
  return JSON.stringify(g) === JSON.stringify(TYPE_DEFAULT_GRANTS) ? undefined : g;
}

function withTypeGrants<T extends { grants?: Grant[] }>(out: T, grants: readonly Grant[] | undefined): T {
  const g = canonicalTypeGrants(grants);
  if (g) out.grants = g;
  return out;
}

export function defaultPrivilegeKey(d: Pick<DefaultPrivilege, 'role' | 'schema' | 'on'>): string {
  return `${d.role}\u0000${d.schema ?? ''}\u0000${d.on}`;
}

/** An IN SCHEMA entry only adds, so an empty one is none; a global entry replaces the built-in default, so it stays. */
function canonicalDefaultPrivilege(d: DefaultPrivilege): DefaultPrivilege | undefined {
  const grants = canonicalGrants(d.grants) ?? [];
  if (d.schema && !grants.length) return undefined;
  return d.schema ? { role: d.role, schema: d.schema, on: d.on, grants } : { role: d.role, on: d.on, grants };
}

function canonicalRefs(refs: ObjectRef[] | undefined): ObjectRef[] | undefined {
  if (!refs?.length) return undefined;
  const seen = new Map<string, ObjectRef>();
  for (const r of refs) {
    const ref: ObjectRef = { kind: r.kind, schema: r.schema, name: r.name };
    if (r.column !== undefined) ref.column = r.column;
    if (r.signature !== undefined) ref.signature = r.signature;
    seen.set(`${r.kind}\u0000${r.schema}\u0000${r.name}\u0000${r.column ?? ''}\u0000${r.signature ?? ''}`, ref);
  }
  return [...seen.entries()].sort(([a], [b]) => compareText(a, b)).map(([, r]) => r);
}

/** Rename intent survives canonicalization: the differ reads it (the hash does not). */
function withRename<T extends { renamed_from?: string }>(out: T, from: string | undefined): T {
  if (from !== undefined && from !== '') out.renamed_from = from;
  return out;
}

function withRefs<T extends { depends_on?: ObjectRef[] }>(out: T, refs: ObjectRef[] | undefined): T {
  const r = canonicalRefs(refs);
  if (r) out.depends_on = r;
  return out;
}

function canonicalView(v: View): View {
  const out: View = { schema: v.schema ?? DEFAULT_NAMESPACE, name: v.name, definition: v.definition };
  if (v.materialized) out.materialized = true;
  if (v.options?.length) out.options = [...v.options].sort(compareText);
  if (v.columns?.length) out.columns = v.columns.map((c) => ({ name: c.name, type: c.type }));
  const indexes = (v.indexes ?? []).map(canonicalIndex).sort(byName);
  if (indexes.length) out.indexes = indexes;
  const triggers = (v.triggers ?? []).map(canonicalTrigger).sort(byName);
  if (triggers.length) out.triggers = triggers;
  withComment(out, v.comment);
  withGrants(out, v.grants);
  return withRefs(out, v.depends_on);
}

function canonicalRoutine(f: Routine): Routine {
  const out = { schema: f.schema ?? DEFAULT_NAMESPACE, name: f.name } as Routine;
  if (f.kind === 'procedure' || f.kind === 'aggregate') out.kind = f.kind;
  out.signature = f.signature;
  if (f.arguments !== undefined && f.arguments !== f.signature) out.arguments = f.arguments;
  if (f.argument_list !== undefined && f.argument_list !== (f.arguments ?? f.signature)) out.argument_list = f.argument_list;
  if (f.returns !== undefined && f.returns !== null) out.returns = f.returns;
  out.definition = f.definition;
  withComment(out, f.comment);
  withGrants(out, f.grants);
  return withRefs(out, f.depends_on);
}

function canonicalDomain(d: Domain): Domain {
  const out: Domain = { schema: d.schema ?? DEFAULT_NAMESPACE, name: d.name, type: d.type };
  if (d.collation) out.collation = d.collation;
  if (d.default !== undefined && d.default !== null) out.default = d.default;
  if (d.not_null) out.not_null = true;
  const checks = (d.checks ?? []).map((c) => ({ name: c.name, definition: c.definition })).sort(byName);
  if (checks.length) out.checks = checks;
  withComment(out, d.comment);
  withTypeGrants(out, d.grants);
  return withRefs(out, d.depends_on);
}

function canonicalRange(r: RangeType): RangeType {
  const schema = r.schema ?? DEFAULT_NAMESPACE;
  const out: RangeType = { schema, name: r.name, subtype: r.subtype };
  if (r.subtype_opclass) out.subtype_opclass = r.subtype_opclass;
  if (r.collation) out.collation = r.collation;
  if (r.canonical) out.canonical = r.canonical;
  if (r.subtype_diff) out.subtype_diff = r.subtype_diff;
  const multiSchema = r.multirange_schema && r.multirange_schema !== schema ? r.multirange_schema : undefined;
  if (multiSchema) out.multirange_schema = multiSchema;
  if (r.multirange_type_name && (multiSchema || r.multirange_type_name !== defaultMultirangeName(r.name))) out.multirange_type_name = r.multirange_type_name;
  return withTypeGrants(withComment(out, r.comment), r.grants);
}

function canonicalComposite(c: CompositeType): CompositeType {
  const out: CompositeType = {
    schema: c.schema ?? DEFAULT_NAMESPACE,
    name: c.name,
    attributes: c.attributes.map((a) => (a.collation ? { name: a.name, type: a.type, collation: a.collation } : { name: a.name, type: a.type })),
  };
  return withTypeGrants(withComment(out, c.comment), c.grants);
}

function canonicalTrigger(t: Trigger): Trigger {
  const out: Trigger = { name: t.name, definition: t.definition };
  if (t.enabled) out.enabled = t.enabled;
  withComment(out, t.comment);
  return withRefs(out, t.depends_on);
}

function canonicalPolicy(p: Policy): Policy {
  const out: Policy = { name: p.name };
  if (p.restrictive) out.restrictive = true;
  if (p.command && p.command !== 'ALL') out.command = p.command;
  const roles = [...(p.roles ?? ['public'])].sort(compareText);
  if (!(roles.length === 1 && roles[0] === 'public')) out.roles = roles;
  if (p.using) out.using = p.using;
  if (p.with_check) out.with_check = p.with_check;
  withComment(out, p.comment);
  return withRefs(out, p.depends_on);
}

function canonicalEnum(t: EnumType): EnumType {
  return withTypeGrants(withComment<EnumType>({ schema: t.schema ?? DEFAULT_NAMESPACE, name: t.name, values: [...t.values] }, t.comment), t.grants);
}

function canonicalTable(table: Table): Table {
  const pk = primaryKeyOf(table);
  const pkColumns = new Set(pk?.columns ?? []);
  const out: Table = {
    schema: table.schema ?? DEFAULT_NAMESPACE,
    name: table.name,
    columns: table.columns.map((c) => canonicalColumn(c, pkColumns.has(c.name))),
  };
  withRename(out, table.renamed_from);
  withComment(out, table.comment);
  if (pk) {
    out.primary_key = withComment(pk.name === undefined ? { columns: [...pk.columns] } : { name: pk.name, columns: [...pk.columns] }, pk.comment);
    withRename(out.primary_key, pk.renamed_from);
  }
  const uniques = (table.unique_constraints ?? []).map(canonicalUnique).sort(byName);
  if (uniques.length) out.unique_constraints = uniques;
  const checks = (table.check_constraints ?? []).map(canonicalCheck).sort(byName);
  if (checks.length) out.check_constraints = checks;
  const indexes = (table.indexes ?? []).map(canonicalIndex).sort(byName);
  if (indexes.length) out.indexes = indexes;
  const fks = (table.foreign_keys ?? []).map((fk) => canonicalForeignKey(fk, out.schema!)).sort(byName);
  if (fks.length) out.foreign_keys = fks;
  const exclusions = (table.exclusion_constraints ?? []).map((x) => withComment({ name: x.name, definition: x.definition }, x.comment)).sort(byName);
  if (exclusions.length) out.exclusion_constraints = exclusions;
  if (table.unlogged) out.unlogged = true;
  if (table.partition_by) out.partition_by = table.partition_by;
  if (table.partition_of) {
    out.partition_of = { schema: table.partition_of.schema ?? out.schema!, table: table.partition_of.table, bound: table.partition_of.bound };
    if (table.partition_of.attached_indexes?.length) out.partition_of.attached_indexes = [...table.partition_of.attached_indexes].sort(compareText);
  }
  const triggers = (table.triggers ?? []).map(canonicalTrigger).sort(byName);
  if (triggers.length) out.triggers = triggers;
  if (table.row_security) out.row_security = true;
  if (table.force_row_security) out.force_row_security = true;
  const policies = (table.policies ?? []).map(canonicalPolicy).sort(byName);
  if (policies.length) out.policies = policies;
  withGrants(out, table.grants);
  return withRefs(out, table.depends_on);
}

/** The table's primary key: the explicit one, else the original format's `is_primary_key` flags. */
export function primaryKeyOf(table: Table): PrimaryKey | undefined {
  if (table.primary_key) return table.primary_key;
  const columns = table.columns.filter((c) => c.is_primary_key).map((c) => c.name);
  return columns.length ? { columns } : undefined;
}

function canonicalColumn(column: Column, inPrimaryKey: boolean): Column {
  const out: Column = { name: column.name, type: column.type, nullable: column.nullable && !inPrimaryKey };
  if (column.default !== undefined && column.default !== null) out.default = column.default;
  out.is_primary_key = inPrimaryKey;
  if (column.identity) out.identity = canonicalIdentity(column.identity);
  if (column.generated) {
    out.generated = { expression: column.generated.expression };
    if (column.generated.kind === 'virtual') out.generated.kind = 'virtual';
  }
  if (column.collation) out.collation = column.collation;
  withRename(out, column.renamed_from);
  withComment(out, column.comment);
  if (column.sequence_comment) out.sequence_comment = column.sequence_comment;
  return withGrants(out, column.grants);
}

function canonicalIdentity(identity: Identity): Identity {
  const out: Identity = { generation: identity.generation };
  for (const key of ['start', 'increment', 'min_value', 'max_value', 'cache'] as const) {
    const value = identity[key];
    if (value !== undefined) out[key] = String(value);
  }
  if (identity.cycle) out.cycle = true;
  return out;
}

function canonicalUnique(u: UniqueConstraint): UniqueConstraint {
  const out: UniqueConstraint = { name: u.name, columns: [...u.columns] };
  if (u.nulls_not_distinct) out.nulls_not_distinct = true;
  if (u.deferrable) out.deferrable = true;
  if (u.initially_deferred) out.initially_deferred = true;
  withRename(out, u.renamed_from);
  return withComment(out, u.comment);
}

function canonicalCheck(c: CheckConstraint): CheckConstraint {
  const out: CheckConstraint = { name: c.name, expression: c.expression };
  if (c.no_inherit) out.no_inherit = true;
  if (c.not_valid) out.not_valid = true;
  withRename(out, c.renamed_from);
  return withComment(out, c.comment);
}

function isPlainKey(k: IndexKey): boolean {
  return k.column !== undefined && !k.expression && !k.collation && !k.opclass && (k.order ?? 'ASC') === 'ASC' && !k.nulls;
}

function canonicalKey(k: IndexKey): IndexKey {
  const out: IndexKey = k.column !== undefined ? { column: k.column } : { expression: k.expression ?? '' };
  if (k.collation) out.collation = k.collation;
  if (k.opclass) out.opclass = k.opclass;
  if (k.order === 'DESC') out.order = 'DESC';
  // NULLS FIRST is the default for DESC, NULLS LAST for ASC.
  if (k.nulls && k.nulls !== (k.order === 'DESC' ? 'FIRST' : 'LAST')) out.nulls = k.nulls;
  return out;
}

/** The key list of an index, whichever form it was written in. */
export function indexKeys(index: Index): IndexKey[] {
  return index.keys ?? index.columns.map((column) => ({ column }));
}

function canonicalIndex(index: Index): Index {
  const keys = indexKeys(index).map(canonicalKey);
  const out: Index = {
    name: index.name,
    columns: keys.filter((k) => k.column !== undefined).map((k) => k.column!),
    unique: Boolean(index.unique),
  };
  if (!keys.every(isPlainKey)) out.keys = keys;
  if (index.method && index.method !== 'btree') out.method = index.method;
  if (index.where) out.where = index.where;
  if (index.include?.length) out.include = [...index.include];
  if (index.nulls_not_distinct) out.nulls_not_distinct = true;
  if (index.invalid) out.invalid = true;
  if (index.with?.length) out.with = [...index.with];
  withRename(out, index.renamed_from);
  return withComment(out, index.comment);
}

function canonicalForeignKey(fk: ForeignKey, ownSchema: string): ForeignKey {
  const out: ForeignKey = {
    name: fk.name,
    columns: [...fk.columns],
    referenced_schema: fk.referenced_schema ?? ownSchema,
    referenced_table: fk.referenced_table,
    referenced_columns: [...fk.referenced_columns],
  };
  if (fk.on_delete && fk.on_delete !== 'NO ACTION') out.on_delete = fk.on_delete;
  if (fk.on_update && fk.on_update !== 'NO ACTION') out.on_update = fk.on_update;
  if (fk.match && fk.match !== 'SIMPLE') out.match = fk.match;
  if (fk.deferrable) out.deferrable = true;
  if (fk.initially_deferred) out.initially_deferred = true;
  if (fk.not_valid) out.not_valid = true;
  withRename(out, fk.renamed_from);
  return withComment(out, fk.comment);
}
