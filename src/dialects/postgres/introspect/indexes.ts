// Indexes that do not back a constraint (the constraint owns those).
import type { Index, IndexKey } from '../../../schema/types.js';
import type { PgSession } from '../session.js';
import { catalogObjectName, commentJoin } from './names.js';
import { TABLES_CTE } from './scope.js';

// One row per index column (key or INCLUDE), grouped in TypeScript: flat
// rows let the planner join each catalog once instead of once per index.
// int2vector/oidvector subscripts are 0-based. indoption, indclass and
// indcollation only cover the key columns (the first indnkeyatts).
// Key collation is reported when it differs from the column's own, or, for
// an expression key, from its type's default: that is a function of the
// catalog alone, so rendering it back reproduces the same catalog state.
const indexesSql = (cte: string): string => `${cte}
SELECT i.indrelid::text AS table_oid,
       i.indexrelid::text AS index_oid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       am.amname::text AS method,
       CASE WHEN k.n = 0 THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid) END AS predicate,
       CASE WHEN k.n = 0 THEN ic.reloptions::text[] END AS options,
       CASE WHEN k.n = 0 THEN ds.description END AS comment,
       i.indnullsnotdistinct AS nulls_not_distinct,
       NOT i.indisvalid AS invalid,
       a.attname::text AS column_name,
       CASE WHEN i.indkey[k.n] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.n + 1, true) END AS expression,
       k.n >= i.indnkeyatts AS include,
       (i.indoption[k.n] & 1) <> 0 AS descending,
       (i.indoption[k.n] & 2) <> 0 AS nulls_first,
       CASE WHEN NOT opc.opcdefault THEN opn.nspname::text END AS opclass_schema,
       CASE WHEN NOT opc.opcdefault THEN opc.opcname::text END AS opclass_name,
       colln.nspname::text AS collation_schema,
       coll.collname::text AS collation_name
FROM t
JOIN pg_catalog.pg_index i ON i.indrelid = t.oid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
${commentJoin('ds', 'pg_class', 'i.indexrelid')}
-- One row per entry of indkey (indnatts of them). unnest, not generate_series:
-- the planner guesses 10 rows for it, not 1,000, and plans the joins for that.
CROSS JOIN LATERAL (SELECT o.ord::integer - 1 AS n FROM unnest(i.indkey::pg_catalog.int2[]) WITH ORDINALITY AS o(attnum, ord)) k
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n]
CROSS JOIN LATERAL (
  SELECT CASE WHEN k.n >= i.indnkeyatts THEN 0::oid ELSE i.indcollation[k.n] END AS oid,
         CASE WHEN i.indkey[k.n] <> 0 THEN a.attcollation
              ELSE (SELECT ty.typcollation
                    FROM pg_catalog.pg_attribute ia
                    JOIN pg_catalog.pg_type ty ON ty.oid = ia.atttypid
                    WHERE ia.attrelid = i.indexrelid AND ia.attnum = k.n + 1) END AS natural
) kc
LEFT JOIN pg_catalog.pg_opclass opc ON k.n < i.indnkeyatts AND opc.oid = i.indclass[k.n]
LEFT JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
LEFT JOIN pg_catalog.pg_collation coll
  ON coll.oid = kc.oid AND kc.oid <> 0 AND kc.oid IS DISTINCT FROM kc.natural
LEFT JOIN pg_catalog.pg_namespace colln ON colln.oid = coll.collnamespace
-- A partition's copy of its parent's index comes with the partition.
WHERE NOT ic.relispartition
  AND NOT EXISTS (
  SELECT 1 FROM pg_catalog.pg_constraint co
  WHERE co.conrelid = i.indrelid AND co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, i.indexrelid, k.n`;

interface IndexColumnRow {
  table_oid: string;
  index_oid: string;
  name: string;
  is_unique: boolean;
  method: string;
  predicate: string | null;
  options: string[] | null;
  comment: string | null;
  nulls_not_distinct: boolean;
  invalid: boolean;
  column_name: string | null;
  expression: string | null;
  include: boolean;
  descending: boolean | null;
  nulls_first: boolean | null;
  opclass_schema: string | null;
  opclass_name: string | null;
  collation_schema: string | null;
  collation_name: string | null;
}

/** Indexes by the oid of their table (or, with `relationsCte("'m'")`, materialized view). */
export async function readIndexes(session: PgSession, namespaces: string[], cte: string = TABLES_CTE): Promise<Map<string, Index[]>> {
  const rows = await session.query<IndexColumnRow>(indexesSql(cte), [namespaces]);
  const out = new Map<string, Index[]>();
  // Rows come ordered by index, then column position.
  let current: { oid: string; index: Index; keys: IndexKey[]; include: string[] } | undefined;
  const finish = (): void => {
    if (!current) return;
    current.index.keys = current.keys;
    current.index.columns = current.keys.filter((k) => k.column !== undefined).map((k) => k.column!);
    if (current.include.length) current.index.include = current.include;
  };
  for (const row of rows) {
    if (current?.oid !== row.index_oid) {
      finish();
      current = { oid: row.index_oid, index: toIndex(row), keys: [], include: [] };
      let list = out.get(row.table_oid);
      if (!list) out.set(row.table_oid, (list = []));
      list.push(current.index);
    }
    if (row.include) current.include.push(row.column_name ?? row.expression ?? '');
    else current.keys.push(toKey(row));
  }
  finish();
  return out;
}

/** The index-level fields, from the row of its first column. */
function toIndex(row: IndexColumnRow): Index {
  const index: Index = { name: row.name, columns: [], unique: row.is_unique, method: row.method };
  if (row.predicate !== null) index.where = row.predicate;
  if (row.nulls_not_distinct) index.nulls_not_distinct = true;
  if (row.invalid) index.invalid = true;
  if (row.options?.length) index.with = row.options;
  if (row.comment !== null) index.comment = row.comment;
  return index;
}

function toKey(k: IndexColumnRow): IndexKey {
  const key: IndexKey = k.column_name !== null ? { column: k.column_name } : { expression: k.expression ?? '' };
  const collation = catalogObjectName(k.collation_schema, k.collation_name);
  if (collation !== undefined) key.collation = collation;
  // Operator class names have no dots: the renderer reads `schema.name`.
  if (k.opclass_name !== null) {
    key.opclass = k.opclass_schema === null || k.opclass_schema === 'pg_catalog' ? k.opclass_name : `${k.opclass_schema}.${k.opclass_name}`;
  }
  if (k.descending) key.order = 'DESC';
  if (k.nulls_first !== null) key.nulls = k.nulls_first ? 'FIRST' : 'LAST';
  return key;
}
