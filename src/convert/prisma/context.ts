// What the converter knows about the schema as a whole before it builds
// tables: the datasource's settings, enums and models with their database names.
import type { Datasource, Enum, Field, Model, Schema as PrismaAst } from '@mrleebo/prisma-ast';
import type { Extension } from '../../schema/types.js';
import { Args, attributeLabel, isArray, isFunc, requireString, Site, stringLiteral, type BlockAttribute, type Value } from './ast.js';

export const DEFAULT_SCHEMA = 'public';

export interface DatasourceInfo {
  /** The block's name: native type attributes are spelled `@NAME.VarChar(…)` (usually `@db.…`). */
  name: string;
  /** The datasource `schemas` list (multiSchema), when given. */
  schemas?: string[];
  /** `relationMode = "prisma"`: Prisma emulates relations, the database has no foreign keys. */
  emulatedRelations: boolean;
  extensions: Extension[];
}

export interface EnumInfo {
  schema: string;
  /** The type's name in the database (@@map). */
  dbName: string;
  /** Prisma value name → database label (@map). */
  labels: Map<string, string>;
}

export interface ModelInfo {
  node: Model;
  site: Site;
  schema: string;
  /** The table's name in the database (@@map). */
  table: string;
  fields: Field[];
  blockAttributes: BlockAttribute[];
}

export interface Context {
  datasource: DatasourceInfo;
  enums: Map<string, EnumInfo>;
  models: Map<string, ModelInfo>;
}

export function blockAttributesOf(items: readonly unknown[]): BlockAttribute[] {
  return items.filter((p): p is BlockAttribute => (p as { type?: unknown }).type === 'attribute');
}

/** The single string argument of a block attribute such as @@map("x") or @@schema("x"). */
function blockName(site: Site, attributes: BlockAttribute[], name: string): string | undefined {
  const found = attributes.filter((a) => a.name === name && !a.group);
  if (found.length === 0) return undefined;
  const attribute = found[0]!;
  const at = site.at(attribute);
  if (found.length > 1) throw at.invalid(`@@${name} is given twice`);
  const args = new Args(attribute.args);
  args.only(at, `@@${name}`, ['name'], 1);
  return requireString(at, args.get('name', 0), `@@${name}`);
}

/** @@schema of a model or enum, checked against the datasource's `schemas` list. */
function schemaOf(site: Site, attributes: BlockAttribute[], datasource: DatasourceInfo, what: string): string {
  const declared = blockName(site, attributes, 'schema');
  if (declared === undefined) {
    if (datasource.schemas) throw site.invalid(`${what} has no @@schema attribute, which the datasource's schemas list requires`);
    return DEFAULT_SCHEMA;
  }
  if (!datasource.schemas) throw site.invalid(`${what}: @@schema needs the schemas list in the datasource block`);
  if (!datasource.schemas.includes(declared)) throw site.invalid(`${what}: schema "${declared}" is not in the datasource's schemas list`);
  return declared;
}

/** A parsed schema file. Prisma's multi-file schemas (a folder of .prisma files) are several. */
export interface ParsedFile {
  file: string;
  ast: PrismaAst;
}

