// Which database a command reads or changes, from (highest first):
//   1. a flag (--target, --db, --from, …),
//   2. process environment variables,
//   3. `.env.NAME` next to lockplane.toml, for the chosen environment,
//   4. nothing: the embedded PGlite database — only when there is no
//      lockplane.toml at all. A named environment without a URL is an error.
// Within one layer DATABASE_URL wins over its synonym POSTGRES_URL, then
// SQLITE_DB_PATH, then LIBSQL_URL (with LIBSQL_AUTH_TOKEN).
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { envFileName, envFilePath, readEnvFile, type EnvValues } from './env-file.js';
import { knownEnvironments, type EnvironmentConfig, type ProjectConfig } from './file.js';
import { EMBEDDED_DATABASE_URL } from './target.js';
import { supabaseSchemaDir } from './supabase.js';

export type DatabaseKind = 'postgres' | 'sqlite' | 'libsql';

export interface ResolvedDatabase {
  /** The database URL (postgres://, pglite://) or SQLite path / libSQL URL. */
  url: string;
  kind: DatabaseKind;
  origin: 'flag' | 'environment variable' | 'env file' | 'embedded';
  /** Where the URL came from, for people: `--target`, `DATABASE_URL in .env.local`, … */
  source: string;
  /** The lockplane.toml environment in effect, if any. */
  environment?: EnvironmentConfig;
  /** Namespaces to introspect: the environment's, else lockplane.toml's top-level `schemas`. */
  schemas?: string[];
  /** The desired schema path (environment's, else top-level), relative to the current directory. */
  schemaPath?: string;
  /** Where apply keeps its ledger: the environment's `ledger_schema`, else the top level's (default `lockplane`). */
  ledgerSchema?: string;
  shadow: ShadowSettings;
}

export interface ShadowSettings {
  url?: string;
  schema?: string;
  kind?: DatabaseKind;
  source?: string;
}

export interface DatabaseRequest {
  /** A URL given on the command line, and the flag's name for messages. */
  url?: string;
  urlFlag: string;
  /** An environment named on the command line, and the flag's name. */
  environment?: string;
  environmentFlag: string;
}

export interface ConfigContext {
  config?: ProjectConfig;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

interface Layer {
  values: EnvValues;
  /** How to name a key of this layer: `DATABASE_URL in .env.local`. */
  describe: (key: string) => string;
  origin: ResolvedDatabase['origin'];
  /** Relative paths (pglite://./db, SQLite files) are resolved against this directory, printed relative to cwd. */
  baseDir: string;
  cwd: string;
}

/** The environment a request uses: the flag's, else default_environment, else `local` when defined. */
export function selectEnvironment(context: ConfigContext, named: string | undefined, flag: string): EnvironmentConfig | undefined {
  const { config } = context;
  if (!config) {
    if (named !== undefined) throw new InputError(`${flag} ${named}: no lockplane.toml found (searched from ${context.cwd} up to the project root)`);
    return undefined;
  }
  const name = named ?? config.defaultEnvironment ?? (config.environments.has('local') ? 'local' : undefined);
  if (name === undefined) return undefined;
  const environment = config.environments.get(name);
  if (!environment) throw new InputError(`${flag} ${name}: no [environments.${name}] in ${config.label} (${knownEnvironments(config)})`);
  return environment;
}

export function resolveDatabase(request: DatabaseRequest, context: ConfigContext): ResolvedDatabase {
  const environment = selectEnvironment(context, request.environment, request.environmentFlag);
  const layers = layersFor(context, environment);
  const settings = {
    environment,
    schemas: environment?.schemas ?? context.config?.schemas,
    schemaPath: schemaPathFor(context, environment),
    ledgerSchema: environment?.ledgerSchema ?? context.config?.ledgerSchema,
    shadow: shadowFrom(layers),
  };
  if (request.url?.trim()) {
    return { url: request.url.trim(), kind: kindOfUrl(request.url), origin: 'flag', source: request.urlFlag, ...settings };
  }
  const found = databaseFrom(layers);
  if (found) return { ...found, ...settings };
  if (environment) {
    throw new InputError(
      `environment "${environment.name}" has no DATABASE_URL: set it in ${envFileName(environment.name)} or the environment`,
    );
  }
  if (context.config) {
    throw new InputError(
      `no database: ${context.config.label} has no default_environment or [environments.local]; ` +
        `pass ${request.urlFlag} or ${request.environmentFlag}, or set DATABASE_URL (pglite://.lockplane/pglite for the embedded database)`,
    );
  }
  return { url: EMBEDDED_DATABASE_URL, kind: 'postgres', origin: 'embedded', source: 'the default', ...settings };
}

/** The shadow settings of the environment a request selects (no database URL needed). */
export function resolveShadow(context: ConfigContext, environment?: EnvironmentConfig): ShadowSettings {
  return shadowFrom(layersFor(context, environment));
}

/** schema_path of the environment, else the top level, relative to the current directory. */
export function schemaPathFor(context: ConfigContext, environment?: EnvironmentConfig): string | undefined {
  return schemaPathSource(context, environment)?.path;
}

/** The desired schema's path and whether it was found (a Supabase schema folder) rather than configured. */
export function schemaPathSource(context: ConfigContext, environment?: EnvironmentConfig): { path: string; detected: boolean } | undefined {
  const { config } = context;
  const written = environment?.schemaPath ?? config?.schemaPath;
  const base = config?.dir ?? context.cwd;
  if (config && written !== undefined) return { path: relative(context.cwd, resolve(base, written)) || '.', detected: false };
  const found = supabaseSchemaDir(base);
  return found === undefined ? undefined : { path: relative(context.cwd, resolve(base, found)) || '.', detected: true };
}

function layersFor(context: ConfigContext, environment: EnvironmentConfig | undefined): Layer[] {
  const processLayer: Layer = {
    values: definedValues(context.env),
    describe: (key) => `${key} in the environment`,
    origin: 'environment variable',
    baseDir: context.cwd,
    cwd: context.cwd,
  };
  if (!environment || !context.config) return [processLayer];
  const fileName = envFileName(environment.name);
  const fileValues = readEnvFile(envFilePath(context.config.dir, environment.name)) ?? {};
  const fileLayer: Layer = { values: fileValues, describe: (key) => `${key} in ${fileName}`, origin: 'env file', baseDir: context.config.dir, cwd: context.cwd };
  return [processLayer, fileLayer];
}

function definedValues(env: NodeJS.ProcessEnv): EnvValues {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) values[key] = value;
  return values;
}

