// The SQLite shadow: in-memory by default; with SQLITE_SHADOW_DB_PATH a file
// that is reset only when it is provably a shadow (marked by Lockplane, or
// empty) — never a database someone uses.
import { BlockedError } from '../../errors.js';
import { quoteIdent } from './quote.js';
import { openSqlite, type SqliteSession } from './session.js';

const MARK = '_lockplane_shadow';

export async function openShadow(path: string | undefined): Promise<SqliteSession> {
  if (!path) return openSqlite(':memory:');
  const db = await openSqlite(path);
  try {
    const objects = await db.query(`SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`);
    const marked = objects.some((o) => o.name === MARK);
    if (objects.length > 0 && !marked) {
      throw new BlockedError(`${db.description}: the SQLite shadow is not empty and not marked as a Lockplane shadow; refusing to reset it`);
    }
    await db.exec('PRAGMA foreign_keys = OFF');
    for (const o of objects) {
      if (o.name === MARK || o.type === 'index' || o.type === 'trigger') continue;
      await db.exec(`DROP ${o.type === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdent(String(o.name))}`);
    }
    await db.exec(`CREATE TABLE IF NOT EXISTS ${MARK} (created_at TEXT)`);
    await db.exec('PRAGMA foreign_keys = ON');
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
