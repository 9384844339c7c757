// Range types: CREATE TYPE … AS RANGE with every option the IR holds, and the
// recreate of a changed one. A recreate renames the old range, its multirange
// and the constructor functions of both away (Postgres would refuse new ones
// of the same names), creates the new type, converts the columns through
// text, and drops the old type (which takes its multirange and constructors).
import { multirangeName, rangeName } from '../../../schema/ranges.js';
import type { RangeType } from '../../../schema/types.js';
import { quoteIdent, quoteQualified } from '../quote.js';
import { commentStatements } from './comments.js';
import { convertColumnStatements, recreatedTypeGrants, retiredName, type EnumColumnSql } from './enums.js';
import { quoteCatalogName, quoteOpclass } from './names.js';

export function createRangeStatements(r: RangeType): string[] {
  const q = rangeName(r);
  const options = [`SUBTYPE = ${r.subtype}`];
  if (r.subtype_opclass) options.push(`SUBTYPE_OPCLASS = ${quoteOpclass(r.subtype_opclass)}`);
  if (r.collation) options.push(`COLLATION = ${quoteCatalogName(r.collation)}`);
  if (r.canonical) options.push(`CANONICAL = ${r.canonical}`);
  if (r.subtype_diff) options.push(`SUBTYPE_DIFF = ${r.subtype_diff}`);
  if (r.multirange_type_name || r.multirange_schema) options.push(`MULTIRANGE_TYPE_NAME = ${quoteQualified(multirangeName(r))}`);
  return [`CREATE TYPE ${quoteQualified(q)} AS RANGE (${options.join(', ')})`, ...commentStatements({ kind: 'type', type: q }, r.comment)];
}

export function dropRangeSql(r: RangeType): string {
  return `DROP TYPE ${quoteQualified(rangeName(r))}`;
}

/** The renames that move a range, its multirange and their constructors out of the way. */
function retireStatements(r: RangeType): string[] {
  const range = rangeName(r);
  const multi = multirangeName(r);
  const oldRange = quoteQualified({ schema: range.schema, name: retiredName(range.name) });
  const rangeFn = quoteQualified(range);
  const multiFn = quoteQualified(multi);
  return [
    `ALTER TYPE ${quoteQualified(range)} RENAME TO ${quoteIdent(retiredName(range.name))}`,
    `ALTER TYPE ${quoteQualified(multi)} RENAME TO ${quoteIdent(retiredName(multi.name))}`,
    `ALTER FUNCTION ${rangeFn}(${r.subtype}, ${r.subtype}) RENAME TO ${quoteIdent(retiredName(range.name))}`,
    `ALTER FUNCTION ${rangeFn}(${r.subtype}, ${r.subtype}, text) RENAME TO ${quoteIdent(retiredName(range.name))}`,
    `ALTER FUNCTION ${multiFn}() RENAME TO ${quoteIdent(retiredName(multi.name))}`,
    `ALTER FUNCTION ${multiFn}(${oldRange}) RENAME TO ${quoteIdent(retiredName(multi.name))}`,
    `ALTER FUNCTION ${multiFn}(VARIADIC ${oldRange}[]) RENAME TO ${quoteIdent(retiredName(multi.name))}`,
  ];
}

export function recreateRangeStatements(from: RangeType, to: RangeType, columns: readonly EnumColumnSql[]): string[] {
  const old = rangeName(from);
  return [
    ...retireStatements(from),
    ...createRangeStatements(to),
    ...recreatedTypeGrants(rangeName(to), to),
    ...convertColumnStatements(columns),
    `DROP TYPE ${quoteQualified({ schema: old.schema, name: retiredName(old.name) })}`,
  ];
}
