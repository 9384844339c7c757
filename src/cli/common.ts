// Pieces shared by several commands.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError, redact } from '../errors.js';
import {
  ledgerSchemaProblem,
  loadConfigContext,
  resolveDatabase,
  resolveFilter,
  resolveShadow,
  schemaPathSource,
  selectEnvironment,
  type ConfigContext,
  type DatabaseRequest,
  type EnvironmentConfig,
  type FilterSettings,
  type ResolvedDatabase,
  type ShadowSettings,
} from '../config/index.js';
import { globProblem, presetProblem } from '../schema/filter.js';
import { EMBEDDED_POSTGRES_MAJOR } from '../shadow/engine.js';
import { isDuration } from '../config/duration.js';
import type { LoadedSource, LoadSourceOptions, NormalizeOptions, ProveOptions, SchemaFilter, SeedProvider } from '../index.js';
import { info, warn } from './output.js';

/** The library, loaded when a command runs: `--help` and `--version` stay fast. */
let loaded = false;
export const lib = (): Promise<typeof import('../index.js')> => {
  loaded = true;
  return import('../index.js');
};
export const libraryLoaded = (): boolean => loaded;

/**
 * What reading one side of a plan or diff needs: the source loaders and the
 * seed provider, not the whole library (apply, export, SQLite, the proofs:
 * ~60 modules, ~30 ms of start-up here).
 */
export const sourcesLib = async (): Promise<typeof import('../shadow/sources.js') & typeof import('../shadow/seed.js')> => {
  loaded = true;
  const [sources, seed] = await Promise.all([import('../shadow/sources.js'), import('../shadow/seed.js')]);
  return { ...sources, ...seed };
};

/** lockplane.toml (if any) and the process environment, read once per command. */
let context: ConfigContext | undefined;
export function configContext(): ConfigContext {
  context ??= loadConfigContext();
  return context;
}

/** The first database a command resolved: its environment's shadow is the one used. */
let active: ResolvedDatabase | undefined;

/**
 * Where desired schemas are normalized and plans proven. `protect` lists the
 * databases the command works on: a shadow that is one of them is refused.
 */
export function normalizeOptions(protect: readonly string[] = []): NormalizeOptions {
  const shadow = active?.shadow ?? defaultShadow();
  if (!shadow.url) return {};
  if (shadow.kind !== 'postgres') throw notSupported(shadow.source ?? 'the shadow', shadow.url);
  const databaseUrl = active?.url;
  return { shadowUrl: shadow.url, protect: [...protect, ...(databaseUrl ? [databaseUrl] : [])] };
}

/**
 * Desired schemas are normalized in the shadow; the embedded one is Postgres
 * 18. A database of another major version prints view and function
 * definitions differently (e.g. 16+ drops the table qualification of a
 * single-table view), so those would show as changed after every apply.
 */
export function warnOnEngineMismatch(database: { serverVersion?: number }, desired: { kind: string }): void {
  if (desired.kind === 'database' || !database.serverVersion || normalizeOptions().shadowUrl) return;
  const major = Math.floor(database.serverVersion / 10000);
  if (major === EMBEDDED_POSTGRES_MAJOR) return;
  warn(
    `the desired schema is normalized in the embedded Postgres ${EMBEDDED_POSTGRES_MAJOR}, the database is Postgres ${major}: ` +
      `views and functions may show as changed after every apply; set SHADOW_DATABASE_URL to an empty database on a Postgres ${major} server`,
  );
}

function reservationExists(): boolean {
  const ctx = configContext();
  return existsSync(join(ctx.config?.dir ?? ctx.cwd, '.lockplane', 'shadow.json')); // RESERVATION_FILE, without loading the library
}

/**
 * Where `apply` proves a plan: the shadow of normalizeOptions, or with
 * SHADOW_SCHEMA a schema in SHADOW_DATABASE_URL's database, else in the target's.
 */
