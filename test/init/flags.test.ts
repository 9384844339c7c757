// `init --yes`: flags to an environment setup, defaults and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setupFromFlags, type InitFlags } from '../../src/init/flags.js';
import { envEntries } from '../../src/init/model.js';
import { InputError } from '../../src/errors.js';
import { parseEnvText } from '../../src/config/index.js';
import { envLine } from '../../src/init/env-text.js';

const yes = (flags: InitFlags) => setupFromFlags({ yes: true, ...flags });

function rejects(flags: InitFlags, pattern: RegExp): void {
  assert.throws(() => yes(flags), (error: unknown) => error instanceof InputError && pattern.test(error.message));
}

test('postgres from fields: password with special characters is URL-escaped and survives the URL parser', () => {
  const setup = yes({ database: 'app', user: 'me', password: 'p@ss:w/rd#' });
  assert.equal(setup.databaseUrl, 'postgresql://me:p%40ss%3Aw%2Frd%23@localhost:5432/app?sslmode=disable');
  const parsed = new URL(setup.databaseUrl);
  assert.equal(decodeURIComponent(parsed.password), 'p@ss:w/rd#');
  assert.equal(parsed.hostname, 'localhost');
  assert.equal(setup.name, 'local');
  assert.equal(setup.description, 'Local development');
  assert.equal(setup.schemaPath, 'schema');
  assert.deepEqual(setup.shadow, { strategy: 'embedded' });
  assert.deepEqual(envEntries(setup), [['DATABASE_URL', setup.databaseUrl]]);
});

test('ssl-mode: disable for localhost and 127.0.0.1, require elsewhere, the flag wins', () => {
  assert.match(yes({ database: 'a', host: '127.0.0.1' }).databaseUrl, /sslmode=disable$/);
  assert.match(yes({ database: 'a', host: 'localhost' }).databaseUrl, /sslmode=disable$/);
  assert.match(yes({ database: 'a', host: 'db.example.com' }).databaseUrl, /@db\.example\.com:5432\/a\?sslmode=require$/);
  assert.match(yes({ database: 'a', host: 'db.example.com', sslMode: 'verify-full' }).databaseUrl, /sslmode=verify-full$/);
  assert.match(yes({ connectionString: 'postgres://u@h/db', sslMode: 'require' }).databaseUrl, /^postgres:\/\/u@h\/db\?sslmode=require$/);
  assert.equal(yes({ connectionString: 'postgres://u@h/db' }).databaseUrl, 'postgres://u@h/db', 'a URL is kept as given');
  rejects({ database: 'a', sslMode: 'sometimes' }, /^--ssl-mode: expected one of disable, /);
});

test('shadow: --shadow-db-port is <database>_shadow on the same host and credentials; --shadow-schema', () => {
  const separate = yes({ database: 'app', host: 'db.internal', port: '6543', user: 'me', password: 'p@ss', shadowDbPort: '6544' });
  assert.deepEqual(separate.shadow, { strategy: 'database', url: 'postgresql://me:p%40ss@db.internal:6544/app_shadow?sslmode=require' });
  assert.deepEqual(envEntries(separate).map(([key]) => key), ['DATABASE_URL', 'SHADOW_DATABASE_URL']);
  const fromUrl = yes({ connectionString: 'postgresql://u:pw@h:5432/shop?sslmode=disable', shadowDbPort: '5433' });
  assert.deepEqual(fromUrl.shadow, { strategy: 'database', url: 'postgresql://u:pw@h:5433/shop_shadow?sslmode=disable' });
  const schema = yes({ database: 'app', shadowSchema: 'lp_shadow' });
  assert.deepEqual(envEntries(schema), [['DATABASE_URL', schema.databaseUrl], ['SHADOW_SCHEMA', 'lp_shadow']]);
  rejects({ database: 'app', shadowSchema: 's', shadowDbPort: '5433' }, /^--shadow-db-port and --shadow-schema: choose one/);
  rejects({ database: 'app', shadowDbPort: 'x' }, /^--shadow-db-port: expected a port number/);
});

