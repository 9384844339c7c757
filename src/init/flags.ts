// `lockplane init --yes`: an environment from flags alone. Every value the
// wizard would ask for has a flag; a required one that is missing, or a flag
// that does not fit the database type, is an InputError naming the flag.
import { InputError } from '../errors.js';
import {
  DB_TYPES,
  DEFAULT_ENVIRONMENT,
  DEFAULT_PGLITE_PATH,
  DEFAULT_SCHEMA_PATH,
  DEFAULT_SHADOW_SCHEMA,
  environmentNameProblem,
  sqliteShadowPath,
  type DbType,
  type EnvironmentSetup,
  type ShadowSetup,
} from './model.js';
import { checkPostgresUrl, parsePort, postgresUrl, shadowDatabaseUrl, SSL_MODES, withSslMode, type SslMode } from './postgres-url.js';

export interface InitFlags {
  yes?: boolean;
  force?: boolean;
  supabase?: boolean;
  skipConnectionTest?: boolean;
  envName?: string;
  description?: string;
  dbType?: string;
  schemaPath?: string;
  connectionString?: string;
  host?: string;
  port?: string;
  database?: string;
  user?: string;
  password?: string;
  sslMode?: string;
  shadowDbPort?: string;
  shadowSchema?: string;
  filePath?: string;
  url?: string;
  authToken?: string;
}

/** The flags that describe an environment, with the flag names used in messages. */
export const SETUP_FLAGS = {
  description: '--description',
  dbType: '--db-type',
  schemaPath: '--schema-path',
  connectionString: '--connection-string',
  host: '--host',
  port: '--port',
  database: '--database',
  user: '--user',
  password: '--password',
  sslMode: '--ssl-mode',
  shadowDbPort: '--shadow-db-port',
  shadowSchema: '--shadow-schema',
  filePath: '--file-path',
  url: '--url',
  authToken: '--auth-token',
  supabase: '--supabase',
  skipConnectionTest: '--skip-connection-test',
} as const satisfies Partial<Record<keyof InitFlags, string>>;

type SetupFlag = keyof typeof SETUP_FLAGS;

/** Which flags each database type accepts (besides --env-name, --description, --schema-path). */
const ALLOWED: Record<DbType, readonly SetupFlag[]> = {
  postgres: ['connectionString', 'host', 'port', 'database', 'user', 'password', 'sslMode', 'shadowDbPort', 'shadowSchema'],
  pglite: ['filePath', 'shadowSchema'],
  sqlite: ['filePath'],
  libsql: ['url', 'authToken'],
};

const COMMON: readonly SetupFlag[] = ['description', 'dbType', 'schemaPath', 'supabase', 'skipConnectionTest'];

/** The local Supabase stack (supabase start): its database, schema folder and a shadow schema. */
const SUPABASE = {
  envName: 'supabase',
  description: 'Local Supabase',
  host: '127.0.0.1',
  port: '54322',
  database: 'postgres',
  user: 'postgres',
  password: 'postgres',
  sslMode: 'disable',
  schemaPath: 'supabase/schema',
  shadowSchema: DEFAULT_SHADOW_SCHEMA,
} as const;

