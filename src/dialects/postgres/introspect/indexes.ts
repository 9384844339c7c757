// Indexes that do not back a constraint (the constraint owns those).
import type { Index, IndexKey } from '../../../schema/types.js';
import type { PgSession } from '../session.js';
import { catalogObjectName } from './names.js';
import { TABLES_CTE } from './scope.js';

// int2vector/oidvector subscripts are 0-based. indoption, indclass and
// indcollation only cover the key columns (the first indnkeyatts).
// Key collation is reported when it differs from the column's own, or, for
// an expression key, from its type's default: that is a function of the
// catalog alone, so rendering it back reproduces the same catalog state.
const INDEXES_SQL = `${TABLES_CTE}
SELECT i.indrelid::text AS table_oid,
       ic.relname::text AS name,
       i.indisunique AS is_unique,
       am.amname::text AS method,
       pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate,
       ic.reloptions::text[] AS options,
       i.indnullsnotdistinct AS nulls_not_distinct,
       (SELECT json_agg(json_build_object(
                 'column', a.attname::text,
                 'expression', CASE WHEN i.indkey[k.n] = 0
                                    THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.n + 1, true) END,
                 'include', k.n >= i.indnkeyatts,
                 'desc', (i.indoption[k.n] & 1) <> 0,
                 'nulls_first', (i.indoption[k.n] & 2) <> 0,
                 'opclass_schema', CASE WHEN NOT opc.opcdefault THEN opn.nspname::text END,
                 'opclass_name', CASE WHEN NOT opc.opcdefault THEN opc.opcname::text END,
                 'collation_schema', colln.nspname::text,
                 'collation_name', coll.collname::text)
               ORDER BY k.n)
        FROM generate_series(0, i.indnatts - 1) AS k(n)
        LEFT JOIN pg_catalog.pg_attribute a
          ON i.indkey[k.n] <> 0 AND a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n]
        LEFT JOIN pg_catalog.pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.n + 1
        LEFT JOIN pg_catalog.pg_type ity ON ity.oid = ia.atttypid
        LEFT JOIN pg_catalog.pg_opclass opc ON k.n < i.indnkeyatts AND opc.oid = i.indclass[k.n]
        LEFT JOIN pg_catalog.pg_namespace opn ON opn.oid = opc.opcnamespace
        LEFT JOIN pg_catalog.pg_collation coll
          ON k.n < i.indnkeyatts AND coll.oid = i.indcollation[k.n] AND i.indcollation[k.n] <> 0
         AND i.indcollation[k.n] <> COALESCE(a.attcollation, ity.typcollation)
        LEFT JOIN pg_catalog.pg_namespace colln ON colln.oid = coll.collnamespace) AS keys
FROM t
JOIN pg_catalog.pg_index i ON i.indrelid = t.oid
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE NOT EXISTS (
  SELECT 1 FROM pg_catalog.pg_constraint co
  WHERE co.conrelid = i.indrelid AND co.conindid = i.indexrelid AND co.contype IN ('p', 'u', 'x'))
ORDER BY i.indrelid, ic.relname COLLATE "C"`;

interface KeyJson {
  column: string | null;
  expression: string | null;
  include: boolean;
  desc: boolean | null;
  nulls_first: boolean | null;
  opclass_schema: string | null;
  opclass_name: string | null;
  collation_schema: string | null;
  collation_name: string | null;
}

interface IndexRow {
  table_oid: string;
  name: string;
  is_unique: boolean;
  method: string;
  predicate: string | null;
  options: string[] | null;
  nulls_not_distinct: boolean;
  keys: KeyJson[];
}

export async function readIndexes(session: PgSession, namespaces: string[]): Promise<Map<string, Index[]>> {
  const rows = await session.query<IndexRow>(INDEXES_SQL, [namespaces]);
  const out = new Map<string, Index[]>();
  for (const row of rows) {
    let list = out.get(row.table_oid);
    if (!list) out.set(row.table_oid, (list = []));
    list.push(toIndex(row));
  }
  return out;
}

function toIndex(row: IndexRow): Index {
  const keys = row.keys.filter((k) => !k.include).map(toKey);
  const index: Index = {
    name: row.name,
    columns: keys.filter((k) => k.column !== undefined).map((k) => k.column!),
    unique: row.is_unique,
    keys,
    method: row.method,
  };
  if (row.predicate !== null) index.where = row.predicate;
  const include = row.keys.filter((k) => k.include).map((k) => k.column ?? k.expression ?? '');
  if (include.length) index.include = include;
  if (row.nulls_not_distinct) index.nulls_not_distinct = true;
  if (row.options?.length) index.with = row.options;
  return index;
}

function toKey(k: KeyJson): IndexKey {
  const key: IndexKey = k.column !== null ? { column: k.column } : { expression: k.expression ?? '' };
  const collation = catalogObjectName(k.collation_schema, k.collation_name);
  if (collation !== undefined) key.collation = collation;
  // Operator class names have no dots: the renderer reads `schema.name`.
  if (k.opclass_name !== null) {
    key.opclass = k.opclass_schema === null || k.opclass_schema === 'pg_catalog' ? k.opclass_name : `${k.opclass_schema}.${k.opclass_name}`;
  }
  if (k.desc) key.order = 'DESC';
  if (k.nulls_first !== null) key.nulls = k.nulls_first ? 'FIRST' : 'LAST';
  return key;
}