export function proveOptions(targetUrl: string, filter: SchemaFilter, seed?: readonly string[]): ProveOptions {
  const shadow = active?.shadow ?? defaultShadow();
  const targetSchemas = filter.schemas;
  const scope = { ...filter, ...(seed ? { seed } : {}) };
  // A shadow reserved by `shadow prepare` holds the ORM's schema: proving there would wipe it.
  if ((shadow.url || shadow.schema) && reservationExists()) {
    info('The configured shadow is reserved by `lockplane shadow prepare`: proving on an in-memory PGlite instead');
    return scope;
  }
  if (!shadow.schema) return { ...normalizeOptions([targetUrl]), ...scope };
  if (shadow.url && shadow.kind !== 'postgres') throw notSupported(shadow.source ?? 'the shadow', shadow.url);
  return {
    ...scope,
    shadowSchema: { schema: shadow.schema, url: shadow.url ?? targetUrl, targetUrl, ...(targetSchemas ? { targetSchemas } : {}) },
  };
}

function defaultShadow(): ShadowSettings {
  const ctx = configContext();
  return resolveShadow(ctx, selectEnvironment(ctx, undefined, 'default_environment'));
}

export interface SourceScope {
  /** Default: the command's filter for the environment in use. */
  filter?: SchemaFilter;
  /** Where a file source's references to filtered-out objects come from; default: the command's database, when it is one. */
  seedFrom?: SeedProvider;
  /** Default: printed at once. */
  onWarning?: (message: string) => void;
  /** For a database: called once connected, before the catalog is read. */
  onConnected?: () => void;
}

export async function loadSourceFor(spec: string, scope: SourceScope = {}, protect: readonly string[] = []): Promise<LoadedSource> {
  const filter = scope.filter ?? commandFilter();
  const shadowOptions = normalizeOptions([...protect, spec]);
  const database = await import('../shadow/database-source.js');
  if (database.isDatabaseUrl(spec)) {
    return database.loadDatabaseSource(spec, { ...filter, onWarning: scope.onWarning ?? warn, ...(scope.onConnected ? { onConnected: scope.onConnected } : {}) });
  }
  const lp = await sourcesLib();
  const seedFrom = scope.seedFrom ?? (active && lp.isDatabaseUrl(active.url) ? lp.seedFromUrl(active.url, filter) : undefined);
  return lp.loadSource(spec, { ...shadowOptions, ...filter, ...(seedFrom ? { seedFrom } : {}), onWarning: scope.onWarning ?? warn });
}

/** --exclude-schema, --include, --exclude and --preset of the running command (validated). */
let filterFlags: FilterSettings = {};

export interface FilterOptionValues {
  excludeSchema?: string[];
  include?: string[];
  exclude?: string[];
  preset?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value.split(',').map((s) => s.trim()),
];

/** The filter flags of commands that read databases; each replaces the lockplane.toml key of the same name. */
export function addFilterOptions(command: Command): Command {
  return command
    .option('--exclude-schema <names>', 'leave these schemas alone: not read, planned or dropped (comma-separated, repeatable)', collect)
    .option('--include <globs>', 'manage only objects whose SCHEMA.NAME matches one of these globs, e.g. "public.*" (comma-separated, repeatable)', collect)
    .option('--exclude <globs>', 'leave objects whose SCHEMA.NAME matches one of these globs alone, e.g. "public.tmp_*" (comma-separated, repeatable)', collect)
    .option('--preset <name>', 'a ready filter: supabase (its platform schemas: auth, storage, …), or none');
}

export function useFilterFlags(values: FilterOptionValues): void {
  const flags: FilterSettings = {};
  if (values.excludeSchema) {
    if (values.excludeSchema.some((s) => s === '')) throw new InputError('--exclude-schema: empty schema name');
    flags.excludeSchemas = values.excludeSchema;
  }
  for (const key of ['include', 'exclude'] as const) {
    const globs = values[key];
    if (!globs) continue;
    const problem = globs.map(globProblem).find((p) => p !== undefined);
    if (problem) throw new InputError(`--${key}: ${problem}`);
    flags[key] = globs;
  }
  if (values.preset !== undefined) {
    const problem = presetProblem(values.preset);
    if (problem) throw new InputError(`--preset: ${problem}`);
    flags.preset = values.preset;
  }
  filterFlags = flags;
}

