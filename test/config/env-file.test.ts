import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvText, readEnvFile } from '../../src/config/index.js';
import { tempTree } from './helpers.js';

test('.env parsing: quotes, comments, export, = in values, blank values', () => {
  const values = parseEnvText(
    [
      '# the local database',
      'DATABASE_URL="postgres://u:p@localhost:5432/app?sslmode=disable" # trailing comment',
      "SHADOW_SCHEMA='lockplane_shadow'",
      'export POSTGRES_URL=postgres://x/y',
      'SQLITE_DB_PATH=./app.db # not part of the value',
      'LIBSQL_AUTH_TOKEN="a#b=c"',
      'EMPTY=',
      '',
    ].join('\n'),
    '.env.local',
  );
  assert.equal(values.DATABASE_URL, 'postgres://u:p@localhost:5432/app?sslmode=disable');
  assert.equal(values.SHADOW_SCHEMA, 'lockplane_shadow');
  assert.equal(values.POSTGRES_URL, 'postgres://x/y');
  assert.equal(values.SQLITE_DB_PATH, './app.db');
  assert.equal(values.LIBSQL_AUTH_TOKEN, 'a#b=c');
  assert.equal(values.EMPTY, '');
});

test('.env files: a missing file is no values, not an error', () => {
  const t = tempTree({ '.env.local': 'DATABASE_URL=pglite://./db\n' });
  try {
    assert.deepEqual(readEnvFile(t.path('.env.local')), { DATABASE_URL: 'pglite://./db' });
    assert.equal(readEnvFile(t.path('.env.staging')), undefined);
  } finally {
    t.cleanup();
  }
});
