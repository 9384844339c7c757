// Enum types: CREATE TYPE … AS ENUM, DROP TYPE, ALTER TYPE … ADD VALUE, and
// the recreate that removes or reorders labels (rename the old type away,
// create the new one, convert every column using it, drop the old type).
import { TYPE_DEFAULT_GRANTS } from '../../../schema/canonical.js';
import type { EnumType, Grant, QualifiedName } from '../../../schema/types.js';
import { DEFAULT_NAMESPACE } from '../../../schema/types.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../quote.js';
import { commentStatements } from './comments.js';
import { grantStatements } from './grants.js';

export function enumName(t: Pick<EnumType, 'schema' | 'name'>): QualifiedName {
  return { schema: t.schema ?? DEFAULT_NAMESPACE, name: t.name };
}

export function createEnumStatements(t: EnumType): string[] {
  const q = enumName(t);
  return [
    `CREATE TYPE ${quoteQualified(q)} AS ENUM (${t.values.map(quoteLiteral).join(', ')})`,
    ...commentStatements({ kind: 'type', type: q }, t.comment),
  ];
}

export function dropEnumSql(t: EnumType): string {
  return `DROP TYPE ${quoteQualified(enumName(t))}`;
}

/** `to` keeps `from`'s labels in order and adds some: each new label placed next to one that exists already. */
export function isAddition(from: readonly string[], to: readonly string[]): boolean {
  let i = 0;
  for (const v of to) if (i < from.length && v === from[i]) i++;
  return i === from.length && to.length > from.length && new Set(to).size === to.length;
}

export function addEnumValueStatements(from: EnumType, to: EnumType): string[] {
  const q = quoteQualified(enumName(to));
  const present = new Set(from.values);
  const out: string[] = [];
  to.values.forEach((label, i) => {
    if (present.has(label)) return;
    const before = to.values.slice(0, i).reverse().find((v) => present.has(v));
    const after = to.values.slice(i + 1).find((v) => present.has(v));
    let position = '';
    if (before !== undefined) position = ` AFTER ${quoteLiteral(before)}`;
    else if (after !== undefined) position = ` BEFORE ${quoteLiteral(after)}`;
    out.push(`ALTER TYPE ${q} ADD VALUE ${quoteLiteral(label)}${position}`);
    present.add(label);
  });
  return out;
}

export interface EnumColumnSql {
  table: QualifiedName;
  column: string;
  type: string;
  from_default?: string;
  to_default?: string;
}

/** A free name for the old type while the new one is built: `<name>__lp_old`, cut to 63 bytes. */
export function retiredName(name: string): string {
  const suffix = '__lp_old';
  let base = name;
  while (Buffer.byteLength(base + suffix) > 63) base = base.slice(0, -1);
  return base + suffix;
}

export function recreateEnumStatements(from: EnumType, to: EnumType, columns: readonly EnumColumnSql[]): string[] {
  const q = enumName(to);
  const old = { schema: q.schema, name: retiredName(q.name) };
  return [
    `ALTER TYPE ${quoteQualified(q)} RENAME TO ${quoteIdent(old.name)}`,
    ...createEnumStatements(to),
    ...recreatedTypeGrants(q, to),
    ...convertColumnStatements(columns),
    `DROP TYPE ${quoteQualified(old)}`,
  ];
}

/** A recreated type starts with the default privileges (USAGE for everyone): from there to its own. */
export function recreatedTypeGrants(q: QualifiedName, t: { grants?: Grant[] }): string[] {
  return grantStatements({ kind: 'type', type: q }, [...TYPE_DEFAULT_GRANTS], t.grants ?? [...TYPE_DEFAULT_GRANTS]);
}

/** Columns moved to a recreated type through text; their defaults dropped before and set after. */
export function convertColumnStatements(columns: readonly EnumColumnSql[]): string[] {
  const out: string[] = [];
  for (const c of columns) {
    const alter = `ALTER TABLE ${quoteQualified(c.table)} ALTER COLUMN ${quoteIdent(c.column)}`;
    if (c.from_default !== undefined) out.push(`${alter} DROP DEFAULT`);
    const via = c.type.endsWith('[]') ? 'text[]' : 'text';
    out.push(`${alter} TYPE ${c.type} USING ${quoteIdent(c.column)}::${via}::${c.type}`);
    if (c.to_default !== undefined) out.push(`${alter} SET DEFAULT ${c.to_default}`);
  }
  return out;
}