export function setupFromFlags(given: InitFlags): EnvironmentSetup {
  if (given.supabase && given.connectionString !== undefined) {
    throw new InputError('--supabase sets the connection itself: leave out --connection-string (or use --host/--port to change it)');
  }
  if (given.supabase && given.dbType !== undefined && given.dbType !== 'postgres') {
    throw new InputError('--supabase is a Postgres preset: leave out --db-type');
  }
  const flags = given.supabase ? supabaseFlags(given) : given;
  const dbType = dbTypeOf(flags.dbType);
  const unfit = (Object.keys(SETUP_FLAGS) as SetupFlag[]).find(
    (key) => flags[key] !== undefined && flags[key] !== false && !COMMON.includes(key) && !ALLOWED[dbType].includes(key),
  );
  if (unfit) throw new InputError(`${SETUP_FLAGS[unfit]} does not apply to --db-type ${dbType}`);

  const name = flags.envName ?? DEFAULT_ENVIRONMENT;
  const problem = environmentNameProblem(name);
  if (problem) throw new InputError(`--env-name: ${problem}`);
  if (flags.shadowDbPort !== undefined && flags.shadowSchema !== undefined) {
    throw new InputError('--shadow-db-port and --shadow-schema: choose one shadow (a separate database, or a schema in the same one)');
  }
  const base = {
    name,
    ...(flags.description ? { description: flags.description } : name === DEFAULT_ENVIRONMENT ? { description: 'Local development' } : {}),
    schemaPath: schemaPathOf(flags.schemaPath),
    // Supabase's platform schemas (auth, storage, …) are not the project's: never introspected nor dropped.
    ...(given.supabase ? { preset: 'supabase' } : {}),
  };
  switch (dbType) {
    case 'postgres': {
      const databaseUrl = postgresUrlFromFlags(flags);
      const shadow = postgresShadow(flags, databaseUrl);
      // A shadow schema in the Supabase database itself: Lockplane must not manage it, so it manages public only.
      const scope = given.supabase && shadow.strategy === 'schema' ? { schemas: ['public'] } : {};
      return { ...base, ...scope, dbType, databaseUrl, shadow };
    }
    case 'pglite': {
      const path = nonEmpty(flags.filePath, '--file-path') ?? DEFAULT_PGLITE_PATH;
      return { ...base, dbType, databaseUrl: `pglite://${path}`, shadow: schemaShadow(flags) };
    }
    case 'sqlite': {
      const path = required(flags.filePath, '--file-path', 'the SQLite database file');
      return { ...base, dbType, databaseUrl: `sqlite:${path}`, shadow: { strategy: 'file', path: sqliteShadowPath(path) } };
    }
    case 'libsql': {
      const url = required(flags.url, '--url', 'the libSQL / Turso database URL (libsql://…)');
      if (!/^(libsql|https?|wss?):\/\//i.test(url)) throw new InputError(`--url: expected a libsql://, https:// or wss:// URL, got ${JSON.stringify(url)}`);
      const token = nonEmpty(flags.authToken, '--auth-token');
      return { ...base, dbType, databaseUrl: url, ...(token ? { authToken: token } : {}), shadow: { strategy: 'file', path: 'lockplane_shadow.db' } };
    }
  }
}

/** The preset's values, overridden by the flags given; a separate shadow database replaces its shadow schema. */
function supabaseFlags(given: InitFlags): InitFlags {
  const preset: InitFlags = { ...SUPABASE };
  if (given.shadowDbPort !== undefined) delete preset.shadowSchema;
  return { ...preset, ...defined(given) };
}

function defined(flags: InitFlags): InitFlags {
  return Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined)) as InitFlags;
}

function dbTypeOf(value: string | undefined): DbType {
  if (value === undefined) return 'postgres';
  if ((DB_TYPES as readonly string[]).includes(value)) return value as DbType;
  throw new InputError(`--db-type: expected one of ${DB_TYPES.join(', ')}, got ${JSON.stringify(value)}`);
}

function schemaPathOf(value: string | undefined): string {
  const path = nonEmpty(value, '--schema-path') ?? DEFAULT_SCHEMA_PATH;
  return path.replace(/\\/g, '/').replace(/\/+$/, '') || '.';
}

function postgresUrlFromFlags(flags: InitFlags): string {
  const sslMode = flags.sslMode === undefined ? undefined : sslModeOf(flags.sslMode);
  if (flags.connectionString !== undefined) {
    const fieldFlag = (['host', 'port', 'database', 'user', 'password'] as const).find((key) => flags[key] !== undefined);
    if (fieldFlag) throw new InputError(`${SETUP_FLAGS[fieldFlag]} and --connection-string: give the connection one way, not both`);
    const url = checkPostgresUrl(flags.connectionString, '--connection-string');
    return sslMode ? withSslMode(url, sslMode) : url;
  }
  const database = flags.database;
  if (database === undefined || database === '') {
    throw new InputError('--database is required with --yes for a Postgres database (or pass --connection-string, or --supabase)');
  }
  return postgresUrl({
    host: nonEmpty(flags.host, '--host') ?? 'localhost',
    port: flags.port === undefined ? 5432 : parsePort(flags.port, '--port'),
    database,
    user: nonEmpty(flags.user, '--user') ?? 'postgres',
    ...(flags.password ? { password: flags.password } : {}),
    ...(sslMode ? { sslMode } : {}),
  });
}

function postgresShadow(flags: InitFlags, databaseUrl: string): ShadowSetup {
  if (flags.shadowDbPort !== undefined) {
    return { strategy: 'database', url: shadowDatabaseUrl(databaseUrl, parsePort(flags.shadowDbPort, '--shadow-db-port')) };
  }
  return schemaShadow(flags);
}

function schemaShadow(flags: InitFlags): ShadowSetup {
  const schema = nonEmpty(flags.shadowSchema, '--shadow-schema');
  return schema ? { strategy: 'schema', schema } : { strategy: 'embedded' };
}

function sslModeOf(value: string): SslMode {
  if ((SSL_MODES as readonly string[]).includes(value)) return value as SslMode;
  throw new InputError(`--ssl-mode: expected one of ${SSL_MODES.join(', ')}, got ${JSON.stringify(value)}`);
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new InputError(`${flag}: empty value`);
  return value.trim();
}

function required(value: string | undefined, flag: string, what: string): string {
  const given = nonEmpty(value, flag);
  if (given === undefined) throw new InputError(`${flag} is required with --yes: ${what}`);
  return given;
}
