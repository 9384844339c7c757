// Domains and composite types. Base and attribute types are catalog
// spellings; a domain's checks are pg_get_constraintdef text.
import type { CompositeType, Domain, DomainCheck } from '../../../schema/types.js';
import { DEFAULT_NAMESPACE } from '../../../schema/types.js';
import { quoteIdent, quoteQualified } from '../quote.js';
import { commentStatements } from './comments.js';
import { quoteCatalogName } from './names.js';

const qualified = (o: { schema?: string; name: string }) => ({ schema: o.schema ?? DEFAULT_NAMESPACE, name: o.name });

function checkSql(c: DomainCheck): string {
  const text = c.definition.trim();
  if (!/^CHECK\s*\(/i.test(text)) throw new Error(`domain check ${c.name}: definition must be a CHECK (…) clause`);
  return `CONSTRAINT ${quoteIdent(c.name)} ${text}`;
}

export function createDomainStatements(d: Domain): string[] {
  const name = qualified(d);
  let sql = `CREATE DOMAIN ${quoteQualified(name)} AS ${d.type}`;
  if (d.collation) sql += ` COLLATE ${quoteCatalogName(d.collation)}`;
  if (d.default !== undefined) sql += ` DEFAULT ${d.default}`;
  if (d.not_null) sql += ' NOT NULL';
  for (const c of d.checks ?? []) sql += ` ${checkSql(c)}`;
  return [sql, ...commentStatements({ kind: 'domain', domain: name }, d.comment)];
}

export function dropDomainSql(d: Domain): string {
  return `DROP DOMAIN ${quoteQualified(qualified(d))}`;
}

/** Checks by name: removed ones dropped, new or changed ones added (existing values are checked). */
export function alterDomainStatements(from: Domain, to: Domain): string[] {
  const name = `ALTER DOMAIN ${quoteQualified(qualified(to))}`;
  const out: string[] = [];
  if (from.default !== to.default) out.push(to.default === undefined ? `${name} DROP DEFAULT` : `${name} SET DEFAULT ${to.default}`);
  if (Boolean(from.not_null) !== Boolean(to.not_null)) out.push(`${name} ${to.not_null ? 'SET' : 'DROP'} NOT NULL`);
  const before = new Map((from.checks ?? []).map((c) => [c.name, c.definition]));
  const after = new Map((to.checks ?? []).map((c) => [c.name, c.definition]));
  for (const [n, def] of before) if (after.get(n) !== def) out.push(`${name} DROP CONSTRAINT ${quoteIdent(n)}`);
  for (const c of to.checks ?? []) if (before.get(c.name) !== c.definition) out.push(`${name} ADD ${checkSql(c)}`);
  return out;
}

export function createCompositeStatements(t: CompositeType): string[] {
  const name = qualified(t);
  const attributes = t.attributes.map((a) => `${quoteIdent(a.name)} ${a.type}${a.collation ? ` COLLATE ${quoteCatalogName(a.collation)}` : ''}`);
  return [`CREATE TYPE ${quoteQualified(name)} AS (${attributes.join(', ')})`, ...commentStatements({ kind: 'type', type: name }, t.comment)];
}

export function dropCompositeSql(t: CompositeType): string {
  return `DROP TYPE ${quoteQualified(qualified(t))}`;
}
