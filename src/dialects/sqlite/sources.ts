// A schema source for SQLite: a SQLite database (file, :memory:, libsql://),
// SQL files, or a JSON schema — the last two normalized through SQLite itself.
import { existsSync } from 'node:fs';
import { InputError, redact } from '../../errors.js';
import { loadSchemaJson } from '../../schema/json.js';
import type { Schema } from '../../schema/types.js';
import { isSqlSourcePath } from '../../sql/source.js';
import { isSqliteSpec } from './connection.js';
import { normalizeSqliteModel, normalizeSqliteSql } from './desired.js';
import { introspectSqlite } from './introspect.js';
import { openSqlite } from './session.js';
import { readSqliteSqlSource } from './sql-files.js';

export interface SqliteSource {
  kind: 'json' | 'sql' | 'database';
  label: string;
  schema: Schema;
}

export interface SqliteSourceOptions {
  /** SQLITE_SHADOW_DB_PATH: where desired state is normalized instead of :memory:. */
  shadowPath?: string;
}

export async function loadSqliteSource(spec: string, options: SqliteSourceOptions = {}): Promise<SqliteSource> {
  if (isSqliteSpec(spec)) {
    const db = await openSqlite(spec);
    try {
      return { kind: 'database', label: db.description, schema: await introspectSqlite(db) };
    } finally {
      await db.close();
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) throw new InputError(`${redact(spec)} is not a SQLite/libSQL database, and this command works on SQLite (one dialect per command)`);
  if (!existsSync(spec)) throw new InputError(`${spec}: no such file or directory`);
  if (isSqlSourcePath(spec)) return { kind: 'sql', label: spec, schema: await normalizeSqliteSql(readSqliteSqlSource(spec), options.shadowPath) };
  const model = loadSchemaJson(spec);
  if (model.dialect && model.dialect !== 'sqlite') throw new InputError(`${spec}: "dialect": "${model.dialect}" schema given where a SQLite schema is expected`);
  const schema = await normalizeSqliteModel(model, spec, options.shadowPath);
  return { kind: 'json', label: spec, schema: withRenames(schema, model) };
}

/** renamed_from is intent, not state: normalizing drops it, so it is carried over from the model. */
function withRenames(schema: Schema, model: Schema): Schema {
  const intents = new Map(model.tables.map((t) => [t.name, t]));
  return {
    ...schema,
    tables: schema.tables.map((t) => {
      const m = intents.get(t.name);
      if (!m) return t;
      const columns = t.columns.map((c) => {
        const from = m.columns.find((x) => x.name === c.name)?.renamed_from;
        return from ? { ...c, renamed_from: from } : c;
      });
      return { ...t, ...(m.renamed_from ? { renamed_from: m.renamed_from } : {}), columns };
    }),
  };
}
