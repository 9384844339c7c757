// Fields → columns: type, nullability, default, and what kind of field it is.
import type { Field } from '@mrleebo/prisma-ast';
import { quoteQualified } from '../../dialects/postgres/quote.js';
import type { Column } from '../../schema/types.js';
import { Args, attributeLabel, isFunc, requireString, type Site } from './ast.js';
import type { Context, ModelInfo } from './context.js';
import { columnDefault } from './defaults.js';
import { nativeType, SCALAR_TYPES, serialType } from './types.js';

export type FieldKind = { kind: 'column'; column: Column } | { kind: 'relation'; target: ModelInfo };

const FIELD_ATTRIBUTES = new Set(['id', 'unique', 'default', 'map', 'updatedAt', 'relation', 'ignore']);

/** The database name of a scalar field (@map). */
export function columnName(model: ModelInfo, field: Field): string {
  const mapped = field.attributes?.find((a) => a.name === 'map' && !a.group);
  return mapped ? requireString(model.site.at(mapped), new Args(mapped.args).get('name', 0), '@map') : field.name;
}

export function classifyField(context: Context, model: ModelInfo, field: Field): FieldKind {
  const site = model.site.at(field);
  for (const attribute of field.attributes ?? []) {
    if (attribute.group === context.datasource.name) continue;
    if (attribute.group || !FIELD_ATTRIBUTES.has(attribute.name)) throw site.at(attribute).unsupported(attributeLabel(attribute));
  }
  const typeName = typeof field.fieldType === 'string' ? field.fieldType : undefined;
  const target = typeName ? context.models.get(typeName) : undefined;
  if (target) return { kind: 'relation', target };
  return { kind: 'column', column: scalarColumn(context, model, field, site) };
}

function scalarColumn(context: Context, model: ModelInfo, field: Field, site: Site): Column {
  const { scalar, base, enumLabels } = baseType(context, field, site);
  const natives = (field.attributes ?? []).filter((a) => a.group === context.datasource.name);
  if (natives.length > 1) throw site.at(natives[1]).invalid('more than one @db.* type on a field');
  if (natives.length && (scalar === 'enum' || scalar === 'Unsupported')) throw site.at(natives[0]).invalid(`${attributeLabel(natives[0]!)} cannot be used on this field`);
  let type = natives.length ? nativeType(site.at(natives[0]), scalar, natives[0]!) : base;
  const list = field.array === true;
  if (list) type = `${type}[]`;
  const column: Column = { name: columnName(model, field), type, nullable: list || field.optional === true };
  const defaultAttribute = field.attributes?.find((a) => a.name === 'default' && !a.group);
  if (defaultAttribute) {
    const value = columnDefault(site.at(defaultAttribute), defaultAttribute, { scalar, type, list, ...(enumLabels ? { enumLabels } : {}) });
    if (value.kind === 'autoincrement') {
      const serial = list ? undefined : serialType(type);
      if (!serial) throw site.at(defaultAttribute).invalid('autoincrement() needs an Int or BigInt field');
      column.type = serial;
    } else if (value.kind === 'expression') {
      column.default = value.sql;
    }
  }
  return column;
}

function baseType(context: Context, field: Field, site: Site): { scalar: string; base: string; enumLabels?: Map<string, string> } {
  const fieldType = field.fieldType;
  if (isFunc(fieldType)) {
    if (fieldType.name !== 'Unsupported') throw site.invalid(`unknown field type ${fieldType.name}(…)`);
    return { scalar: 'Unsupported', base: requireString(site, new Args(fieldType.params).get('type', 0), 'Unsupported(…)') };
  }
  const scalar = SCALAR_TYPES[fieldType];
  if (scalar) return { scalar: fieldType, base: scalar };
  const enumInfo = context.enums.get(fieldType);
  if (enumInfo) return { scalar: 'enum', base: quoteQualified({ schema: enumInfo.schema, name: enumInfo.dbName }), enumLabels: enumInfo.labels };
  throw site.invalid(`field ${field.name}: unknown type ${fieldType}`);
}
