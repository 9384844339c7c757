// @id / @@id, @unique / @@unique and @@index → the primary key and indexes,
// named as Prisma names them unless `map:` says otherwise.
import type { Index, IndexKey, PrimaryKey } from '../../schema/types.js';
import { Args, attributeLabel, isFunc, listItems, requireString, stringLiteral, type BlockAttribute, type Site, type Value } from './ast.js';
import type { ModelInfo } from './context.js';
import { indexName, primaryKeyName, uniqueIndexName } from './names.js';

/** Scalar field name → column name, for one model. */
export type ColumnNames = ReadonlyMap<string, string>;

export interface Keys {
  primaryKey?: PrimaryKey;
  indexes: Index[];
}

const BLOCK_ATTRIBUTES = new Set(['id', 'unique', 'index', 'map', 'schema', 'ignore']);

const INDEX_METHODS: Record<string, string> = { BTree: 'btree', Hash: 'hash', Gist: 'gist', Gin: 'gin', SpGist: 'spgist', Brin: 'brin' };

export function modelKeys(model: ModelInfo, columns: ColumnNames): Keys {
  const keys: Keys = { indexes: [] };
  const setPrimaryKey = (site: Site, primaryKey: PrimaryKey) => {
    if (keys.primaryKey) throw site.invalid(`model ${model.node.name} has more than one @id / @@id`);
    keys.primaryKey = primaryKey;
  };
  for (const field of model.fields) {
    for (const attribute of field.attributes ?? []) {
      if (attribute.group || (attribute.name !== 'id' && attribute.name !== 'unique')) continue;
      const site = model.site.at(attribute);
      const column = columns.get(field.name);
      if (column === undefined) throw site.invalid(`${attributeLabel(attribute)} on relation field ${field.name}`);
      const args = new Args(attribute.args);
      args.only(site, attributeLabel(attribute), attribute.name === 'id' ? ['map'] : ['map', 'sort'], 0);
      const map = optionalString(site, args.get('map'), 'map:');
      if (attribute.name === 'id') {
        setPrimaryKey(site, { name: map ?? primaryKeyName(model.table), columns: [column] });
      } else {
        const key = withOptions(site, { column }, args, ['map']);
        keys.indexes.push(index(map ?? uniqueIndexName(model.table, [column]), [key], true));
      }
    }
  }
  for (const attribute of model.blockAttributes) {
    const site = model.site.at(attribute);
    if (attribute.name === 'fulltext') throw site.unsupported('@@fulltext', 'full-text indexes are a MySQL and MongoDB feature in Prisma');
    if (attribute.group || !BLOCK_ATTRIBUTES.has(attribute.name)) throw site.unsupported(attributeLabel(attribute));
    if (attribute.name === 'id') {
      const { args, keyList } = blockKeys(site, attribute, columns, ['fields', 'name', 'map']);
      const map = optionalString(site, args.get('map'), 'map:');
      setPrimaryKey(site, { name: map ?? primaryKeyName(model.table), columns: keyList.map((k) => k.column!) });
    } else if (attribute.name === 'unique' || attribute.name === 'index') {
      const unique = attribute.name === 'unique';
      const { args, keyList } = blockKeys(site, attribute, columns, unique ? ['fields', 'name', 'map'] : ['fields', 'map', 'type']);
      const names = keyList.map((k) => k.column!);
      const map = optionalString(site, args.get('map'), 'map:');
      const name = map ?? (unique ? uniqueIndexName(model.table, names) : indexName(model.table, names));
      const built = index(name, keyList, unique);
      const type = args.get('type');
      if (type !== undefined) {
        const method = typeof type === 'string' ? INDEX_METHODS[type] : undefined;
        if (!method) throw site.invalid(`@@index type: ${String(type)} is not one of ${Object.keys(INDEX_METHODS).join(', ')}`);
        if (method !== 'btree') built.method = method;
      }
      keys.indexes.push(built);
    }
  }
  return keys;
}

function optionalString(site: Site, value: Value | undefined, what: string): string | undefined {
  return value === undefined ? undefined : requireString(site, value, what);
}

function index(name: string, keyList: IndexKey[], unique: boolean): Index {
  const built: Index = { name, columns: keyList.map((k) => k.column!), unique };
  if (keyList.some((k) => k.order || k.opclass)) built.keys = keyList;
  return built;
}

/** The key list of @@id / @@unique / @@index: `[a, b(sort: Desc)]`, positional or as `fields:`. */
function blockKeys(site: Site, attribute: BlockAttribute, columns: ColumnNames, allowed: string[]): { args: Args; keyList: IndexKey[] } {
  const label = attributeLabel(attribute);
  const args = new Args(attribute.args);
  args.only(site, label, allowed, 1);
  const items = listItems(site, args.get('fields', 0), `${label} fields`);
  if (items.length === 0) throw site.invalid(`${label} names no fields`);
  const keyList = items.map((item) => {
    const fieldName = isFunc(item) ? item.name : item;
    const column = columns.get(fieldName);
    if (column === undefined) throw site.invalid(`${label}: ${fieldName} is not a scalar field of this model`);
    return isFunc(item) ? withOptions(site, { column }, new Args(item.params)) : { column };
  });
  return { args, keyList };
}

/** `sort: Desc` and `ops: raw("…")` of one key. */
function withOptions(site: Site, key: IndexKey, args: Args, alsoAllowed: readonly string[] = []): IndexKey {
  for (const name of args.named.keys()) {
    if (alsoAllowed.includes(name)) continue;
    if (name === 'length') throw site.unsupported('length: on an index key', 'a MySQL feature');
    if (name !== 'sort' && name !== 'ops') throw site.unsupported(`the ${name}: argument of an index key`);
  }
  const sort = args.get('sort');
  if (sort !== undefined && sort !== 'Asc' && sort !== 'Desc') throw site.invalid(`sort: must be Asc or Desc`);
  if (sort === 'Desc') key.order = 'DESC';
  const ops = args.get('ops');
  if (ops !== undefined) {
    const raw = isFunc(ops) && ops.name === 'raw' ? stringLiteral(new Args(ops.params).positional[0]) : undefined;
    if (raw === undefined) throw site.unsupported(`ops: ${isFunc(ops) ? `${ops.name}(…)` : String(ops)}`, 'write the operator class as ops: raw("name")');
    key.opclass = raw;
  }
  return key;
}
