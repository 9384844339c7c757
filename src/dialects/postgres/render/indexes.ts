// CREATE INDEX / DROP INDEX. Expressions and predicates are catalog text, inserted verbatim.
import { indexKeys } from '../../../schema/canonical.js';
import type { Index, IndexKey, QualifiedName } from '../../../schema/types.js';
import { quoteIdent, quoteQualified } from '../quote.js';
import { commentStatements } from './comments.js';
import { quoteCatalogName, quoteList, quoteOpclass } from './names.js';

function keySql(key: IndexKey): string {
  let out = key.column !== undefined ? quoteIdent(key.column) : `(${key.expression ?? ''})`;
  if (key.collation) out += ` COLLATE ${quoteCatalogName(key.collation)}`;
  if (key.opclass) out += ` ${quoteOpclass(key.opclass)}`;
  if (key.order === 'DESC') out += ' DESC';
  if (key.nulls) out += ` NULLS ${key.nulls}`;
  return out;
}

/** `concurrently`: built without blocking writes (outside a transaction block). */
export function createIndexSql(table: QualifiedName, index: Index, concurrently = false): string {
  let out = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${quoteIdent(index.name)} ON ${quoteQualified(table)}`;
  if (index.method && index.method !== 'btree') out += ` USING ${quoteIdent(index.method)}`;
  out += ` (${indexKeys(index).map(keySql).join(', ')})`;
  if (index.include?.length) out += ` INCLUDE (${quoteList(index.include)})`;
  if (index.nulls_not_distinct) out += ' NULLS NOT DISTINCT';
  if (index.with?.length) out += ` WITH (${index.with.join(', ')})`;
  if (index.where) out += ` WHERE ${index.where}`;
  return out;
}

/** Indexes live in their table's namespace. */
export function dropIndexSql(table: QualifiedName, index: Pick<Index, 'name'>, concurrently = false): string {
  return `DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${quoteQualified({ schema: table.schema, name: index.name })}`;
}

/** CREATE INDEX, then its comment. */
export function createIndexStatements(table: QualifiedName, index: Index, concurrently = false): string[] {
  return [createIndexSql(table, index, concurrently), ...commentStatements({ kind: 'index', table, name: index.name }, index.comment)];
}
