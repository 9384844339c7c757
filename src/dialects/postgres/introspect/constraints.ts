// Primary keys, unique, check and foreign-key constraints.
// PG18 also catalogs NOT NULL as contype 'n'; nullability comes from attnotnull, so only p/u/c/f/x are read.
import type {
  ExclusionConstraint,
  CheckConstraint,
  FkAction,
  FkMatch,
  ForeignKey,
  PrimaryKey,
  UniqueConstraint,
} from '../../../schema/types.js';
import type { PgSession } from '../session.js';
import { commentJoin } from './names.js';
import { TABLES_CTE } from './scope.js';

// One row per constraint column (one row for a check), grouped in TypeScript:
// flat rows let the planner look up each column once, not run a subquery
// per constraint.
const CONSTRAINTS_SQL = `${TABLES_CTE}
SELECT co.oid::text AS oid,
       co.conrelid::text AS table_oid,
       co.conname::text AS name,
       co.contype::text AS kind,
       a.attname::text AS column_name,
       fa.attname::text AS referenced_column,
       rn.nspname::text AS referenced_schema,
       rc.relname::text AS referenced_table,
       co.confdeltype::text AS on_delete,
       co.confupdtype::text AS on_update,
       co.confmatchtype::text AS match,
       co.condeferrable AS deferrable,
       co.condeferred AS deferred,
       co.connoinherit AS no_inherit,
       co.convalidated AS validated,
       CASE WHEN co.contype IN ('c', 'x') THEN pg_catalog.pg_get_constraintdef(co.oid) END AS definition,
       COALESCE(ix.indnullsnotdistinct, false) AS nulls_not_distinct,
       CASE WHEN k.ord IS NULL OR k.ord = 1 THEN ds.description END AS comment
FROM t
JOIN pg_catalog.pg_constraint co ON co.conrelid = t.oid
LEFT JOIN LATERAL unnest(CASE WHEN co.contype NOT IN ('c', 'x') THEN co.conkey END,
                         CASE WHEN co.contype = 'f' THEN co.confkey END)
          WITH ORDINALITY AS k(num, fnum, ord) ON true
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num
LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = co.confrelid AND fa.attnum = k.fnum
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
${commentJoin('ds', 'pg_constraint', 'co.oid')}
LEFT JOIN pg_catalog.pg_index ix ON co.contype = 'u' AND ix.indexrelid = co.conindid
WHERE co.contype IN ('p', 'u', 'c', 'f', 'x')
  AND co.conparentid = 0
  AND (co.contype <> 'c' OR co.conislocal)
ORDER BY co.conrelid, co.oid, k.ord`;

interface ConstraintColumnRow {
  oid: string;
  table_oid: string;
  name: string;
  kind: 'p' | 'u' | 'c' | 'f' | 'x';
  column_name: string | null;
  referenced_column: string | null;
  referenced_schema: string | null;
  referenced_table: string | null;
  on_delete: string;
  on_update: string;
  match: string;
  deferrable: boolean;
  deferred: boolean;
  no_inherit: boolean;
  validated: boolean;
  definition: string | null;
  nulls_not_distinct: boolean;
  comment: string | null;
}

/** A constraint with its column rows gathered. */
interface ConstraintRow extends Omit<ConstraintColumnRow, 'column_name' | 'referenced_column'> {
  columns: string[];
  referenced_columns: string[];
}

export interface TableConstraints {
  primary_key?: PrimaryKey;
  unique_constraints: UniqueConstraint[];
  check_constraints: CheckConstraint[];
  foreign_keys: ForeignKey[];
  exclusion_constraints: ExclusionConstraint[];
}

export async function readConstraints(session: PgSession, namespaces: string[]): Promise<Map<string, TableConstraints>> {
  const rows = gather(await session.query<ConstraintColumnRow>(CONSTRAINTS_SQL, [namespaces]));
  const out = new Map<string, TableConstraints>();
  for (const row of rows) {
    let entry = out.get(row.table_oid);
    if (!entry) out.set(row.table_oid, (entry = { unique_constraints: [], check_constraints: [], foreign_keys: [], exclusion_constraints: [] }));
    switch (row.kind) {
      case 'p':
        entry.primary_key = withComment<PrimaryKey>({ name: row.name, columns: row.columns }, row);
        break;
      case 'u':
        entry.unique_constraints.push(withComment(toUnique(row), row));
        break;
      case 'c':
        entry.check_constraints.push(withComment(toCheck(row), row));
        break;
      case 'f':
        entry.foreign_keys.push(withComment(toForeignKey(row), row));
        break;
      case 'x':
        entry.exclusion_constraints.push(withComment<ExclusionConstraint>({ name: row.name, definition: row.definition ?? '' }, row));
        break;
    }
  }
  return out;
}