test('pglite, sqlite and libsql', () => {
  const pglite = yes({ dbType: 'pglite' });
  assert.equal(pglite.databaseUrl, 'pglite://.lockplane/pglite');
  assert.equal(yes({ dbType: 'pglite', filePath: 'data/db', shadowSchema: 'sh' }).databaseUrl, 'pglite://data/db');
  const sqlite = yes({ dbType: 'sqlite', filePath: 'data/app.db' });
  assert.deepEqual(envEntries(sqlite), [['DATABASE_URL', 'sqlite:data/app.db'], ['SQLITE_SHADOW_DB_PATH', 'data/app_shadow.db']]);
  const libsql = yes({ dbType: 'libsql', url: 'libsql://db-org.turso.io', authToken: 'tok.en' });
  assert.deepEqual(envEntries(libsql), [
    ['LIBSQL_URL', 'libsql://db-org.turso.io'],
    ['LIBSQL_AUTH_TOKEN', 'tok.en'],
    ['SQLITE_SHADOW_DB_PATH', 'lockplane_shadow.db'],
  ]);
});

test('--supabase: the local Supabase stack, overridable flag by flag', () => {
  const setup = setupFromFlags({ supabase: true });
  assert.equal(setup.name, 'supabase');
  assert.equal(setup.databaseUrl, 'postgresql://postgres:postgres@127.0.0.1:54322/postgres?sslmode=disable');
  assert.equal(setup.schemaPath, 'supabase/schema');
  assert.equal(setup.preset, 'supabase', 'the platform schemas are filtered out');
  assert.equal(setupFromFlags({ connectionString: 'postgresql://app@db/app' }).preset, undefined);
  assert.deepEqual(setup.shadow, { strategy: 'schema', schema: 'lockplane_shadow' });
  const other = setupFromFlags({ supabase: true, envName: 'local', port: '54422', shadowDbPort: '54423' });
  assert.equal(other.name, 'local');
  assert.deepEqual(other.shadow, { strategy: 'database', url: 'postgresql://postgres:postgres@127.0.0.1:54423/postgres_shadow?sslmode=disable' });
  assert.throws(() => setupFromFlags({ supabase: true, connectionString: 'postgres://x@y/z' }), /--supabase sets the connection itself/);
  assert.throws(() => setupFromFlags({ supabase: true, dbType: 'sqlite' }), /--supabase is a Postgres preset/);
});

test('missing or misplaced values name the flag', () => {
  rejects({}, /^--database is required with --yes/);
  rejects({ dbType: 'sqlite' }, /^--file-path is required with --yes/);
  rejects({ dbType: 'libsql' }, /^--url is required with --yes/);
  rejects({ dbType: 'libsql', url: 'postgres://x' }, /^--url: expected a libsql:\/\//);
  rejects({ dbType: 'mysql' }, /^--db-type: expected one of postgres, pglite, sqlite, libsql/);
  rejects({ dbType: 'sqlite', filePath: 'a.db', host: 'h' }, /^--host does not apply to --db-type sqlite$/);
  rejects({ dbType: 'pglite', shadowDbPort: '5433' }, /^--shadow-db-port does not apply to --db-type pglite$/);
  rejects({ database: 'app', url: 'libsql://x' }, /^--url does not apply to --db-type postgres$/);
  rejects({ connectionString: 'postgres://u@h/db', host: 'h' }, /^--host and --connection-string: give the connection one way/);
  rejects({ connectionString: 'mysql://u@h/db' }, /^--connection-string: expected a postgres:\/\//);
  rejects({ database: 'app', port: '99999' }, /^--port: expected a port number/);
  rejects({ database: 'app', envName: 'my env' }, /^--env-name: "my env" is not a valid environment name/);
  rejects({ database: 'app', envName: 'example' }, /^--env-name: "example" is reserved/);
  rejects({ database: 'app', host: ' ' }, /^--host: empty value/);
});

test('env lines round-trip through Node\'s env-file parser, whatever the quotes', () => {
  for (const value of ['plain', 'p@ss:w/rd#', 'has "double"', "it's", `both " and '`, 'spaces and # hash']) {
    assert.equal(parseEnvText(envLine('K', value), 'test').K, value, value);
  }
  assert.throws(() => envLine('K', 'a\nb'), InputError);
});
