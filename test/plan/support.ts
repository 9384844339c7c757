// Shared by the plan tests: load a schema, apply a plan, reset a database.
import { executePlan } from '../../src/apply/execute.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { renderSchemaDdl } from '../../src/plan/ddl.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { stepStatements, type Plan } from '../../src/plan/types.js';
import type { Schema } from '../../src/schema/types.js';

async function run(session: PgSession, statements: readonly string[], what: string): Promise<void> {
  for (const sql of statements) {
    try {
      await session.exec(sql);
    } catch (error) {
      throw new Error(`${what}: statement failed: ${sql}\n${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }
}

export async function loadSchema(session: PgSession, schema: Schema): Promise<void> {
  await run(session, renderSchemaDdl(schema), 'loading schema');
}

/**
 * Runs every statement of the plan in one transaction; a plan with steps
 * that cannot run in one (CREATE INDEX CONCURRENTLY) runs as the executor runs it.
 */
export async function applyPlan(session: PgSession, plan: Plan): Promise<void> {
  if (plan.steps.some((s) => s.transactional === false)) {
    await executePlan(session, plan);
    return;
  }
  await session.exec('BEGIN');
  try {
    await run(session, plan.steps.flatMap(stepStatements), 'applying plan');
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK');
    throw error;
  }
}

/** Drops every user namespace and recreates an empty `public`. */
export async function resetDatabase(session: PgSession): Promise<void> {
  const current = await introspect(session);
  const names = (current.schemas ?? []).map((s) => s.name);
  for (const name of names) await session.exec(`DROP SCHEMA "${name.replace(/"/g, '""')}" CASCADE`);
  await session.exec('CREATE SCHEMA IF NOT EXISTS public');
}
