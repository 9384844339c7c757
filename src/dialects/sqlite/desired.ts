// Desired state for SQLite: SQL files or a JSON schema are executed in an
// in-memory SQLite (or SQLITE_SHADOW_DB_PATH) and read back by the same
// introspector that reads the target — one normalization, as for Postgres.
import { InputError } from '../../errors.js';
import type { Schema } from '../../schema/types.js';
import { introspectSqlite } from './introspect.js';
import { renderSqliteDdl } from './render.js';
import { openSqlite, sqliteErrorText, type SqliteSession } from './session.js';
import { openShadow } from './shadow.js';

export interface SqlText {
  /** For messages: `schema/tables.sql:12`. */
  where: string;
  sql: string;
}

export async function normalizeSqliteSql(statements: SqlText[], shadowPath?: string): Promise<Schema> {
  return withShadow(shadowPath, async (db) => {
    for (const s of statements) {
      try {
        await db.exec(s.sql);
      } catch (error) {
        throw new InputError(`${s.where}: SQLite rejected it: ${sqliteErrorText(error)}`);
      }
    }
    return introspectSqlite(db);
  });
}

export async function normalizeSqliteModel(model: Schema, label: string, shadowPath?: string): Promise<Schema> {
  return normalizeSqliteSql(renderSqliteDdl(model).map((sql) => ({ where: label, sql })), shadowPath);
}

async function withShadow<T>(shadowPath: string | undefined, body: (db: SqliteSession) => Promise<T>): Promise<T> {
  const db = shadowPath ? await openShadow(shadowPath) : await openSqlite(':memory:');
  try {
    return await body(db);
  } finally {
    await db.close();
  }
}