/** `label` names the schema as a whole (the file or folder given) in problems no block has a line for. */
export function buildContext(files: readonly ParsedFile[], label: string): Context {
  const blocks = files.flatMap(({ file, ast }) => ast.list.map((block) => ({ block, site: Site.of(file, block) })));
  for (const { block, site } of blocks) {
    if (block.type === 'view') throw site.unsupported(`view ${block.name}`, 'Prisma views are a preview feature; declare views in SQL');
    if (block.type === 'type') throw site.unsupported(`composite type ${block.name}`, 'composite types exist only for MongoDB in Prisma');
  }
  const seen = new Set<string>();
  for (const { block, site } of blocks) {
    if (block.type !== 'model' && block.type !== 'enum') continue;
    if (seen.has(block.name)) throw site.invalid(`${block.name} is defined twice`);
    seen.add(block.name);
  }
  const datasources = blocks.filter((b): b is { block: Datasource; site: Site } => b.block.type === 'datasource');
  if (datasources.length === 0) throw new Site(label, undefined).invalid('no datasource block (lockplane convert needs provider = "postgresql")');
  if (datasources.length > 1) throw datasources[1]!.site.invalid('more than one datasource block');
  const datasource = readDatasource(datasources[0]!.block, datasources[0]!.site);

  const enums = new Map<string, EnumInfo>();
  for (const { block: node, site } of blocks.filter((b): b is { block: Enum; site: Site } => b.block.type === 'enum')) {
    const attributes = blockAttributesOf(node.enumerators ?? []);
    for (const attribute of attributes) {
      if (attribute.name !== 'map' && attribute.name !== 'schema') throw site.at(attribute).unsupported(`${attributeLabel(attribute)} on an enum`);
    }
    const labels = new Map<string, string>();
    for (const item of node.enumerators ?? []) {
      if (item.type !== 'enumerator') continue;
      const mapped = item.attributes?.find((a) => a.name === 'map');
      for (const a of item.attributes ?? []) if (a.name !== 'map') throw site.at(item).unsupported(`${attributeLabel(a)} on an enum value`);
      labels.set(item.name, mapped ? requireString(site.at(item), new Args(mapped.args).get('name', 0), '@map') : item.name);
    }
    if (labels.size === 0) throw site.invalid(`enum ${node.name} has no values`);
    enums.set(node.name, {
      schema: schemaOf(site, attributes, datasource, `enum ${node.name}`),
      dbName: blockName(site, attributes, 'map') ?? node.name,
      labels,
    });
  }

  const models = new Map<string, ModelInfo>();
  for (const { block: node, site } of blocks.filter((b): b is { block: Model; site: Site } => b.block.type === 'model')) {
    const blockAttributes = blockAttributesOf(node.properties ?? []);
    models.set(node.name, {
      node,
      site,
      schema: schemaOf(site, blockAttributes, datasource, `model ${node.name}`),
      table: blockName(site, blockAttributes, 'map') ?? node.name,
      fields: (node.properties ?? []).filter((p): p is Field => (p as { type?: unknown }).type === 'field'),
      blockAttributes,
    });
  }
  return { datasource, enums, models };
}

function readDatasource(node: Datasource, site: Site): DatasourceInfo {
  const settings = new Map<string, { value: Value; site: Site }>();
  for (const item of node.assignments ?? []) {
    if (item.type === 'assignment') settings.set(item.key, { value: item.value, site: site.at(item) });
  }
  const provider = settings.get('provider');
  const providerName = provider ? stringLiteral(provider.value) : undefined;
  if (providerName === undefined) throw site.invalid('the datasource has no provider');
  if (providerName !== 'postgresql' && providerName !== 'postgres') {
    throw provider!.site.unsupported(`provider "${providerName}"`, 'only PostgreSQL schemas can be converted');
  }
  const schemas = settings.get('schemas');
  const relationMode = settings.get('relationMode') ?? settings.get('referentialIntegrity');
  const extensions = settings.get('extensions');
  return {
    name: node.name,
    ...(schemas ? { schemas: stringList(schemas.site, schemas.value, 'schemas') } : {}),
    emulatedRelations: relationMode !== undefined && stringLiteral(relationMode.value) === 'prisma',
    extensions: extensions ? readExtensions(extensions.site, extensions.value) : [],
  };
}

function stringList(site: Site, value: Value, what: string): string[] {
  if (!isArray(value)) throw site.invalid(`${what} must be a list of strings`);
  return ((value.args ?? []) as Value[]).map((item) => requireString(site, item, what));
}

/** `extensions = [citext, pgcrypto(schema: "crypto", version: "1.3", map: "pgcrypto")]` (postgresqlExtensions). */
function readExtensions(site: Site, value: Value): Extension[] {
  if (!isArray(value)) throw site.invalid('extensions must be a list');
  return ((value.args ?? []) as Value[]).map((item) => {
    if (typeof item === 'string' && !item.startsWith('"')) return { name: item };
    if (!isFunc(item)) throw site.invalid('extensions must list extension names');
    const args = new Args(item.params);
    args.only(site, `extension ${item.name}`, ['map', 'schema', 'version'], 0);
    const text = (key: string) => {
      const v = args.get(key);
      return v === undefined ? undefined : requireString(site, v, `${key}:`);
    };
    const schema = text('schema');
    const version = text('version');
    return { name: text('map') ?? item.name, ...(schema ? { schema } : {}), ...(version ? { version } : {}) };
  });
}
