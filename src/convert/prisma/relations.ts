// Relations → foreign keys (with Prisma's default referential actions), and
// implicit many-to-many relations → their join tables (`_AToB`).
import type { Field } from '@mrleebo/prisma-ast';
import type { FkAction, ForeignKey, Table } from '../../schema/types.js';
import { Args, listItems, requireString, stringLiteral, type Site, type Value } from './ast.js';
import type { ModelInfo } from './context.js';
import { foreignKeyName } from './names.js';

const ACTIONS: Record<string, FkAction> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

/** A converted model: its table and what relations need from it. */
export interface BuiltModel {
  info: ModelInfo;
  table: Table;
  /** Scalar field name → column name. */
  columns: Map<string, string>;
  /** Relation fields and the model each points to. */
  relations: { field: Field; target: ModelInfo }[];
}

interface RelationArgs {
  site: Site;
  args: Args;
  /** The relation's name (`@relation("name")`), if any. */
  name?: string;
}

export function relationArgs(model: ModelInfo, field: Field): RelationArgs {
  const attribute = field.attributes?.find((a) => a.name === 'relation' && !a.group);
  const site = model.site.at(attribute ?? field);
  const args = new Args(attribute?.args);
  args.only(site, '@relation', ['name', 'fields', 'references', 'onDelete', 'onUpdate', 'map'], 1);
  const name = args.get('name', 0);
  return { site, args, ...(name !== undefined ? { name: requireString(site, name, '@relation name') } : {}) };
}

/** The foreign key a relation field with `fields:` and `references:` declares. */
export function foreignKeyOf(built: BuiltModel, field: Field, target: BuiltModel): ForeignKey | undefined {
  const { site, args } = relationArgs(built.info, field);
  const fields = args.get('fields');
  const references = args.get('references');
  if (fields === undefined && references === undefined) return undefined;
  if (fields === undefined || references === undefined) throw site.invalid(`@relation on ${field.name} needs both fields: and references:`);
  const columns = columnsOf(site, built, fields, 'fields:');
  const referenced = columnsOf(site, target, references, 'references:');
  if (columns.length !== referenced.length) throw site.invalid(`@relation on ${field.name}: fields: and references: differ in length`);
  const map = args.get('map');
  return {
    name: map === undefined ? foreignKeyName(built.info.table, columns) : requireString(site, map, 'map:'),
    columns,
    ...(target.info.schema !== built.info.schema ? { referenced_schema: target.info.schema } : {}),
    referenced_table: target.info.table,
    referenced_columns: referenced,
    on_delete: action(site, args.get('onDelete'), field.optional === true ? 'SET NULL' : 'RESTRICT'),
    on_update: action(site, args.get('onUpdate'), 'CASCADE'),
  };
}

function columnsOf(site: Site, model: BuiltModel, value: Value, what: string): string[] {
  return listItems(site, value, what).map((item) => {
    const column = typeof item === 'string' ? model.columns.get(item) : undefined;
    if (column === undefined) throw site.invalid(`${what} ${typeof item === 'string' ? item : item.name} is not a scalar field of model ${model.info.node.name}`);
    return column;
  });
}

function action(site: Site, value: Value | undefined, fallback: FkAction): FkAction {
  if (value === undefined) return fallback;
  const found = typeof value === 'string' ? ACTIONS[value] : undefined;
  if (!found) throw site.invalid(`referential action ${String(stringLiteral(value) ?? value)} is not one of ${Object.keys(ACTIONS).join(', ')}`);
  return found;
}

/**
 * The join table of an implicit many-to-many relation, as Prisma Migrate
 * creates it: `_{relation}` with columns A and B (A points to the model whose
 * name sorts first), primary key (A, B), an index on B, and cascading foreign keys.
 */
export function joinTable(relation: string, a: BuiltModel, b: BuiltModel, site: Site): Table {
  const name = `_${relation}`;
  const column = (model: BuiltModel, letter: string) => {
    const id = singleId(model, site);
    return { name: letter, type: unserial(model.table.columns.find((c) => c.name === id)!.type), nullable: false };
  };
  const fk = (letter: string, model: BuiltModel): ForeignKey => ({
    name: `${name}_${letter}_fkey`,
    columns: [letter],
    ...(model.info.schema !== a.info.schema ? { referenced_schema: model.info.schema } : {}),
    referenced_table: model.info.table,
    referenced_columns: [singleId(model, site)],
    on_delete: 'CASCADE',
    on_update: 'CASCADE',
  });
  return {
    schema: a.info.schema,
    name,
    columns: [column(a, 'A'), column(b, 'B')],
    primary_key: { name: `${name}_AB_pkey`, columns: ['A', 'B'] },
    indexes: [{ name: `${name}_B_index`, columns: ['B'], unique: false }],
    foreign_keys: [fk('A', a), fk('B', b)],
  };
}

function singleId(model: BuiltModel, site: Site): string {
  const key = model.table.primary_key;
  if (!key || key.columns.length !== 1) throw site.unsupported(`an implicit many-to-many relation with model ${model.info.node.name}, which has no single-field @id`);
  return key.columns[0]!;
}

function unserial(type: string): string {
  return { serial: 'integer', bigserial: 'bigint', smallserial: 'smallint' }[type] ?? type;
}
