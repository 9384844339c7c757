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
  PrimaryKey,
  Schema,
  Table,
  UniqueConstraint,
} from './types.js';
import { DEFAULT_NAMESPACE, tableKey } from './types.js';

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
  const schemas: Namespace[] = [...comments.keys()].sort(compareText).map((name) => withComment({ name }, comments.get(name)));
  const out: Schema = { dialect: schema.dialect ?? 'postgres', schemas, tables };
  if (types.length) out.types = types;
  return out;
}

function canonicalEnum(t: EnumType): EnumType {
  return withComment({ schema: t.schema ?? DEFAULT_NAMESPACE, name: t.name, values: [...t.values] }, t.comment);
}

function canonicalTable(table: Table): Table {
  const pk = primaryKeyOf(table);
  const pkColumns = new Set(pk?.columns ?? []);
  const out: Table = {
    schema: table.schema ?? DEFAULT_NAMESPACE,
    name: table.name,
    columns: table.columns.map((c) => canonicalColumn(c, pkColumns.has(c.name))),
  };
  withComment(out, table.comment);
  if (pk) {
    out.primary_key = withComment(pk.name === undefined ? { columns: [...pk.columns] } : { name: pk.name, columns: [...pk.columns] }, pk.comment);
  }
  const uniques = (table.unique_constraints ?? []).map(canonicalUnique).sort(byName);
  if (uniques.length) out.unique_constraints = uniques;
  const checks = (table.check_constraints ?? []).map(canonicalCheck).sort(byName);
  if (checks.length) out.check_constraints = checks;
  const indexes = (table.indexes ?? []).map(canonicalIndex).sort(byName);
  if (indexes.length) out.indexes = indexes;
  const fks = (table.foreign_keys ?? []).map((fk) => canonicalForeignKey(fk, out.schema!)).sort(byName);
  if (fks.length) out.foreign_keys = fks;
  return out;
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
  return withComment(out, column.comment);
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
  return withComment(out, u.comment);
}

function canonicalCheck(c: CheckConstraint): CheckConstraint {
  const out: CheckConstraint = { name: c.name, expression: c.expression };
  if (c.no_inherit) out.no_inherit = true;
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
  if (index.with?.length) out.with = [...index.with];
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
  return withComment(out, fk.comment);
}
