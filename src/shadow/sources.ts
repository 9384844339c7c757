// A "source" is anything that describes a schema: a JSON file, a SQL file or
// directory, or a database URL. Every command that reads a schema goes
// through loadSource, so all of them accept the same three forms.
import { existsSync } from 'node:fs';
import { BlockedError, InputError } from '../errors.js';
import { introspect, unmodelledWarning, type UnmodelledObject } from '../dialects/postgres/introspect.js';
import { connect } from '../dialects/postgres/session.js';
import { loadSchemaJson } from '../schema/json.js';
import { attachRenames, renameIntents } from '../schema/renames.js';
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
  /** Only these namespaces (default: every user schema): introspected so for databases, filtered so for files. */
  schemas?: string[];
  /** Told (once per database source) what Lockplane does not model there. */
  onWarning?: (message: string) => void;
}

export async function loadSource(spec: string, options: LoadSourceOptions = {}): Promise<LoadedSource> {
  if (isDatabaseUrl(spec)) {
    const session = await connect(spec);
    try {
      const warn = options.onWarning;
      const schema = await introspect(session, {
        ...(options.schemas ? { schemas: options.schemas } : {}),
        ...(warn ? { onUnmodelled: (objects: UnmodelledObject[]) => { const w = unmodelledWarning(objects); if (w) warn(`${session.description}: ${w}`); } } : {}),
      });
      return { kind: 'database', label: session.description, schema };
    } finally {
      await session.close();
    }
  }
  if (!existsSync(spec)) throw new InputError(`${spec}: no such file or directory`);
  if (isSqlSourcePath(spec)) {
    const statements = await loadSqlSource(spec);
    const renames = statements.flatMap((s) => s.renames ?? []);
    return { kind: 'sql', label: spec, schema: restrict(attachRenames(await normalizeSql(statements, options), renames), options.schemas) };
  }
  const model = loadSchemaJson(spec);
  const problems = checkReferences(model).filter((f) => f.blocking);
  if (problems.length > 0) {
    throw new BlockedError(`${spec}: ${problems[0]!.message} (${problems[0]!.code})`);
  }
  const normalized = attachRenames(await normalizeModel(model, spec, options), renameIntents(model, spec));
  return { kind: 'json', label: spec, schema: restrict(normalized, options.schemas) };
}

/** The part of a desired schema that lies in the managed namespaces. */
function restrict(schema: Schema, schemas: string[] | undefined): Schema {
  if (!schemas) return schema;
  const keep = new Set(schemas);
  const out: Schema = {
    ...schema,
    schemas: (schema.schemas ?? []).filter((n) => keep.has(n.name)),
    tables: schema.tables.filter((t) => keep.has(t.schema ?? 'public')),
  };
  if (schema.types) out.types = schema.types.filter((t) => keep.has(t.schema ?? 'public'));
  return out;
}
