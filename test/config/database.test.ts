import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.js';
import { EMBEDDED_DATABASE_URL, loadConfigContext, resolveDatabase, type DatabaseRequest, type ResolvedDatabase } from '../../src/config/index.js';
import { tempTree, type TempTree } from './helpers.js';

const TOML = `default_environment = "local"
schema_path = "schema"
schemas = ["public"]

[environments.local]
description = "dev"

[environments.staging]
schema_path = "staging-schema"
schemas = ["app", "public"]
`;

const target = (url?: string, environment?: string): DatabaseRequest => ({
  url,
  urlFlag: '--target',
  environment,
  environmentFlag: '--target-environment',
});

function resolveIn(t: TempTree, request: DatabaseRequest, env: NodeJS.ProcessEnv = {}, cwd = t.dir): ResolvedDatabase {
  return resolveDatabase(request, loadConfigContext(cwd, env));
}

function project(files: Record<string, string> = {}): TempTree {
  return tempTree({ 'package.json': '{}', 'lockplane.toml': TOML, ...files });
}

test('precedence: flag > environment variable > .env.NAME', () => {
  const t = project({ '.env.local': 'DATABASE_URL=pglite://./from-file\n' });
  try {
    const env = { DATABASE_URL: 'pglite://./from-env' };
    const flag = resolveIn(t, target('pglite://./from-flag'), env);
    assert.deepEqual([flag.url, flag.origin, flag.source], ['pglite://./from-flag', 'flag', '--target']);
    assert.equal(flag.environment?.name, 'local', 'the default environment still supplies its settings');
    const fromEnv = resolveIn(t, target(), env);
    assert.deepEqual([fromEnv.url, fromEnv.origin, fromEnv.source], ['pglite://./from-env', 'environment variable', 'DATABASE_URL in the environment']);
    const fromFile = resolveIn(t, target(), {});
    assert.deepEqual([fromFile.url, fromFile.origin, fromFile.source], ['pglite://./from-file', 'env file', 'DATABASE_URL in .env.local']);
  } finally {
    t.cleanup();
  }
});

test('precedence: POSTGRES_URL is DATABASE_URL\'s lower-priority synonym within a layer; the process environment beats the file', () => {
  const t = project({ '.env.local': 'POSTGRES_URL=pglite://./pg-file\nDATABASE_URL=pglite://./db-file\n' });
  try {
    assert.equal(resolveIn(t, target()).url, 'pglite://./db-file');
    assert.equal(resolveIn(t, target(), { POSTGRES_URL: 'pglite://./pg-env' }).url, 'pglite://./pg-env');
    assert.equal(resolveIn(t, target(), { POSTGRES_URL: 'pglite://./pg-env', DATABASE_URL: 'pglite://./db-env' }).url, 'pglite://./db-env');
    assert.equal(resolveIn(t, target(), { DATABASE_URL: '  ' }).url, 'pglite://./db-file', 'a blank variable is unset');
  } finally {
    t.cleanup();
  }
});

test('precedence: nothing configured and no lockplane.toml → the embedded database', () => {
  const t = tempTree({ 'package.json': '{}' });
  try {
    const resolved = resolveIn(t, target());
    assert.deepEqual([resolved.url, resolved.origin], [EMBEDDED_DATABASE_URL, 'embedded']);
    assert.equal(resolveIn(t, target(), { DATABASE_URL: 'postgres://h/db' }).url, 'postgres://h/db');
    assert.equal(resolveIn(t, target(), { POSTGRES_URL: 'postgres://h/pg' }).url, 'postgres://h/pg');
    assert.equal(resolveIn(t, target('postgres://flag/db'), { DATABASE_URL: 'postgres://h/db' }).url, 'postgres://flag/db');
  } finally {
    t.cleanup();
  }
});

test('environments: --target-environment picks .env.NAME; default_environment, else local, is used otherwise', () => {
  const t = project({ '.env.local': 'DATABASE_URL=pglite://./local\n', '.env.staging': 'DATABASE_URL=postgres://u:secret@stage/db\n' });
  try {
    const staging = resolveIn(t, target(undefined, 'staging'));
    assert.equal(staging.url, 'postgres://u:secret@stage/db');
    assert.equal(staging.environment?.name, 'staging');
    assert.deepEqual(staging.schemas, ['app', 'public']);
    assert.equal(staging.schemaPath, 'staging-schema');
    const local = resolveIn(t, target());
    assert.equal(local.url, 'pglite://./local');
    assert.deepEqual(local.schemas, ['public'], 'top-level schemas when the environment has none');
    assert.equal(local.schemaPath, 'schema', 'top-level schema_path when the environment has none');
  } finally {
    t.cleanup();
  }
  const noDefault = tempTree({ '.git/': '', 'lockplane.toml': '[environments.local]\n[environments.other]\n', '.env.local': 'DATABASE_URL=pglite://./l\n' });
  try {
    assert.equal(resolveIn(noDefault, target()).environment?.name, 'local');
  } finally {
    noDefault.cleanup();
  }
});

