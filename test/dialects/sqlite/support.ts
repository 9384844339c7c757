// SQLite test databases: each test gets its own temporary directory (removed
// after) or an in-memory database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { introspectSqlite, openSqlite, type SqliteSession } from '../../../src/dialects/sqlite/index.js';
import type { Schema } from '../../../src/schema/types.js';

export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'lockplane-sqlite-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function memoryWith(t: TestContext, statements: string[]): Promise<SqliteSession> {
  const db = await openSqlite(':memory:');
  t.after(() => db.close());
  for (const sql of statements) await db.exec(sql);
  return db;
}

export async function introspected(t: TestContext, statements: string[]): Promise<Schema> {
  return introspectSqlite(await memoryWith(t, statements));
}
