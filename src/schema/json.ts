// Schema and plan JSON files: read, check against the published JSON Schemas,
// and write in the original format's key order.
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { Plan } from '../plan/types.js';
import { formatProblem, jsonSchemaProblems, type JsonSchemaName, type Problem } from './json-schema.js';
import { parseJsonWithPositions, pointerOffset, type ParsedJson } from './json-text.js';
import { lineColumnAt } from './position.js';
import type { Column, ForeignKey, Identity, Index, IndexKey, Schema, Table } from './types.js';

/** Reads a schema JSON file. The result is valid but not canonical: the caller normalizes. */
export function loadSchemaJson(path: string): Schema {
  return parseSchemaJson(readJsonFile(path), path);
}

export function parseSchemaJson(text: string, fileName: string): Schema {
  return fromSchemaJson(parseChecked(text, fileName, 'schema'));
}

export function loadPlanJson(path: string): Plan {
  return parsePlanJson(readJsonFile(path), path);
}

export function parsePlanJson(text: string, fileName: string): Plan {
  return parseChecked(text, fileName, 'plan') as Plan;
}

/** Pretty JSON (2 spaces, trailing newline) with keys in the original format's order. */
export function saveSchemaJson(schema: Schema): string {
  return `${JSON.stringify(orderSchema(schema), null, 2)}\n`;
}

