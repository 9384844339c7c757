// Postgres's printed form of an expression is not always a fixpoint of
// parse → print. A CHECK written `status IN ('a', 'b')` on a varchar column
// prints as `((status)::text = ANY ((ARRAY['a'::character varying, …])::text[]))`,
// and that text, executed again, prints as
// `((status)::text = ANY (ARRAY[('a'::character varying)::text, …]))`.
// A plan executes the printed text, so a desired schema holding the first
// form would make every later plan drop and re-add the constraint. Each CHECK
// of a normalized schema is therefore executed once more — on an empty
// temporary copy of its table, in a transaction that is rolled back — and the
// schema keeps what Postgres prints then: the form a target will have.
import { quoteIdent, quoteQualified } from '../dialects/postgres/quote.js';
import type { PgSession } from '../dialects/postgres/session.js';
import { checkExpression } from '../dialects/postgres/introspect/constraints.js';
import { addCheckSql } from '../dialects/postgres/render/constraints.js';
import { DEFAULT_NAMESPACE, type Schema } from '../schema/types.js';

const COPY_PREFIX = 'lockplane_settle_';

interface SettledRow {
  copy: string;
  name: string;
  definition: string;
  no_inherit: boolean;
  validated: boolean;
}

export async function settleChecks(session: PgSession, schema: Schema): Promise<Schema> {
  const withChecks = schema.tables.map((t, i) => ({ t, i })).filter(({ t }) => (t.check_constraints ?? []).length > 0);
  if (withChecks.length === 0) return schema;
  const script = withChecks.flatMap(({ t, i }) => {
    const copy = { schema: 'pg_temp', name: `${COPY_PREFIX}${i}` };
    return [
      `CREATE TEMPORARY TABLE ${quoteIdent(copy.name)} (LIKE ${quoteQualified({ schema: t.schema ?? DEFAULT_NAMESPACE, name: t.name })})`,
      ...(t.check_constraints ?? []).map((c) => addCheckSql(copy, { ...c, no_inherit: false })),
    ];
  });
  let rows: SettledRow[];
  await session.exec('BEGIN');
  try {
    await session.exec(script.join(';\n'));
    rows = await session.query<SettledRow>(
      `SELECT c.relname AS copy, co.conname AS name, pg_catalog.pg_get_constraintdef(co.oid) AS definition,
              co.connoinherit AS no_inherit, co.convalidated AS validated
         FROM pg_catalog.pg_constraint co
         JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
        WHERE co.contype = 'c' AND c.relpersistence = 't' AND c.relname LIKE $1`,
      [`${COPY_PREFIX}%`],
    );
  } catch {
    // An expression that cannot be re-executed alone keeps its first form: the proof will tell.
    return schema;
  } finally {
    await session.exec('ROLLBACK').catch(() => undefined);
  }
  const settled = new Map(rows.map((r) => [`${r.copy}\u0000${r.name}`, checkExpression(r)]));
  const tables = schema.tables.map((t, i) => {
    const checks = t.check_constraints;
    if (!checks?.length) return t;
    return { ...t, check_constraints: checks.map((c) => ({ ...c, expression: settled.get(`${COPY_PREFIX}${i}\u0000${c.name}`) ?? c.expression })) };
  });
  return { ...schema, tables };
}
