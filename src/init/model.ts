// What `lockplane init` sets up for one environment, however it was asked
// (wizard or flags): the database, its shadow, and where the schema lives.

export const DB_TYPES = ['postgres', 'pglite', 'sqlite', 'libsql'] as const;
export type DbType = (typeof DB_TYPES)[number];

export const DB_TYPE_LABELS: Record<DbType, string> = {
  postgres: 'Postgres',
  pglite: 'Embedded Postgres (PGlite directory)',
  sqlite: 'SQLite',
  libsql: 'libSQL / Turso',
};

/** Where Lockplane normalizes schemas and proves plans for this environment. */
export type ShadowSetup =
  | { strategy: 'embedded' }
  | { strategy: 'database'; url: string }
  | { strategy: 'schema'; schema: string }
  | { strategy: 'file'; path: string };

export interface EnvironmentSetup {
  name: string;
  description?: string;
  /** Relative to the directory of lockplane.toml. */
  schemaPath: string;
  /** A filter preset (see schema/filter.ts), e.g. `supabase`. */
  preset?: string;
  /** lockplane.toml `schemas`: needed when the shadow is a schema in the environment's own database. */
  schemas?: string[];
  dbType: DbType;
  /** postgres:// for Postgres, pglite://PATH, sqlite:PATH, or the libSQL URL. */
  databaseUrl: string;
  /** libSQL only. */
  authToken?: string;
  shadow: ShadowSetup;
}

export const DEFAULT_ENVIRONMENT = 'local';
export const DEFAULT_SCHEMA_PATH = 'schema';
export const DEFAULT_SHADOW_SCHEMA = 'lockplane_shadow';
export const DEFAULT_PGLITE_PATH = '.lockplane/pglite';

/** Environment names become TOML keys and file names (.env.NAME): keep them plain. */
const ENVIRONMENT_NAME = /^[A-Za-z0-9_-]+$/;

export function environmentNameProblem(name: string): string | undefined {
  if (!ENVIRONMENT_NAME.test(name)) return `"${name}" is not a valid environment name (letters, digits, _ and - only)`;
  if (name === 'example') return '"example" is reserved: .env.example holds the placeholder keys';
  return undefined;
}

/** The .env.NAME lines of an environment, in order. */
export function envEntries(setup: EnvironmentSetup): [key: string, value: string][] {
  const entries: [string, string][] = [];
  if (setup.dbType === 'libsql') {
    entries.push(['LIBSQL_URL', setup.databaseUrl]);
    if (setup.authToken) entries.push(['LIBSQL_AUTH_TOKEN', setup.authToken]);
  } else {
    entries.push(['DATABASE_URL', setup.databaseUrl]);
  }
  const { shadow } = setup;
  if (shadow.strategy === 'database') entries.push(['SHADOW_DATABASE_URL', shadow.url]);
  if (shadow.strategy === 'schema') entries.push(['SHADOW_SCHEMA', shadow.schema]);
  if (shadow.strategy === 'file') entries.push(['SQLITE_SHADOW_DB_PATH', shadow.path]);
  return entries;
}

/** Every key the config layer reads for a database: the ones init manages in .env.NAME. */
export const MANAGED_ENV_KEYS = [
  'DATABASE_URL',
  'POSTGRES_URL',
  'SHADOW_DATABASE_URL',
  'POSTGRES_SHADOW_URL',
  'SHADOW_SCHEMA',
  'SQLITE_DB_PATH',
  'SQLITE_SHADOW_DB_PATH',
  'LIBSQL_URL',
  'LIBSQL_AUTH_TOKEN',
] as const;

/** The default shadow file of a SQLite database file: app.db → app_shadow.db. */
export function sqliteShadowPath(path: string): string {
  const match = /^(.*?)(\.[A-Za-z0-9]+)?$/.exec(path);
  return `${match?.[1] ?? path}_shadow${match?.[2] ?? '.db'}`;
}
