// Columns, with defaults, identity (and its sequence options), generation and collation.
import type { Column, Identity } from '../../../schema/types.js';
import type { PgSession } from '../session.js';
import { catalogObjectName, commentJoin } from './names.js';
import { TABLES_CTE } from './scope.js';

const COLUMNS_SQL = `${TABLES_CTE}
SELECT a.attrelid::text AS table_oid,
       a.attname::text AS name,
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       -- A default cannot refer to columns, so it deparses without its table (relid 0,
       -- as documented for Var-free expressions); given the table, pg_get_expr opens
       -- it, and a fresh backend builds a relcache entry for each of 1,000 tables.
       pg_catalog.pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END) AS expression,
       con.nspname::text AS collation_schema,
       co.collname::text AS collation_name,
       seq.sequence,
       ds.description AS comment
FROM t
JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
${commentJoin('ds', 'pg_class', 'a.attrelid', 'a.attnum')}
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co
  ON co.oid = a.attcollation AND a.attcollation <> 0 AND a.attcollation <> ty.typcollation
LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
LEFT JOIN LATERAL (
  -- Identity sequences: looked up for identity columns only (the filter on
  -- the outer row skips the lookup for every other column).
  SELECT json_build_object(
           'type', pg_catalog.format_type(s.seqtypid, NULL),
           'start', s.seqstart::text,
           'increment', s.seqincrement::text,
           'min', s.seqmin::text,
           'max', s.seqmax::text,
           'cache', s.seqcache::text,
           'cycle', s.seqcycle) AS sequence
  FROM pg_catalog.pg_depend dep
  JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid
  WHERE a.attidentity <> ''
    AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
    AND dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dep.deptype = 'i'
  OFFSET 0 -- keeps the subquery whole: flattened into the join, it is probed for every column
) seq ON true
ORDER BY a.attrelid, a.attnum`;

interface ColumnRow {
  table_oid: string;
  name: string;
  type: string;
  not_null: boolean;
  identity: string;
  generated: string;
  expression: string | null;
  collation_schema: string | null;
  collation_name: string | null;
  /** The identity's sequence, for identity columns only. */
  sequence: SequenceJson | null;
  comment: string | null;
}

interface SequenceJson {
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
}

/** Columns per table oid, in attnum order. */
export async function readColumns(session: PgSession, namespaces: string[]): Promise<Map<string, Column[]>> {
  const rows = await session.query<ColumnRow>(COLUMNS_SQL, [namespaces]);
  const out = new Map<string, Column[]>();
  for (const row of rows) {
    let list = out.get(row.table_oid);
    if (!list) out.set(row.table_oid, (list = []));
    list.push(toColumn(row));
  }
  return out;
}

function toColumn(row: ColumnRow): Column {
  const column: Column = { name: row.name, type: row.type, nullable: !row.not_null };
  if (row.generated !== '') {
    column.generated = { expression: row.expression ?? '' };
    if (row.generated === 'v') column.generated.kind = 'virtual';
  } else if (row.identity !== '') {
    column.identity = toIdentity(row);
  } else if (row.expression !== null) {
    column.default = row.expression;
  }
  const collation = catalogObjectName(row.collation_schema, row.collation_name);
  if (collation !== undefined) column.collation = collation;
  if (row.comment !== null) column.comment = row.comment;
  return column;
}

const TYPE_RANGE: Record<string, readonly [bigint, bigint]> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

/** Sequence options, each omitted when it is what Postgres would pick by default. */
function toIdentity(row: ColumnRow): Identity {
  const identity: Identity = { generation: row.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT' };
  const seq = row.sequence;
  if (seq === null) return identity;
  const range = TYPE_RANGE[seq.type] ?? TYPE_RANGE.bigint!;
  const increment = BigInt(seq.increment);
  const ascending = increment > 0n;
  const min = BigInt(seq.min);
  const max = BigInt(seq.max);
  const defaultMin = ascending ? 1n : range[0];
  const defaultMax = ascending ? range[1] : -1n;
  if (BigInt(seq.start) !== (ascending ? min : max)) identity.start = seq.start;
  if (increment !== 1n) identity.increment = seq.increment;
  if (min !== defaultMin) identity.min_value = seq.min;
  if (max !== defaultMax) identity.max_value = seq.max;
  if (seq.cache !== '1') identity.cache = seq.cache;
  if (seq.cycle) identity.cycle = true;
  return identity;
}
