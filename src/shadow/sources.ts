// A "source" is anything that describes a schema: a JSON file, a SQL file or
// directory, or a database URL. Every command that reads a schema goes
// through loadSource, so all of them accept the same three forms.
import { existsSync } from 'node:fs';
import { BlockedError, InputError } from '../errors.js';
import { diffSchemas } from '../diff/index.js';
import { describeChange } from '../plan/kinds/registry.js';
import { filterOf, filterSchema, isEmptyFilter, leftOutOf, type SchemaFilter } from '../schema/filter.js';
import { loadSchemaJson, readJsonFile } from '../schema/json.js';
import { attachRenames, renameIntents } from '../schema/renames.js';
import type { Schema } from '../schema/types.js';
import { checkReferences } from '../safety/index.js';
import { isSqlSourcePath, loadSqlSource } from '../sql/index.js';
import { normalizeModel, normalizeSql, type NormalizeOptions } from './normalize.js';
import { isDatabaseUrl, loadDatabaseSource, type LoadedSource } from './database-source.js';
import type { Seed, SeedProvider } from './seed.js';

export { isDatabaseUrl, type LoadedSource, type SourceKind } from './database-source.js';

/** The filter decides what is managed: introspected so for databases, filtered so for files (after normalizing). */
export interface LoadSourceOptions extends NormalizeOptions, SchemaFilter {
  /** For files: where the objects they name but the filter leaves out (auth.users) come from while normalizing. */
  seedFrom?: SeedProvider;
  /** Told (once per database source) what Lockplane does not model there. */
  onWarning?: (message: string) => void;
}

export async function loadSource(spec: string, options: LoadSourceOptions = {}): Promise<LoadedSource> {
  if (isDatabaseUrl(spec)) return loadDatabaseSource(spec, { ...filterOf(options), ...(options.onWarning ? { onWarning: options.onWarning } : {}) });
  if (!existsSync(spec)) throw new InputError(`${spec}: no such file or directory`);
  const filter = filterOf(options);
  if (isSqlSourcePath(spec)) {
    const statements = await loadSqlSource(spec);
    const renames = statements.flatMap((s) => s.renames ?? []);
    const seed = await seedFor(options, filter, statements.map((s) => s.sql));
    const built = await buildWith(seed, (ddl) => normalizeSql(statements, { ...options, ...(ddl ? { seed: ddl } : {}) }));
    return { kind: 'sql', label: spec, schema: managedPart(spec, { ...built, schema: attachRenames(built.schema, renames) }, filter, options.onWarning) };
  }
  const model = loadSchemaJson(spec);
  const problems = checkReferences(model).filter((f) => f.blocking);
  if (problems.length > 0) {
    throw new BlockedError(`${spec}: ${problems[0]!.message} (${problems[0]!.code})`);
  }
  const seed = await seedFor(options, filter, [readJsonFile(spec)]);
  const built = await buildWith(seed, (ddl) => normalizeModel(model, spec, { ...options, ...(ddl ? { seed: ddl } : {}) }));
  return { kind: 'json', label: spec, schema: managedPart(spec, { ...built, schema: attachRenames(built.schema, renameIntents(model, spec)) }, filter, options.onWarning) };
}

async function seedFor(options: LoadSourceOptions, filter: SchemaFilter, texts: string[]): Promise<Seed | undefined> {
  return options.seedFrom && !isEmptyFilter(filter) ? options.seedFrom(texts) : undefined;
}

interface Built {
  schema: Schema;
  /** The seed it was built on, if any. */
  seed?: Seed;
}

/**
 * Builds on the seed; a source that names left-out objects and also defines
 * some of the same (public.users, when `schemas` leaves public out) collides
 * with its seed, and is then built on its own.
 */
async function buildWith(seed: Seed | undefined, build: (ddl?: string[]) => Promise<Schema>): Promise<Built> {
  if (!seed?.ddl.length) return { schema: await build() };
  try {
    return { schema: await build(seed.ddl), seed };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    try {
      return { schema: await build() };
    } catch {
      throw error;
    }
  }
}

/**
 * The part of a built desired schema that Lockplane manages. What the source
 * itself defines beyond the seed in the part left out (a trigger on auth.users)
 * is not managed either: said in a warning, never silently.
 */
function managedPart(label: string, { schema: built, seed }: Built, filter: SchemaFilter, warn: ((message: string) => void) | undefined): Schema {
  if (warn && !isEmptyFilter(filter)) {
    const defined = diffSchemas(seed?.schema ?? { tables: [] }, leftOutOf(built, filter))
      .filter((c) => /^(create|add)_/.test(c.kind))
      .map(describeChange);
    if (defined.length > 0) {
      const shown = defined.slice(0, 5).join('; ') + (defined.length > 5 ? `; and ${defined.length - 5} more` : '');
      warn(`${label}: defines objects the filter leaves out; Lockplane does not manage them: ${shown}`);
    }
  }
  return filterSchema(built, filter);
}
