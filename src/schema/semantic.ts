// Checks beyond the JSON Schema: names that must exist, be unique, and fit
// Postgres's identifier limit. Each problem points at the offending node.
import type { Problem } from './json-schema.js';
import type { ForeignKey, Schema, Table } from './types.js';
import { qualifiedKey, tableKey, tableSchema } from './types.js';
import { multirangeName } from './ranges.js';

/** Postgres truncates identifiers to NAMEDATALEN - 1 bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

export function semanticProblems(schema: Schema): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  const tables = new Map<string, Table>();

  (schema.schemas ?? []).forEach((ns, i) => {
    checkLength(add, `/schemas/${i}/name`, ns.name);
    if ((schema.schemas ?? []).findIndex((other) => other.name === ns.name) < i) add(`/schemas/${i}`, `duplicate schema ${ns.name}`);
  });

  const types = new Set<string>();
  (schema.types ?? []).forEach((type, i) => {
    const at = `/types/${i}`;
    if (type.schema !== undefined) checkLength(add, `${at}/schema`, type.schema);
    checkLength(add, `${at}/name`, type.name);
    const key = tableKey(type);
    if (types.has(key)) add(at, `duplicate type ${key}`);
    types.add(key);
    type.values.forEach((v, j) => {
      if (Buffer.byteLength(v, 'utf8') > MAX_IDENTIFIER_BYTES) add(`${at}/values/${j}`, `enum label ${v} is longer than ${MAX_IDENTIFIER_BYTES} bytes`);
    });
  });

  // A range and its multirange are types too (one pg_type namespace with enums).
  (schema.range_types ?? []).forEach((range, i) => {
    const at = `/range_types/${i}`;
    if (range.schema !== undefined) checkLength(add, `${at}/schema`, range.schema);
    checkLength(add, `${at}/name`, range.name);
    if (range.multirange_type_name !== undefined) checkLength(add, `${at}/multirange_type_name`, range.multirange_type_name);
    for (const key of [tableKey(range), qualifiedKey(multirangeName(range))]) {
      if (types.has(key)) add(at, `duplicate type ${key}`);
      types.add(key);
    }
  });

  schema.tables.forEach((table, t) => {
    const at = `/tables/${t}`;
    const key = tableKey(table);
    if (table.schema !== undefined) checkLength(add, `${at}/schema`, table.schema);
    checkLength(add, `${at}/name`, table.name);
    if (tables.has(key)) add(at, `duplicate table ${key}`);
    else tables.set(key, table);
  });

  schema.tables.forEach((table, t) => checkTable(add, `/tables/${t}`, table, tables));
  checkRelationNames(add, schema);
  return problems;
}

type Add = (path: string, message: string) => void;

function checkLength(add: Add, path: string, name: string): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) add(path, `name ${name} is ${bytes} bytes long; Postgres allows at most ${MAX_IDENTIFIER_BYTES}`);
}

function checkTable(add: Add, at: string, table: Table, tables: Map<string, Table>): void {
  const key = tableKey(table);
  const columns = new Set<string>();
  table.columns.forEach((column, c) => {
    const path = `${at}/columns/${c}`;
    checkLength(add, `${path}/name`, column.name);
    if (columns.has(column.name)) add(path, `duplicate column ${column.name} in table ${key}`);
    columns.add(column.name);
    const hasDefault = column.default !== undefined && column.default !== null;
    if (column.identity && hasDefault) add(path, `column ${column.name} cannot have both identity and a default`);
    if (column.identity && column.generated) add(path, `column ${column.name} cannot be both identity and generated`);
    if (column.generated && hasDefault) add(path, `column ${column.name} cannot be both generated and have a default`);
  });
  const needColumns = (path: string, names: readonly string[], what: string): void => {
    names.forEach((name, i) => {
      if (!columns.has(name)) add(`${path}/${i}`, `${what} column ${name} does not exist in table ${key}`);
    });
  };

  if (table.primary_key) {
    if (table.primary_key.name !== undefined) checkLength(add, `${at}/primary_key/name`, table.primary_key.name);
    needColumns(`${at}/primary_key/columns`, table.primary_key.columns, 'primary key');
  }
  (table.unique_constraints ?? []).forEach((u, i) => {
    checkLength(add, `${at}/unique_constraints/${i}/name`, u.name);
    needColumns(`${at}/unique_constraints/${i}/columns`, u.columns, `unique constraint ${u.name}`);
  });
  (table.check_constraints ?? []).forEach((c, i) => checkLength(add, `${at}/check_constraints/${i}/name`, c.name));
  (table.indexes ?? []).forEach((index, i) => {
    const path = `${at}/indexes/${i}`;
    checkLength(add, `${path}/name`, index.name);
    if (index.keys) {
      index.keys.forEach((k, j) => {
        if (k.column !== undefined && !columns.has(k.column)) {
          add(`${path}/keys/${j}/column`, `index ${index.name} column ${k.column} does not exist in table ${key}`);
        }
      });
    } else {
      needColumns(`${path}/columns`, index.columns, `index ${index.name}`);
    }
    needColumns(`${path}/include`, index.include ?? [], `index ${index.name} include`);
  });
  (table.foreign_keys ?? []).forEach((fk, i) => checkForeignKey(add, `${at}/foreign_keys/${i}`, table, fk, columns, tables));
}

function checkForeignKey(add: Add, at: string, table: Table, fk: ForeignKey, columns: Set<string>, tables: Map<string, Table>): void {
  checkLength(add, `${at}/name`, fk.name);
  fk.columns.forEach((name, i) => {
    if (!columns.has(name)) add(`${at}/columns/${i}`, `foreign key ${fk.name} column ${name} does not exist in table ${tableKey(table)}`);
  });
  if (fk.columns.length !== fk.referenced_columns.length) {
    add(at, `foreign key ${fk.name} has ${fk.columns.length} column(s) but references ${fk.referenced_columns.length}`);
  }
  const refKey = tableKey({ schema: fk.referenced_schema ?? tableSchema(table), name: fk.referenced_table });
  const referenced = tables.get(refKey);
  if (!referenced) {
    add(at, `foreign key ${fk.name} references missing table ${refKey}`);
    return;
  }
  const refColumns = new Set(referenced.columns.map((c) => c.name));
  fk.referenced_columns.forEach((name, i) => {
    if (!refColumns.has(name)) add(`${at}/referenced_columns/${i}`, `foreign key ${fk.name} references missing column ${refKey}.${name}`);
  });
}

/** Tables, indexes and the indexes behind primary keys and unique constraints share one namespace per schema. */
function checkRelationNames(add: Add, schema: Schema): void {
  const seen = new Map<string, string>();
  const claim = (ns: string, name: string, path: string, what: string): void => {
    const key = `${ns}.${name}`;
    const previous = seen.get(key);
    if (previous) add(path, `${what} name ${key} is already used by ${previous}`);
    else seen.set(key, `${what} ${key}`);
  };
  const tableNames = new Map(schema.tables.map((t) => [tableKey(t), t] as const));
  schema.tables.forEach((table, t) => {
    const ns = tableSchema(table);
    const at = `/tables/${t}`;
    const relation = (name: string, path: string, what: string): void => {
      if (tableNames.has(`${ns}.${name}`)) add(path, `${what} name ${ns}.${name} is already used by table ${ns}.${name}`);
      else claim(ns, name, path, what);
    };
    if (table.primary_key?.name !== undefined) relation(table.primary_key.name, `${at}/primary_key/name`, 'primary key');
    (table.unique_constraints ?? []).forEach((u, i) => relation(u.name, `${at}/unique_constraints/${i}/name`, 'unique constraint'));
    (table.indexes ?? []).forEach((index, i) => relation(index.name, `${at}/indexes/${i}/name`, 'index'));
  });
}