function withComment<T extends { comment?: string }>(out: T, row: Pick<ConstraintRow, 'comment'>): T {
  if (row.comment !== null) out.comment = row.comment;
  return out;
}

/** Rows come ordered by constraint, then key position. */
function gather(rows: ConstraintColumnRow[]): ConstraintRow[] {
  const out: ConstraintRow[] = [];
  let current: ConstraintRow | undefined;
  for (const row of rows) {
    if (current?.oid !== row.oid) out.push((current = constraintOf(row)));
    if (row.column_name !== null) current.columns.push(row.column_name);
    if (row.referenced_column !== null) current.referenced_columns.push(row.referenced_column);
  }
  return out;
}

/**
 * Field by field: an object literal of fixed shape is several times cheaper
 * than a rest-and-spread copy (tens of thousands of rows at 10,000 tables).
 */
function constraintOf(row: ConstraintColumnRow): ConstraintRow {
  return {
    oid: row.oid,
    table_oid: row.table_oid,
    name: row.name,
    kind: row.kind,
    referenced_schema: row.referenced_schema,
    referenced_table: row.referenced_table,
    on_delete: row.on_delete,
    on_update: row.on_update,
    match: row.match,
    deferrable: row.deferrable,
    deferred: row.deferred,
    no_inherit: row.no_inherit,
    validated: row.validated,
    definition: row.definition,
    nulls_not_distinct: row.nulls_not_distinct,
    comment: row.comment,
    columns: [],
    referenced_columns: [],
  };
}

function toUnique(row: ConstraintRow): UniqueConstraint {
  const unique: UniqueConstraint = { name: row.name, columns: row.columns };
  if (row.nulls_not_distinct) unique.nulls_not_distinct = true;
  if (row.deferrable) unique.deferrable = true;
  if (row.deferred) unique.initially_deferred = true;
  return unique;
}

function toCheck(row: ConstraintRow): CheckConstraint {
  const check: CheckConstraint = { name: row.name, expression: checkExpression(row) };
  if (row.no_inherit) check.no_inherit = true;
  if (!row.validated) check.not_valid = true;
  return check;
}

/**
 * pg_get_constraintdef gives `CHECK (<expr>)[ NO INHERIT][ NOT VALID]`; the
 * flags tell exactly which suffixes are there, so no guessing at the text.
 */
export function checkExpression(row: Pick<ConstraintRow, 'name' | 'definition' | 'no_inherit' | 'validated'>): string {
  let text = row.definition ?? '';
  for (const [present, suffix] of [
    [!row.validated, ' NOT VALID'],
    [row.no_inherit, ' NO INHERIT'],
  ] as const) {
    if (present && text.endsWith(suffix)) text = text.slice(0, -suffix.length);
  }
  if (!text.startsWith('CHECK (') || !text.endsWith(')')) {
    throw new Error(`unexpected definition of check constraint ${row.name}: ${row.definition ?? '(null)'}`);
  }
  return text.slice('CHECK ('.length, -1);
}

const FK_ACTIONS: Record<string, FkAction> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

const FK_MATCHES: Record<string, FkMatch> = { f: 'FULL', s: 'SIMPLE' };

function toForeignKey(row: ConstraintRow): ForeignKey {
  const fk: ForeignKey = {
    name: row.name,
    columns: row.columns,
    referenced_schema: row.referenced_schema ?? '',
    referenced_table: row.referenced_table ?? '',
    referenced_columns: row.referenced_columns,
  };
  const onDelete = FK_ACTIONS[row.on_delete];
  if (onDelete) fk.on_delete = onDelete;
  const onUpdate = FK_ACTIONS[row.on_update];
  if (onUpdate) fk.on_update = onUpdate;
  const match = FK_MATCHES[row.match];
  if (match) fk.match = match;
  if (row.deferrable) fk.deferrable = true;
  if (row.deferred) fk.initially_deferred = true;
  if (!row.validated) fk.not_valid = true;
  return fk;
}
