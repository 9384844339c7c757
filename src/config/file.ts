// lockplane.toml: project settings, never secrets. Parsed with smol-toml and
// checked key by key; every problem is one InputError (exit 2) of the form
// `lockplane.toml:LINE:COL: message`.
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { InputError } from '../errors.js';
import { globProblem, presetProblem } from '../schema/filter.js';
import { envFileName } from './env-file.js';
import { locateKey } from './locate.js';
import { ledgerSchemaProblem } from '../dialects/postgres/introspect/scope.js';

export type Dialect = 'postgres' | 'sqlite';

/** What Lockplane manages (see schema/filter.ts); each key of an environment overrides the top level's. */
export interface FilterSettings {
  schemas?: string[];
  excludeSchemas?: string[];
  include?: string[];
  exclude?: string[];
  preset?: string;
}

export interface EnvironmentConfig extends FilterSettings {
  name: string;
  /** The schema apply keeps its ledger in (default `lockplane`). */
  ledgerSchema?: string;
  description?: string;
  /** As written, relative to the config file's directory. */
  schemaPath?: string;
}

export interface ProjectConfig extends FilterSettings {
  /** Absolute path of lockplane.toml. */
  path: string;
  /** How messages name it: relative to the current directory. */
  label: string;
  /** Its directory: `.env.NAME` files and relative schema paths are found here. */
  dir: string;
  defaultEnvironment?: string;
  schemaPath?: string;
  dialect?: Dialect;
  ledgerSchema?: string;
  environments: ReadonlyMap<string, EnvironmentConfig>;
}

type Table = Record<string, unknown>;

const FILTER_KEYS = ['schemas', 'exclude_schemas', 'include', 'exclude', 'preset'];
const TOP_KEYS = ['default_environment', 'schema_path', 'dialect', 'ledger_schema', ...FILTER_KEYS, 'environments'];
const ENVIRONMENT_KEYS = ['description', 'schema_path', 'ledger_schema', ...FILTER_KEYS];
const SECRET_KEY = /(^|_)(url|uri|dsn|password|passwd|pwd|secret|token|auth_token)$|password|secret|database_url|db_path/i;

export function loadConfigFile(path: string, cwd: string = process.cwd()): ProjectConfig {
  return parseConfig(readFileSync(path, 'utf8'), path, relative(cwd, path) || path);
}

/** Parses and checks the text of a lockplane.toml; `label` is how errors name the file. */
export function parseConfig(text: string, path: string, label = 'lockplane.toml'): ProjectConfig {
  const fail = (keyPath: string[], message: string): never => {
    const { line, column } = locateKey(text, keyPath);
    throw new InputError(`${label}:${line}:${column}: ${message}`);
  };
  const root = parseToml(text, label);
  checkKeys(root, [], TOP_KEYS, fail, root);
  const config: ProjectConfig = {
    path,
    label,
    dir: dirname(path),
    defaultEnvironment: optionalString(root, [], 'default_environment', fail),
    schemaPath: optionalString(root, [], 'schema_path', fail),
    dialect: dialectOf(root, fail),
    ledgerSchema: ledgerSchemaOf(root, [], fail),
    ...filterSettings(root, [], fail),
    environments: environmentsOf(root, fail),
  };
  const wanted = config.defaultEnvironment;
  if (wanted !== undefined && !config.environments.has(wanted)) {
    fail(['default_environment'], `default_environment "${wanted}" is not defined: ${knownEnvironments(config)}`);
  }
  return config;
}

export function knownEnvironments(config: ProjectConfig): string {
  const names = [...config.environments.keys()];
  return names.length === 0
    ? `${config.label} defines no [environments.NAME]`
    : `known environments: ${names.join(', ')}`;
}

type Fail = (keyPath: string[], message: string) => never;

function parseToml(text: string, label: string): Table {
  try {
    return parse(text) as Table;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const message = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
    throw new InputError(`${label}:${error.line}:${error.column}: ${message}`);
  }
}

function tableName(path: string[]): string {
  return path.length === 0 ? 'the top level' : `[${path.join('.')}]`;
}

