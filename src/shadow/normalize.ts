// Rule 1 of DESIGN.md: a desired schema written as SQL or JSON is executed in
// a scratch Postgres and read back by the same introspector that reads
// targets, so both sides of every diff use the catalog's own spelling.
// Results are cached by content hash under .lockplane/cache/.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { introspect } from '../dialects/postgres/introspect.js';
import { renderSchemaDdl } from '../plan/ddl.js';
import { errorText, type PgSession } from '../dialects/postgres/session.js';
import { canonicalize } from '../schema/canonical.js';
import { sha256, stableStringify } from '../schema/hash.js';
import type { Schema } from '../schema/types.js';
import { locateInStatement, type SqlStatement } from '../sql/index.js';
import { withScratch, type ScratchOptions } from './scratch.js';
import { execCreatingRoles } from './roles.js';
import { engineFingerprint } from './engine.js';
import { runSeed } from './seed.js';
import { settleChecks } from './settle.js';

export interface NormalizeOptions extends ScratchOptions {
  /** Directory for cached results; null disables the cache. */
  cacheDir?: string | null;
  /** DDL run first, for objects the source names but does not manage (see seed.ts); a statement that fails is skipped. */
  seed?: readonly string[];
}

/** A JSON model → the schema Postgres actually builds from it. */
export async function normalizeModel(model: Schema, label: string, options: NormalizeOptions = {}): Promise<Schema> {
  const statements = renderSchemaDdl(canonicalize(model));
  return cached(options, ['model', stableStringify(canonicalize(model))], () =>
    withScratch(options, async (session) => {
      await runSeed(session, options.seed);
      for (const sql of statements) {
        try {
          await execCreatingRoles(session, sql);
        } catch (error) {
          throw new InputError(`${label}: Postgres rejects the schema: ${errorText(error)} (in: ${oneLine(sql)})`);
        }
      }
      return settleChecks(session, await introspect(session));
    }),
  );
}

/** SQL statements (from .sql files) → the schema they build. */
export async function normalizeSql(statements: SqlStatement[], options: NormalizeOptions = {}): Promise<Schema> {
  const key = ['sql', ...statements.map((s) => `${s.file}\0${s.line}\0${s.sql}`)];
  return cached(options, key, () =>
    withScratch(options, async (session) => {
      await runSeed(session, options.seed);
      return runStatements(session, statements);
    }),
  );
}

async function runStatements(session: PgSession, statements: SqlStatement[]): Promise<Schema> {
  for (const statement of statements) {
    try {
      await execCreatingRoles(session, statement.sql);
    } catch (error) {
      const raw = (error as { position?: unknown }).position;
      const position = typeof raw === 'string' || typeof raw === 'number' ? raw : undefined;
      const { line, column } = locateInStatement(statement, position);
      throw new InputError(`${statement.file}:${line}:${column}: ${errorText(error)}`);
    }
  }
  return settleChecks(session, await introspect(session));
}

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}

async function cached(options: NormalizeOptions, parts: string[], compute: () => Promise<Schema>): Promise<Schema> {
  if (options.cacheDir === null) return compute();
  const dir = options.cacheDir ?? join('.lockplane', 'cache');
  const key = sha256([engineFingerprint(options.shadowUrl), ...parts, ...(options.seed?.length ? ['seed', ...options.seed] : [])].join('\0\0'));
  const file = join(dir, `${key}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Schema;
  } catch {
    // Not cached yet (or unreadable): compute and store.
  }
  const schema = await compute();
  try {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(schema));
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written only costs time.
  }
  return schema;
}
