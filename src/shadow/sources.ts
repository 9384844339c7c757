// A "source" is anything that describes a schema: a JSON file, a SQL file or
// directory, or a database URL. Every command that reads a schema goes
// through loadSource, so all of them accept the same three forms.
import { existsSync } from 'node:fs';
import { BlockedError, InputError } from '../errors.js';
import { introspect } from '../dialects/postgres/introspect.js';
import { connect } from '../dialects/postgres/session.js';
import { loadSchemaJson } from '../schema/json.js';
import type { Schema } from '../schema/types.js';
import { checkReferences } from '../safety/index.js';
import { isSqlSourcePath, loadSqlSource } from '../sql/index.js';
import { normalizeModel, normalizeSql, type NormalizeOptions } from './normalize.js';

export type SourceKind = 'json' | 'sql' | 'database';

export interface LoadedSource {
  kind: SourceKind;
  /** What to print: the path, or the URL without its password. */
  label: string;
  schema: Schema;
}

export function isDatabaseUrl(spec: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec.trim());
}

export interface LoadSourceOptions extends NormalizeOptions {
  /** For database sources: introspect only these namespaces (default: every user schema). */
  schemas?: string[];
}

export async function loadSource(spec: string, options: LoadSourceOptions = {}): Promise<LoadedSource> {
  if (isDatabaseUrl(spec)) {
    const session = await connect(spec);
    try {
      const schema = await introspect(session, options.schemas ? { schemas: options.schemas } : {});
      return { kind: 'database', label: session.description, schema };
    } finally {
      await session.close();
    }
  }
  if (!existsSync(spec)) throw new InputError(`${spec}: no such file or directory`);
  if (isSqlSourcePath(spec)) {
    const statements = await loadSqlSource(spec);
    return { kind: 'sql', label: spec, schema: await normalizeSql(statements, options) };
  }
  const model = loadSchemaJson(spec);
  const problems = checkReferences(model).filter((f) => f.blocking);
  if (problems.length > 0) {
    throw new BlockedError(`${spec}: ${problems[0]!.message} (${problems[0]!.code})`);
  }
  return { kind: 'json', label: spec, schema: await normalizeModel(model, spec, options) };
}
