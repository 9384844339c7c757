// Rename intent travels beside a desired schema, not through Postgres: a
// source is normalized in a scratch database (which knows nothing of old
// names), then each intent is attached again, by name, as `renamed_from`.
import { InputError } from '../errors.js';
import type { QualifiedName, Schema, Table, View } from './types.js';
import { qualifiedKey, tableKey, tableSchema } from './types.js';

export type RenameTarget =
  | { kind: 'table' }
  | { kind: 'column'; name: string }
  | { kind: 'index'; name: string }
  | { kind: 'constraint'; name: string }
  | { kind: 'primary_key' };

export interface RenameIntent {
  /** The table (by its new name) the object belongs to, or the renamed table itself. */
  table: QualifiedName;
  target: RenameTarget;
  /** The old name. */
  from: string;
  /** Where the intent was written, for errors: `file:line` or a JSON pointer. */
  at: string;
}

/** The intents of a JSON model (`renamed_from` on its tables and their members). */
export function renameIntents(model: Schema, label: string): RenameIntent[] {
  const out: RenameIntent[] = [];
  model.tables.forEach((t, i) => {
    const table: QualifiedName = { schema: tableSchema(t), name: t.name };
    const at = `${label}: /tables/${i}`;
    const add = (target: RenameTarget, from: string | undefined, path: string): void => {
      if (from !== undefined) out.push({ table, target, from, at: `${at}${path}` });
    };
    add({ kind: 'table' }, t.renamed_from, '');
    t.columns.forEach((c, j) => add({ kind: 'column', name: c.name }, c.renamed_from, `/columns/${j}`));
    (t.indexes ?? []).forEach((x, j) => add({ kind: 'index', name: x.name }, x.renamed_from, `/indexes/${j}`));
    if (t.primary_key) add({ kind: 'primary_key' }, t.primary_key.renamed_from, '/primary_key');
    for (const list of ['unique_constraints', 'check_constraints', 'foreign_keys'] as const) {
      (t[list] ?? []).forEach((x, j) => add({ kind: 'constraint', name: x.name }, x.renamed_from, `/${list}/${j}`));
    }
  });
  (model.views ?? []).forEach((v, i) => {
    const table: QualifiedName = { schema: tableSchema(v), name: v.name };
    (v.indexes ?? []).forEach((x, j) => {
      if (x.renamed_from !== undefined) out.push({ table, target: { kind: 'index', name: x.name }, from: x.renamed_from, at: `${label}: /views/${i}/indexes/${j}` });
    });
  });
  return out;
}

function show(q: QualifiedName): string {
  return qualifiedKey(q);
}

/** The object an intent names, in a normalized schema; undefined when it is not there. */
function holder(t: Table | View, target: RenameTarget): { renamed_from?: string } | undefined {
  if ('definition' in t) return target.kind === 'index' ? (t.indexes ?? []).find((x) => x.name === target.name) : undefined;
  switch (target.kind) {
    case 'table':
      return t;
    case 'column':
      return t.columns.find((c) => c.name === target.name);
    case 'index':
      return (t.indexes ?? []).find((x) => x.name === target.name);
    case 'primary_key':
      return t.primary_key;
    case 'constraint':
      return [...(t.unique_constraints ?? []), ...(t.check_constraints ?? []), ...(t.foreign_keys ?? [])].find((x) => x.name === target.name) ??
        (t.primary_key?.name === target.name ? t.primary_key : undefined);
  }
}

function describe(table: QualifiedName, target: RenameTarget): string {
  if (target.kind === 'table') return `table ${show(table)}`;
  if (target.kind === 'primary_key') return `the primary key of ${show(table)}`;
  return `${target.kind} ${target.name} of ${show(table)}`;
}

/** The schema with each intent set as `renamed_from`. Throws InputError naming where an intent names nothing. */
export function attachRenames(schema: Schema, intents: readonly RenameIntent[]): Schema {
  if (!intents.length) return schema;
  const out = structuredClone(schema);
  const tables = new Map<string, Table | View>([...(out.views ?? []).map((v) => [tableKey(v), v] as const), ...out.tables.map((t) => [tableKey(t), t] as const)]);
  for (const intent of intents) {
    const t = tables.get(qualifiedKey(intent.table));
    const target = t && holder(t, intent.target);
    if (!target) throw new InputError(`${intent.at}: renamed from ${intent.from}: the schema has no ${describe(intent.table, intent.target)}`);
    if (target.renamed_from !== undefined && target.renamed_from !== intent.from) {
      throw new InputError(`${intent.at}: ${describe(intent.table, intent.target)} is renamed from both ${target.renamed_from} and ${intent.from}`);
    }
    target.renamed_from = intent.from;
  }
  return out;
}
