// The DDL that builds a whole schema in an empty database: the plan from
// nothing to the schema, so that objects come in dependency order.
import { SKIP_BODY_CHECK } from '../dialects/postgres/render.js';
import type { Schema } from '../schema/types.js';
import { buildPlan } from './build.js';

const EMPTY: Schema = { dialect: 'postgres', tables: [] };

/**
 * Statements to run one by one (no transaction needed). Function bodies are
 * not checked while they run, as in pg_dump's output, so a SQL function may
 * name a table created after it.
 */
export function renderSchemaDdl(schema: Schema): string[] {
  const statements = buildPlan(EMPTY, schema).steps.flatMap((s) => s.sql);
  if (!statements.includes(SKIP_BODY_CHECK)) return statements;
  return ['SET check_function_bodies = off', ...statements.filter((s) => s !== SKIP_BODY_CHECK), 'RESET check_function_bodies'];
}