function checkKeys(table: Table, path: string[], allowed: string[], fail: Fail, root: Table): void {
  for (const key of Object.keys(table)) {
    if (allowed.includes(key)) continue;
    const where = tableName(path);
    if (SECRET_KEY.test(key)) {
      const environment = path[0] === 'environments' && path[1] ? path[1] : defaultName(root);
      fail([...path, key], `"${key}" in ${where}: no secrets in lockplane.toml; move it to ${envFileName(environment)} (as ${envKeyFor(key)})`);
    }
    fail([...path, key], `unknown key "${key}" in ${where} (expected one of: ${allowed.join(', ')})`);
  }
}

function defaultName(root: Table): string {
  const value = root.default_environment;
  return typeof value === 'string' ? value : 'NAME';
}

function envKeyFor(key: string): string {
  const upper = key.toUpperCase();
  return /URL$|PATH$|TOKEN$|SCHEMA$/.test(upper) ? upper : 'DATABASE_URL';
}

function optionalString(table: Table, path: string[], key: string, fail: Fail): string | undefined {
  const value = table[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') fail([...path, key], `${key} must be a non-empty string`);
  return value as string;
}

function dialectOf(root: Table, fail: Fail): Dialect | undefined {
  const value = optionalString(root, [], 'dialect', fail);
  if (value === undefined || value === 'postgres' || value === 'sqlite') return value;
  return fail(['dialect'], `dialect must be "postgres" or "sqlite", not ${JSON.stringify(value)}`);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function ledgerSchemaOf(table: Table, path: string[], fail: Fail): string | undefined {
  const value = optionalString(table, path, 'ledger_schema', fail);
  const problem = value === undefined ? undefined : ledgerSchemaProblem(value);
  return problem ? fail([...path, 'ledger_schema'], `ledger_schema: ${problem}`) : value;
}

function optionalSchemas(table: Table, path: string[], fail: Fail): string[] | undefined {
  const value = table.schemas;
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.some((s) => typeof s !== 'string' || s === '')) {
    fail([...path, 'schemas'], 'schemas must be a non-empty array of schema names, e.g. ["public"]');
  }
  return value as string[];
}

function filterSettings(table: Table, path: string[], fail: Fail): FilterSettings {
  const out: FilterSettings = {};
  const schemas = optionalSchemas(table, path, fail);
  if (schemas) out.schemas = schemas;
  const excludeSchemas = stringList(table, path, 'exclude_schemas', 'schema names, e.g. ["audit"]', fail);
  if (excludeSchemas) out.excludeSchemas = excludeSchemas;
  for (const key of ['include', 'exclude'] as const) {
    const globs = stringList(table, path, key, 'globs over SCHEMA.NAME, e.g. ["public.tmp_*"]', fail);
    const bad = globs?.map(globProblem).find((p) => p !== undefined);
    if (bad) fail([...path, key], `${key}: ${bad}`);
    if (globs) out[key] = globs;
  }
  const preset = optionalString(table, path, 'preset', fail);
  const problem = preset === undefined ? undefined : presetProblem(preset);
  if (problem) fail([...path, 'preset'], `preset: ${problem}`);
  if (preset !== undefined) out.preset = preset;
  return out;
}

function stringList(table: Table, path: string[], key: string, what: string, fail: Fail): string[] | undefined {
  const value = table[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string' || s === '')) fail([...path, key], `${key} must be an array of ${what}`);
  return value as string[];
}

function environmentsOf(root: Table, fail: Fail): Map<string, EnvironmentConfig> {
  const environments = new Map<string, EnvironmentConfig>();
  const value = root.environments;
  if (value === undefined) return environments;
  if (!isTable(value)) return fail(['environments'], 'environments must be a table of [environments.NAME] sections');
  for (const [name, body] of Object.entries(value)) {
    const path = ['environments', name];
    if (!isTable(body)) fail(path, `environments.${name} must be a table ([environments.${name}])`);
    const table = body as Table;
    checkKeys(table, path, ENVIRONMENT_KEYS, fail, root);
    environments.set(name, {
      name,
      description: optionalString(table, path, 'description', fail),
      schemaPath: optionalString(table, path, 'schema_path', fail),
      ...optional('ledgerSchema', ledgerSchemaOf(table, path, fail)),
      ...filterSettings(table, path, fail),
    });
  }
  return environments;
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