/** What the command manages: flags, else `environment`'s keys (default: the environment in use), else the top level's. */
export function commandFilter(environment?: EnvironmentConfig): SchemaFilter {
  const ctx = configContext();
  const chosen = environment ?? active?.environment ?? (ctx.config ? selectEnvironment(ctx, undefined, 'default_environment') : undefined);
  return resolveFilter(ctx.config, chosen, filterFlags, ctx.config?.dir ?? ctx.cwd);
}

/**
 * Resolves the database a command reads or changes (flag > environment
 * variables > .env.NAME > embedded, see README "Configuration"), says on
 * stderr which one it picked when that was not a plain flag, and refuses
 * databases Lockplane cannot use yet.
 */
export function databaseFor(request: DatabaseRequest): ResolvedDatabase {
  const ctx = configContext();
  const database = resolveDatabase(request, ctx);
  report(database, request);
  active ??= database;
  return database;
}

/**
 * The command works on SQLite: lockplane.toml says `dialect = "sqlite"`, or
 * a database it names is SQLite/libSQL, or a JSON schema it names says
 * `"dialect": "sqlite"`.
 */
export function isSqliteCommand(databases: readonly ResolvedDatabase[]): boolean {
  const sqlite = configContext().config?.dialect === 'sqlite' || databases.some((d) => d.kind !== 'postgres' || declaresSqlite(d.url));
  // Flags that would scope Postgres schemas must not be silently ignored: SQLite has one schema.
  const scoping = Object.keys(filterFlags);
  if (sqlite && scoping.length > 0) {
    const flags: Record<string, string> = { excludeSchemas: '--exclude-schema', include: '--include', exclude: '--exclude', preset: '--preset' };
    const flag = flags[scoping[0]!] ?? scoping[0];
    throw new InputError(`${flag}: not available for SQLite/libSQL (one schema, main: every table is managed)`);
  }
  return sqlite;
}