test('environments: an unknown name is exit 2 naming it and the known ones', () => {
  const t = project();
  try {
    assert.throws(() => resolveIn(t, target(undefined, 'prod')), (error: unknown) =>
      error instanceof InputError && error.message === '--target-environment prod: no [environments.prod] in lockplane.toml (known environments: local, staging)');
  } finally {
    t.cleanup();
  }
  const none = tempTree({ 'package.json': '{}' });
  try {
    assert.throws(() => resolveIn(none, target(undefined, 'local')), /--target-environment local: no lockplane\.toml found/);
  } finally {
    none.cleanup();
  }
});

test('environments: a named environment without a URL names the missing key; no fallback to localhost or the embedded database', () => {
  const t = project({ '.env.staging': '# nothing yet\nSHADOW_SCHEMA=shadow\n' });
  try {
    assert.throws(() => resolveIn(t, target(undefined, 'staging')), (error: unknown) =>
      error instanceof InputError && error.message === 'environment "staging" has no DATABASE_URL: set it in .env.staging or the environment');
    assert.throws(() => resolveIn(t, target()), /^InputError: environment "local" has no DATABASE_URL: set it in \.env\.local or the environment$/);
  } finally {
    t.cleanup();
  }
});

test('a lockplane.toml without a usable environment and no URL anywhere is an error, not the embedded database', () => {
  const t = tempTree({ 'package.json': '{}', 'lockplane.toml': 'schema_path = "schema"\n' });
  try {
    assert.throws(() => resolveIn(t, target()), /no database: lockplane\.toml has no default_environment or \[environments\.local\]/);
    assert.equal(resolveIn(t, target(), { DATABASE_URL: 'pglite://./x' }).url, 'pglite://./x');
  } finally {
    t.cleanup();
  }
});

test('from a subdirectory: lockplane.toml and .env.NAME are found above, relative paths resolve against their directory', () => {
  const t = project({ '.env.local': 'DATABASE_URL=pglite://./db\nSHADOW_DATABASE_URL=postgres://s/db\n', 'app/src/': '' });
  try {
    const resolved = resolveIn(t, target(), {}, t.path('app/src'));
    assert.equal(resolved.url, 'pglite://../../db');
    assert.equal(resolved.schemaPath, '../../schema');
    assert.equal(resolved.shadow.url, 'postgres://s/db');
  } finally {
    t.cleanup();
  }
});

test('shadow: SHADOW_DATABASE_URL > POSTGRES_SHADOW_URL, environment over file; SHADOW_SCHEMA resolved', () => {
  const t = project({ '.env.local': 'DATABASE_URL=pglite://./db\nPOSTGRES_SHADOW_URL=postgres://file/pgshadow\nSHADOW_SCHEMA=file_schema\n' });
  try {
    assert.deepEqual(resolveIn(t, target()).shadow, { url: 'postgres://file/pgshadow', kind: 'postgres', source: 'POSTGRES_SHADOW_URL in .env.local', schema: 'file_schema' });
    const overridden = resolveIn(t, target(), { SHADOW_DATABASE_URL: 'postgres://env/shadow', SHADOW_SCHEMA: 'env_schema' }).shadow;
    assert.deepEqual([overridden.url, overridden.schema], ['postgres://env/shadow', 'env_schema']);
  } finally {
    t.cleanup();
  }
});

test('SQLite and libSQL values are resolved and reported as such', () => {
  const t = project({ '.env.local': 'SQLITE_DB_PATH=./app.db\nSQLITE_SHADOW_DB_PATH=./shadow.db\n', '.env.staging': 'LIBSQL_URL=libsql://db.example.turso.io\nLIBSQL_AUTH_TOKEN=tok\n' });
  try {
    const local = resolveIn(t, target());
    assert.deepEqual([local.kind, local.url, local.source], ['sqlite', './app.db', 'SQLITE_DB_PATH in .env.local']);
    assert.deepEqual([local.shadow.kind, local.shadow.url], ['sqlite', './shadow.db']);
    const staging = resolveIn(t, target(undefined, 'staging'));
    assert.deepEqual([staging.kind, staging.url], ['libsql', 'libsql://db.example.turso.io?authToken=tok']);
    assert.equal(resolveIn(t, target(), { DATABASE_URL: 'postgres://h/db' }).kind, 'postgres', 'a Postgres URL in a higher layer wins');
  } finally {
    t.cleanup();
  }
});
