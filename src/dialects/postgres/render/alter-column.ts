// One ALTER TABLE statement that turns column `from` into column `to`
// (same name, neither generated): only the sub-commands that are needed, in an
// order Postgres accepts (defaults off before a type change, NOT NULL before
// adding an identity). Postgres runs the sub-commands of one ALTER TABLE in
// its own pass order (a type change before DROP IDENTITY), so dropping and
// adding an identity are statements of their own, before and after.
import type { Column, Identity, QualifiedName } from '../../../schema/types.js';
import { quoteIdent, quoteQualified } from '../quote.js';
import { identityClause } from './column.js';
import { typeReference } from '../type-ref.js';
import { integerLiteral, quoteCatalogName } from './names.js';
import { serialDrop, serialPostlude, serialPrelude } from './sequence.js';

export function typeChanged(from: Column, to: Column): boolean {
  return from.type !== to.type || (from.collation ?? '') !== (to.collation ?? '');
}

export function alterColumnStatements(table: QualifiedName, from: Column, to: Column): string[] {
  const col = `ALTER COLUMN ${quoteIdent(to.name)}`;
  const parts: string[] = [];
  const before: string[] = [];
  const after: string[] = [];
  const alter = `ALTER TABLE ${quoteQualified(table)} `;
  const retype = typeChanged(from, to);
  const defaultChanged = from.default !== to.default;
  if (from.identity && !to.identity) before.push(`${alter}${col} DROP IDENTITY`);
  if (from.default !== undefined && (defaultChanged || retype)) parts.push(`${col} DROP DEFAULT`);
  if (retype) {
    const collate = to.collation ? ` COLLATE ${quoteCatalogName(to.collation)}` : '';
    const using = from.type !== to.type ? ` USING ${usingCast(quoteIdent(to.name), from.type, to.type)}` : '';
    parts.push(`${col} TYPE ${to.type}${collate}${using}`);
  }
  if (to.default !== undefined && (defaultChanged || retype)) parts.push(`${col} SET DEFAULT ${to.default}`);
  if (from.nullable !== to.nullable) parts.push(`${col} ${to.nullable ? 'DROP' : 'SET'} NOT NULL`);
  if (to.identity && !from.identity) after.push(`${alter}${col} ADD ${identityClause(to.identity)}`);
  if (to.identity && from.identity) {
    const options = identityChanges(from.identity, to.identity, to.type);
    if (options.length) after.push(`${alter}${col} ${options.join(' ')}`);
  }
  const serial = defaultChanged || retype;
  return [
    ...before,
    ...(serial && parts.length ? serialPrelude(to) : []),
    ...(parts.length ? [`${alter}${parts.join(', ')}`] : []),
    ...(serial && parts.length && serialSequenceChanged(from, to) ? serialPostlude(table, to) : []),
    ...(serialSequenceChanged(from, to) ? serialDrop(from) : []),
    ...after,
  ];
}

function serialSequenceChanged(from: Column, to: Column): boolean {
  return from.default !== to.default;
}

const TYPE_RANGE: Record<string, readonly [string, string]> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};

/** Effective sequence options of an identity, with Postgres's defaults filled in. */
function effective(identity: Identity, type: string): Required<Omit<Identity, 'generation'>> {
  const range = TYPE_RANGE[type] ?? TYPE_RANGE.bigint!;
  const increment = identity.increment ?? '1';
  const ascending = !increment.startsWith('-');
  const min = identity.min_value ?? (ascending ? '1' : range[0]);
  const max = identity.max_value ?? (ascending ? range[1] : '-1');
  return {
    increment,
    min_value: min,
    max_value: max,
    start: identity.start ?? (ascending ? min : max),
    cache: identity.cache ?? '1',
    cycle: identity.cycle ?? false,
  };
}

/** `SET GENERATED …`, `SET INCREMENT BY …`, …: changes the sequence in place, keeping its position. */
function identityChanges(from: Identity, to: Identity, type: string): string[] {
  const a = effective(from, type);
  const b = effective(to, type);
  const out: string[] = [];
  if (from.generation !== to.generation) out.push(`SET GENERATED ${to.generation}`);
  if (a.increment !== b.increment) out.push(`SET INCREMENT BY ${integerLiteral(b.increment, 'identity increment')}`);
  if (a.min_value !== b.min_value) {
    out.push(to.min_value === undefined ? 'SET NO MINVALUE' : `SET MINVALUE ${integerLiteral(b.min_value, 'identity minvalue')}`);
  }
  if (a.max_value !== b.max_value) {
    out.push(to.max_value === undefined ? 'SET NO MAXVALUE' : `SET MAXVALUE ${integerLiteral(b.max_value, 'identity maxvalue')}`);
  }
  if (a.start !== b.start) out.push(`SET START WITH ${integerLiteral(b.start, 'identity start')}`);
  if (a.cache !== b.cache) out.push(`SET CACHE ${integerLiteral(b.cache, 'identity cache')}`);
  if (a.cycle !== b.cycle) out.push(b.cycle ? 'SET CYCLE' : 'SET NO CYCLE');
  return out;
}

const LENGTH_LIMITED_STRING = /^(character varying|varchar|character|char|bpchar)\s*\(\s*\d+\s*\)(\[\])*$/i;
const LENGTH_LIMITED_BIT = /^(bit varying|varbit|bit)\s*\(\s*\d+\s*\)(\[\])*$/i;
const BIT = /^(bit varying|varbit|bit)\b/i;

/**
 * The value a column of type `from` takes as `to`. Between two user types
 * (enums) there is no cast: through text (text[] for arrays). An explicit
 * cast to varchar(n), char(n) or bit(n) silently cuts what is too long; with
 * no cast, Postgres applies the assignment cast, which raises instead — so a
 * value is never cut short by a plan.
 */
export function usingCast(column: string, from: string, to: string): string {
  if (typeReference(from) && typeReference(to)) return `${column}::${to.endsWith('[]') ? 'text[]' : 'text'}::${to}`;
  const target = to.trim();
  if (LENGTH_LIMITED_STRING.test(target) || (LENGTH_LIMITED_BIT.test(target) && BIT.test(from.trim()))) return column;
  return `${column}::${to}`;
}
