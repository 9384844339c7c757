// Proving a SQLite plan: the "before" schema is built in the shadow (in-memory
// unless SQLITE_SHADOW_DB_PATH), the plan applied (hash-checked both ends),
// then its rollback applied and checked to give "before" back.
import { LockplaneError } from '../../errors.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../../plan/types.js';
import type { Schema } from '../../schema/types.js';
import { applySqlitePlan } from './apply.js';
import { sqliteSchemaHash } from './hash.js';
import { introspectSqlite } from './introspect.js';
import { buildSqlitePlan } from './plan/build.js';
import { renderSqliteDdl } from './render.js';
import { openShadow } from './shadow.js';
import { openSqlite, sqliteErrorText, type SqliteSession } from './session.js';

export const SQLITE_ROLLBACK_PREFIX = 'Rollback: ';

export interface SqliteProof {
  shadow: string;
  reverse: { ok: true } | { ok: false; reason: string };
}

export async function proveSqlitePlan(before: Schema, plan: Plan, shadowPath?: string): Promise<SqliteProof> {
  const db = await openShadow(shadowPath);
  try {
    await build(db, before);
    try {
      await applySqlitePlan(db, plan, { expectedSourceHash: sqliteSchemaHash(before) });
    } catch (error) {
      throw new LockplaneError(`the plan failed on the shadow (${db.description}): ${sqliteErrorText(error)}`, 1, { cause: error });
    }
    const rollback = await rollbackSqlitePlan(plan, before);
    try {
      await applySqlitePlan(db, rollback);
      return { shadow: db.description, reverse: { ok: true } };
    } catch (error) {
      return { shadow: db.description, reverse: { ok: false, reason: sqliteErrorText(error) } };
    }
  } finally {
    await db.close();
  }
}

/**
 * The plan back from where `forward` leads to `before`: the forward plan is
 * replayed on `before` in memory, and the way back planned from the result.
 */
export async function rollbackSqlitePlan(forward: Plan, before: Schema): Promise<Plan> {
  const hash = sqliteSchemaHash(before);
  if (forward.source_hash && forward.source_hash !== hash) {
    throw new LockplaneError(`the "before" schema is not the one this plan starts from (plan source_hash ${forward.source_hash}, given schema ${hash}); pass the schema the forward plan was made from`, 2);
  }
  const db = await openSqlite(':memory:');
  try {
    await build(db, before);
    await applySqlitePlan(db, { ...forward, format_version: PLAN_FORMAT_VERSION });
    const after = await introspectSqlite(db);
    const back = buildSqlitePlan(after, before);
    return { ...back, steps: back.steps.map((s) => ({ ...s, description: `${SQLITE_ROLLBACK_PREFIX}${s.description}` })) };
  } finally {
    await db.close();
  }
}

async function build(db: SqliteSession, schema: Schema): Promise<void> {
  for (const sql of renderSqliteDdl(schema)) await db.exec(sql);
}
