// A Prisma schema (PostgreSQL datasource) → Lockplane's desired schema: the
// database Prisma Migrate would create for it.
import type { EnumType, Namespace, Schema, Table } from '../../schema/types.js';
import { classifyField, columnName } from './columns.js';
import { buildContext, type Context } from './context.js';
import { modelKeys } from './keys.js';
import { parsePrismaText } from './parse.js';
import { foreignKeyOf, joinTable, relationArgs, type BuiltModel } from './relations.js';

export interface PrismaSource {
  file: string;
  text: string;
}

export function convertPrismaText(text: string, file: string): Schema {
  return convertPrismaFiles([{ file, text }], file);
}

/** A schema spread over several files (Prisma's multi-file schemas); `label` names them as a whole. */
export function convertPrismaFiles(sources: readonly PrismaSource[], label: string): Schema {
  const context = buildContext(sources.map(({ file, text }) => ({ file, ast: parsePrismaText(text, file) })), label);
  const built = buildModels(context);
  const emulated = context.datasource.emulatedRelations;
  if (!emulated) {
    for (const model of built.values()) {
      const keys = model.relations.map((r) => foreignKeyOf(model, r.field, built.get(r.target.node.name)!)).filter((fk) => fk !== undefined);
      if (keys.length) model.table.foreign_keys = keys;
    }
  }
  const joins = joinTables(built).map((t) => (emulated ? withoutForeignKeys(t) : t));
  const types: EnumType[] = [...context.enums.values()].map((e) => ({ schema: e.schema, name: e.dbName, values: [...e.labels.values()] }));
  const schemas: Namespace[] | undefined = context.datasource.schemas?.map((name) => ({ name }));
  const { extensions } = context.datasource;
  return {
    dialect: 'postgres',
    ...(schemas ? { schemas } : {}),
    ...(extensions.length ? { extensions } : {}),
    ...(types.length ? { types } : {}),
    tables: [...[...built.values()].map((m) => m.table), ...joins],
  };
}

function buildModels(context: Context): Map<string, BuiltModel> {
  const built = new Map<string, BuiltModel>();
  const tables = new Map<string, string>();
  for (const info of context.models.values()) {
    const key = `${info.schema}.${info.table}`;
    const clash = tables.get(key);
    if (clash) throw info.site.invalid(`models ${clash} and ${info.node.name} both map to table ${key}`);
    tables.set(key, info.node.name);
    const model: BuiltModel = { info, table: { schema: info.schema, name: info.table, columns: [] }, columns: new Map(), relations: [] };
    for (const field of info.fields) {
      const kind = classifyField(context, info, field);
      if (kind.kind === 'relation') {
        model.relations.push({ field, target: kind.target });
      } else {
        if (model.table.columns.some((c) => c.name === kind.column.name)) throw info.site.at(field).invalid(`two fields of model ${info.node.name} map to column ${kind.column.name}`);
        model.table.columns.push(kind.column);
        model.columns.set(field.name, columnName(info, field));
      }
    }
    const keys = modelKeys(info, model.columns);
    if (keys.primaryKey) model.table.primary_key = keys.primaryKey;
    if (keys.indexes.length) model.table.indexes = keys.indexes;
    built.set(info.node.name, model);
  }
  return built;
}

/** One join table per implicit many-to-many relation (both sides are lists, neither has fields:). */
function joinTables(built: Map<string, BuiltModel>): Table[] {
  const joins = new Map<string, Table>();
  for (const model of built.values()) {
    for (const { field, target } of model.relations) {
      const own = relationArgs(model.info, field);
      if (own.args.get('fields') !== undefined) continue;
      const other = built.get(target.node.name)!;
      const opposite = other.relations.find((r) => r.target === model.info && r.field !== field && relationArgs(other.info, r.field).name === own.name);
      if (!opposite) throw own.site.invalid(`relation field ${field.name} has no opposite relation field on model ${target.node.name}`);
      if (!field.array || !opposite.field.array) continue;
      const [a, b] = [model, other].sort((x, y) => (x.info.node.name < y.info.node.name ? -1 : x.info.node.name > y.info.node.name ? 1 : 0)) as [BuiltModel, BuiltModel];
      const relation = own.name ?? `${a.info.node.name}To${b.info.node.name}`;
      if (!joins.has(relation)) joins.set(relation, joinTable(relation, a, b, own.site));
    }
  }
  return [...joins.values()];
}

function withoutForeignKeys(table: Table): Table {
  const { foreign_keys: _dropped, ...rest } = table;
  return rest;
}