function value(layer: Layer, key: string): string | undefined {
  const raw = layer.values[key]?.trim();
  return raw ? raw : undefined;
}

type Found = Pick<ResolvedDatabase, 'url' | 'kind' | 'origin' | 'source'>;

function databaseFrom(layers: Layer[]): Found | undefined {
  for (const layer of layers) {
    const found = fromLayer(layer, ['DATABASE_URL', 'POSTGRES_URL'], 'SQLITE_DB_PATH', 'LIBSQL_URL');
    if (found) return found;
  }
  return undefined;
}

function shadowFrom(layers: Layer[]): ShadowSettings {
  let shadow: ShadowSettings = {};
  for (const layer of layers) {
    const found = fromLayer(layer, ['SHADOW_DATABASE_URL', 'POSTGRES_SHADOW_URL'], 'SQLITE_SHADOW_DB_PATH');
    if (found) {
      shadow = { url: found.url, kind: found.kind, source: found.source };
      break;
    }
  }
  const schemaLayer = layers.find((layer) => value(layer, 'SHADOW_SCHEMA'));
  if (schemaLayer) shadow.schema = value(schemaLayer, 'SHADOW_SCHEMA');
  return shadow;
}

function fromLayer(layer: Layer, urlKeys: string[], sqliteKey: string, libsqlKey?: string): Found | undefined {
  const base = { origin: layer.origin };
  for (const key of urlKeys) {
    const url = value(layer, key);
    if (url) return { ...base, url: rebase(url, layer), kind: kindOfUrl(url), source: layer.describe(key) };
  }
  const sqlite = value(layer, sqliteKey);
  if (sqlite) return { ...base, url: rebasePath(sqlite, layer), kind: 'sqlite', source: layer.describe(sqliteKey) };
  const libsql = libsqlKey ? value(layer, libsqlKey) : undefined;
  if (libsqlKey && libsql) {
    const token = value(layer, 'LIBSQL_AUTH_TOKEN');
    const url = token ? `${libsql}${libsql.includes('?') ? '&' : '?'}authToken=${encodeURIComponent(token)}` : libsql;
    return { ...base, url, kind: 'libsql', source: layer.describe(libsqlKey) };
  }
  return undefined;
}

export function kindOfUrl(url: string): DatabaseKind {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  if (scheme === 'libsql') return 'libsql';
  if (scheme === 'sqlite' || scheme === 'sqlite3' || scheme === 'file') return 'sqlite';
  // `:memory:` and plain SQLite file paths (app.db, data/app.sqlite3).
  if (url.trim() === ':memory:' || (!scheme && /\.(db|sqlite|sqlite3)$/i.test(url.trim()))) return 'sqlite';
  return 'postgres';
}

/** pglite://RELATIVE from an env file is relative to that file's directory; printed relative to the cwd. */
function rebase(url: string, layer: Layer): string {
  const sqlite = /^(sqlite3?|file):(?!\/\/)(.+)$/i.exec(url);
  if (sqlite) return `${sqlite[1]}:${rebasePath(sqlite[2]!, layer)}`;
  const match = /^pglite:\/\/(.+)$/i.exec(url);
  if (!match || match[1] === 'memory') return url;
  return `pglite://${rebasePath(match[1]!, layer)}`;
}

function rebasePath(path: string, layer: Layer): string {
  if (isAbsolute(path) || path === ':memory:' || resolve(layer.baseDir) === resolve(layer.cwd)) return path;
  return relative(layer.cwd, resolve(layer.baseDir, path)) || '.';
}