/** The file's text; a missing file or a directory is bad input. */
export function readJsonFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path}: no such file or directory`);
    if (code === 'EISDIR') throw new InputError(`${path}: is a directory, expected a JSON file`);
    if (code === 'EACCES') throw new InputError(`${path}: permission denied`);
    throw error;
  }
}

/** Parses strictly; throws InputError on a syntax error (FILE:LINE:COL) or the first JSON Schema problem. */
export function parseJsonFile(text: string, fileName: string): ParsedJson {
  const result = parseJsonWithPositions(text);
  if (!result.ok) {
    const { line, column } = lineColumnAt(text.replace(/^\uFEFF/, ''), result.error.index);
    throw new InputError(`${fileName}:${line}:${column}: invalid JSON: ${result.error.message}`);
  }
  return result.json;
}

/** JSON Schema problems, each with its line and column, in document order. */
export function locatedJsonSchemaProblems(json: ParsedJson, name: JsonSchemaName): Problem[] {
  return locateProblems(json, jsonSchemaProblems(name, json.value));
}

/** Adds line/column to problems and sorts them by position in the document (stable). */
export function locateProblems(json: ParsedJson, problems: Problem[]): Problem[] {
  const located = problems.map((problem, order) => {
    const offset = pointerOffset(json.tree, problem.path);
    if (offset === undefined) return { problem, offset: Number.MAX_SAFE_INTEGER, order };
    return { problem: { ...problem, ...lineColumnAt(json.text, offset) }, offset, order };
  });
  located.sort((a, b) => a.offset - b.offset || a.order - b.order);
  return located.map((l) => l.problem);
}

function parseChecked(text: string, fileName: string, name: JsonSchemaName): unknown {
  const json = parseJsonFile(text, fileName);
  const first = locatedJsonSchemaProblems(json, name)[0];
  if (first) throw new InputError(`${fileName}: ${formatProblem(first)}`);
  return json.value;
}

// ---- JSON value → Schema: fill what the JSON may omit -------------------

type ColumnJson = Omit<Column, 'nullable' | 'default' | 'identity'> & {
  nullable?: boolean;
  default?: string | null;
  identity?: IdentityJson;
};
type IdentityJson = { [K in keyof Identity]: K extends 'generation' | 'cycle' ? Identity[K] : string | number | undefined };

function fromSchemaJson(value: unknown): Schema {
  const schema = value as Schema;
  const tables = schema.tables.map((t) => {
    const table: Table = { ...t, columns: (t.columns as ColumnJson[]).map(fromColumnJson) };
    if (t.indexes) table.indexes = (t.indexes as IndexJson[]).map(fromIndexJson);
    return table;
  });
  return orderSchema({ ...schema, tables });
}

type IndexJson = Omit<Index, 'columns' | 'unique'> & { columns?: string[]; unique?: boolean };

function fromIndexJson(index: IndexJson): Index {
  const columns = index.columns ?? (index.keys ?? []).flatMap((k) => (k.column === undefined ? [] : [k.column]));
  return { ...index, columns, unique: index.unique ?? false };
}

function fromColumnJson(c: ColumnJson): Column {
  const { nullable, default: def, identity, ...rest } = c;
  const out: Column = { ...rest, nullable: nullable ?? true };
  if (def !== undefined && def !== null) out.default = def;
  if (identity) {
    const id: Identity = { generation: identity.generation };
    for (const key of ['start', 'increment', 'min_value', 'max_value', 'cache'] as const) {
      const v = identity[key];
      if (v !== undefined) id[key] = String(v);
    }
    if (identity.cycle !== undefined) id.cycle = identity.cycle;
    out.identity = id;
  }
  return out;
}

// ---- Key order ------------------------------------------------------------

/** Copies `from`'s keys in the given order, dropping undefined ones. */
function pick<T extends object>(from: T, keys: readonly (keyof T)[]): T {
  const out: Partial<T> = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out as T;
}

function orderSchema(schema: Schema): Schema {
  const out = pick(schema, ['$schema', 'dialect', 'schemas', 'extensions', 'types', 'domains', 'composite_types', 'range_types', 'sequences', 'tables', 'views', 'functions', 'default_privileges']);
  if (out.default_privileges) out.default_privileges = out.default_privileges.map((d) => pick(d, ['role', 'schema', 'on', 'grants']));
  if (out.domains) out.domains = out.domains.map((d) => pick(d, ['schema', 'name', 'type', 'collation', 'default', 'not_null', 'checks', 'comment', 'depends_on', 'grants']));
  if (out.composite_types) out.composite_types = out.composite_types.map((c) => pick(c, ['schema', 'name', 'attributes', 'comment', 'grants']));
  if (out.range_types) {
    out.range_types = out.range_types.map((r) =>
      pick(r, ['schema', 'name', 'subtype', 'subtype_opclass', 'collation', 'canonical', 'subtype_diff', 'multirange_type_name', 'multirange_schema', 'comment', 'grants']),
    );
  }
  if (out.schemas) out.schemas = out.schemas.map((s) => pick(s, ['name', 'comment', 'grants']));
  if (out.extensions) out.extensions = out.extensions.map((e) => pick(e, ['name', 'schema', 'version', 'comment']));
  if (out.types) out.types = out.types.map((t) => pick(t, ['schema', 'name', 'values', 'comment', 'grants']));
  if (out.sequences) {
    out.sequences = out.sequences.map((q) =>
      pick(q, ['schema', 'name', 'data_type', 'start', 'increment', 'min_value', 'max_value', 'cache', 'cycle', 'owned_by', 'comment', 'grants']),
    );
  }
  out.tables = schema.tables.map(orderTable);
  if (out.views) {
    out.views = out.views.map((v) => {
      const o = pick(v, ['schema', 'name', 'materialized', 'definition', 'options', 'columns', 'indexes', 'triggers', 'comment', 'depends_on', 'grants']);
      if (o.indexes) o.indexes = o.indexes.map(orderIndex);
      if (o.triggers) o.triggers = o.triggers.map((t) => pick(t, ['name', 'definition', 'enabled', 'comment', 'depends_on']));
      return o;
    });
  }
  if (out.functions) {
    out.functions = out.functions.map((f) =>
      pick(f, ['schema', 'name', 'kind', 'signature', 'arguments', 'argument_list', 'returns', 'definition', 'comment', 'depends_on', 'grants']),
    );
  }
  return out;
}

function orderTable(table: Table): Table {
  const out = pick(table, [
    'schema',
    'name',
    'renamed_from',
    'comment',
    'columns',
    'primary_key',
    'unique_constraints',
    'check_constraints',
    'indexes',
    'foreign_keys',
    'exclusion_constraints',
    'unlogged',
    'strict',
    'without_rowid',
    'partition_by',
    'partition_of',
    'triggers',
    'row_security',
    'force_row_security',
    'policies',
    'grants',
    'depends_on',
  ]);
  if (out.triggers) out.triggers = out.triggers.map((t) => pick(t, ['name', 'definition', 'enabled', 'comment', 'depends_on']));
  if (out.policies) {
    out.policies = out.policies.map((p) => pick(p, ['name', 'restrictive', 'command', 'roles', 'using', 'with_check', 'comment', 'depends_on']));
  }
  out.columns = table.columns.map(orderColumn);
  if (out.primary_key) out.primary_key = pick(out.primary_key, ['name', 'renamed_from', 'columns', 'autoincrement', 'comment']);
  if (out.unique_constraints) {
    out.unique_constraints = out.unique_constraints.map((u) =>
      pick(u, ['name', 'renamed_from', 'columns', 'nulls_not_distinct', 'deferrable', 'initially_deferred', 'comment']),
    );
  }
  if (out.check_constraints) out.check_constraints = out.check_constraints.map((c) => pick(c, ['name', 'renamed_from', 'expression', 'no_inherit', 'comment']));
  if (out.indexes) out.indexes = out.indexes.map(orderIndex);
  if (out.foreign_keys) out.foreign_keys = out.foreign_keys.map(orderForeignKey);
  return out;
}

function orderColumn(column: Column): Column {
  const out = pick(column, ['name', 'renamed_from', 'type', 'nullable', 'default', 'is_primary_key', 'identity', 'generated', 'collation', 'comment', 'sequence_comment', 'grants']);
  if (out.identity) {
    out.identity = pick(out.identity, ['generation', 'start', 'increment', 'min_value', 'max_value', 'cache', 'cycle']);
  }
  if (out.generated) out.generated = pick(out.generated, ['expression', 'kind']);
  return out;
}

function orderIndex(index: Index): Index {
  const out = pick(index, ['name', 'renamed_from', 'columns', 'unique', 'keys', 'method', 'where', 'include', 'nulls_not_distinct', 'with', 'invalid', 'comment']);
  if (out.keys) out.keys = out.keys.map((k: IndexKey) => pick(k, ['column', 'expression', 'collation', 'opclass', 'order', 'nulls']));
  return out;
}

function orderForeignKey(fk: ForeignKey): ForeignKey {
  return pick(fk, [
    'name',
    'renamed_from',
    'columns',
    'referenced_schema',
    'referenced_table',
    'referenced_columns',
    'on_delete',
    'on_update',
    'match',
    'deferrable',
    'initially_deferred',
    'comment',
  ]);
}