/** A JSON schema file that says `"dialect": "sqlite"`. */
function declaresSqlite(path: string): boolean {
  if (!path.toLowerCase().endsWith('.json') || !existsSync(path)) return false;
  try {
    return /"dialect"\s*:\s*"sqlite"/.test(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

/** SQLITE_SHADOW_DB_PATH of the environment in use, when set (else SQLite commands use :memory:). */
export function sqliteShadowPath(): string | undefined {
  const shadow = active?.shadow ?? defaultShadow();
  return shadow.url && shadow.kind === 'sqlite' ? shadow.url : undefined;
}

/** The database `apply` changes: --target / --target-environment. */
export function targetFor(url: string | undefined, environment?: string): ResolvedDatabase {
  return databaseFor({ url, urlFlag: '--target', environment, environmentFlag: '--target-environment' });
}

/** The ledger schema: --ledger-schema, else the database's lockplane.toml `ledger_schema`, else the default. */
export function ledgerSchemaFor(flag: string | undefined, database: ResolvedDatabase): string | undefined {
  if (flag === undefined) return database.ledgerSchema;
  const problem = ledgerSchemaProblem(flag);
  if (problem) throw new InputError(`--ledger-schema: ${problem}`);
  return flag;
}

export const LEDGER_SCHEMA_OPTION = ['--ledger-schema <name>', 'schema of the apply ledger (default: lockplane.toml ledger_schema, else lockplane)'] as const;

/** The target of a command that works on Postgres only (status, history, shadow): SQLite is bad input, said so. */
export function postgresTargetFor(command: string, url: string | undefined, environment?: string): ResolvedDatabase {
  const target = targetFor(url, environment);
  if (isSqliteCommand([target])) throw new InputError(`${command} is not available for SQLite/libSQL databases yet (${redact(target.url)} from ${target.source})`);
  return target;
}

/** schema_path from lockplane.toml (the environment's, else the top level), relative to the cwd. */
export function configuredSchemaPath(environment: string | undefined, environmentFlag: string): string | undefined {
  const ctx = configContext();
  const found = schemaPathSource(ctx, selectEnvironment(ctx, environment, environmentFlag));
  if (found?.detected) info(`Using ${found.path}: the Supabase schema folder (no schema_path configured)`);
  else if (found) info(`Using schema_path ${found.path} from ${ctx.config?.label ?? 'lockplane.toml'}`);
  return found?.path;
}

/** The database (or schema source) of one side of a plan or diff: an explicit source, or an environment's database. */
export async function loadSideFor(request: DatabaseRequest): Promise<LoadedSource & { url: string }> {
  return loadResolvedSide(databaseFor(request));
}

export async function loadResolvedSide(database: ResolvedDatabase, events: Pick<SourceScope, 'onWarning' | 'onConnected'> = {}): Promise<LoadedSource & { url: string }> {
  // A database side is filtered as its environment says; a file side like the command's database.
  const isDatabase = (await import('../shadow/database-source.js')).isDatabaseUrl(database.url);
  return { ...(await loadSourceFor(database.url, { filter: commandFilter(isDatabase ? database.environment : undefined), ...events })), url: database.url };
}

/**
 * Both sides of a plan or diff. Two server databases are read at once, each
 * on its own connection: the server reads both catalogs while the client
 * parses. Any other pair is read in turn, as before (file sides share the
 * shadow; a pglite:// directory admits one opener). Reported as if in turn:
 * the first side's failure wins, its warnings print first. `whileReading`
 * runs once the first connection is open (at once for other sources): the
 * command loads what it needs next while the server works.
 */
export async function loadResolvedSides(from: ResolvedDatabase, to: ResolvedDatabase, whileReading?: () => void): Promise<[LoadedSource & { url: string }, LoadedSource & { url: string }]> {
  const onServer = (d: ResolvedDatabase): boolean => /^postgres(ql)?:\/\//i.test(d.url.trim());
  if (!onServer(from) || !onServer(to)) {
    whileReading?.();
    return [await loadResolvedSide(from), await loadResolvedSide(to)];
  }
  const held: string[] = [];
  let started = false;
  const onConnected = (): void => {
    if (!started) whileReading?.();
    started = true;
  };
  const [first, second] = await Promise.allSettled([loadResolvedSide(from, { onConnected }), loadResolvedSide(to, { onWarning: (message) => held.push(message), onConnected })]);
  if (first.status === 'rejected') throw first.reason;
  for (const message of held) warn(message);
  if (second.status === 'rejected') throw second.reason;
  return [first.value, second.value];
}

function report(database: ResolvedDatabase, request: DatabaseRequest): void {
  const url = redact(database.url);
  if (database.origin === 'embedded') {
    info(`Using the embedded database ${url} (no lockplane.toml, ${request.urlFlag} or DATABASE_URL given)`);
  } else if (database.origin === 'flag' && request.environment === undefined) {
    return;
  } else if (database.environment) {
    const description = database.environment.description ? ` (${database.environment.description})` : '';
    info(`Environment ${database.environment.name}${description}: ${url} from ${database.source}`);
  } else {
    info(`Database ${url} from ${database.source}`);
  }
}

function notSupported(source: string, url: string): InputError {
  return new InputError(`${redact(url)} (from ${source}) is a SQLite/libSQL database: SQLite is not supported yet; use a Postgres or pglite:// URL`);
}

export type HazardAllowance = Set<string> | 'all';

export function parseAllowHazards(value: string | undefined): HazardAllowance {
  if (!value) return new Set();
  const codes = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (codes.some((c) => c.toLowerCase() === 'all')) return 'all';
  for (const code of codes) {
    if (!/^LP\d{3}$/.test(code)) throw new InputError(`--allow-hazards: ${code} is not a hazard code (expected e.g. LP202, or all)`);
  }
  return new Set(codes);
}

/** A Postgres duration flag (`500ms`, `5s`, `2min`), checked before any database sees it. */
export function parseDuration(flag: string, value: string): string {
  if (!isDuration(value)) throw new InputError(`${flag}: expected a duration like 500ms, 5s or 2min, got ${JSON.stringify(value)}`);
  return value;
}

export function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${flag}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}

/** Runs a step that reads the desired schema's rename intent: its bad-input errors name that source. */
export function againstSource<T>(label: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${label}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Forgets the configuration, databases and filter flags of the last command: the MCP server runs many in one process. */
export function resetCommandState(): void {
  context = undefined;
  active = undefined;
  filterFlags = {};
}
