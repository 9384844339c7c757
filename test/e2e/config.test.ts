// lockplane.toml + .env.NAME through the built CLI, with PGlite directories as
// the databases so no server is needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempProject, type CliResult } from './cli.js';

const TOML = `default_environment = "local"
schema_path = "schema"

[environments.local]
description = "Local development"

[environments.staging]
description = "Staging"
`;

const SCHEMA = 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n';

/** No database variables from the test runner's own environment. */
const CLEAN = { POSTGRES_URL: undefined, POSTGRES_SHADOW_URL: undefined, SHADOW_SCHEMA: undefined, SQLITE_DB_PATH: undefined, LIBSQL_URL: undefined };

function project(extra: Record<string, string> = {}): { dir: string; cleanup: () => void } {
  return tempProject({
    'package.json': '{}',
    'lockplane.toml': TOML,
    '.env.local': '# local secrets\nDATABASE_URL="pglite://./local-db" # comment\n',
    '.env.staging': "DATABASE_URL='pglite://./staging-db'\n",
    'schema/users.sql': SCHEMA,
    ...extra,
  });
}

function run(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(args, { cwd, env: { ...CLEAN, ...env } });
}

function tables(result: CliResult): string[] {
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { tables: { name: string }[] }).tables.map((t) => t.name);
}

test('apply --target-environment: schema_path is the default schema, the environment\'s database is changed', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    const applied = await run(['apply', '--target-environment', 'staging', '--auto-approve'], dir);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, /Using schema_path schema from lockplane\.toml/);
    assert.match(applied.stderr, /Environment staging \(Staging\): pglite:\/\/\.\/staging-db from DATABASE_URL in \.env\.staging/);
    assert.deepEqual(tables(await run(['introspect', '--source-environment', 'staging'], dir)), ['users']);
    assert.deepEqual(tables(await run(['introspect'], dir)), [], 'the default environment (local) is untouched');
    assert.deepEqual(tables(await run(['introspect', '--db', 'pglite://./staging-db'], dir)), ['users'], '--db still works');
  } finally {
    cleanup();
  }
});

test('plan and diff --from-environment/--to-environment; plan --to defaults to schema_path', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    assert.equal((await run(['apply', '--target-environment', 'staging', '--auto-approve'], dir)).code, 0);
    const plan = await run(['plan', '--from-environment', 'local', '--to-environment', 'staging'], dir);
    assert.equal(plan.code, 0, plan.stderr);
    assert.deepEqual((JSON.parse(plan.stdout) as { steps: { description: string }[] }).steps.map((s) => s.description), ['Create table users']);
    const none = await run(['plan', '--from-environment', 'staging'], dir);
    assert.equal(none.code, 0, none.stderr);
    assert.deepEqual((JSON.parse(none.stdout) as { steps: unknown[] }).steps, [], 'staging already matches schema_path');
    const diff = await run(['diff', '--from-environment', 'staging', '--to-environment', 'local'], dir);
    assert.equal(diff.code, 0, diff.stderr);
    const changes = (JSON.parse(diff.stdout) as { changes: { kind: string }[] }).changes;
    assert.deepEqual(changes.map((c) => c.kind), ['drop_table']);
    const mixed = await run(['diff', '--from-environment', 'local', 'schema'], dir);
    assert.equal(mixed.code, 0, mixed.stderr);
    assert.equal((JSON.parse(mixed.stdout) as { to: string }).to, 'schema');
  } finally {
    cleanup();
  }
});

test('precedence through the CLI: flag > DATABASE_URL > .env.local', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    assert.equal((await run(['apply', '--target', 'pglite://./flag-db', '--auto-approve'], dir, { DATABASE_URL: 'pglite://./env-db' })).code, 0);
    assert.deepEqual(tables(await run(['introspect', '--db', 'pglite://./flag-db'], dir)), ['users']);
    const fromEnv = await run(['introspect'], dir, { DATABASE_URL: 'pglite://./env-db' });
    assert.match(fromEnv.stderr, /Environment local \(Local development\): pglite:\/\/\.\/env-db from DATABASE_URL in the environment/);
    assert.deepEqual(tables(fromEnv), [], 'the flag went to flag-db, not env-db');
    const fromFile = await run(['introspect'], dir);
    assert.match(fromFile.stderr, /pglite:\/\/\.\/local-db from DATABASE_URL in \.env\.local/);
  } finally {
    cleanup();
  }
});

test('configuration errors: exit 2, one line, naming the file, line, key or environment', async () => {
  const cases: { files: Record<string, string>; args: string[]; stderr: RegExp }[] = [
    { files: {}, args: ['introspect', '--source-environment', 'prod'], stderr: /^Error: --source-environment prod: no \[environments\.prod\] in lockplane\.toml \(known environments: local, staging\)\n$/ },
    { files: { '.env.staging': '' }, args: ['introspect', '--source-environment', 'staging'], stderr: /^Error: environment "staging" has no DATABASE_URL: set it in \.env\.staging or the environment\n$/ },
    { files: { 'lockplane.toml': `${TOML}colour = "red"\n` }, args: ['introspect'], stderr: /^Error: lockplane\.toml:9:1: unknown key "colour" in \[environments\.staging\]/ },
    { files: { 'lockplane.toml': `${TOML}database_url = "postgres://u:hunter2@h/db"\n` }, args: ['introspect'], stderr: /^Error: lockplane\.toml:9:1: "database_url" in \[environments\.staging\]: no secrets in lockplane\.toml; move it to \.env\.staging/ },
    { files: { 'lockplane.toml': 'default_environment = \n' }, args: ['plan'], stderr: /^Error: lockplane\.toml:1:\d+: [^\n]+\n$/ },
  ];
  for (const { files, args, stderr } of cases) {
    const { dir, cleanup } = project(files);
    try {
      const result = await run(args, dir);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, stderr);
      assert.doesNotMatch(result.stderr, /hunter2/);
      assert.equal(result.stdout, '');
    } finally {
      cleanup();
    }
  }
});

test('rollback --from-environment reads the environment\'s database', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    const plan = await run(['plan', '--from-environment', 'staging'], dir);
    assert.equal(plan.code, 0, plan.stderr);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/migration.json`, plan.stdout);
    const rollback = await run(['plan-rollback', '--plan', 'migration.json', '--from-environment', 'staging'], dir);
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.deepEqual((JSON.parse(rollback.stdout) as { steps: { description: string }[] }).steps.map((s) => s.description), ['Rollback: Drop table users']);
  } finally {
    cleanup();
  }
});

test('schemas in lockplane.toml limit introspection of the environment\'s database', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = project({
    'lockplane.toml': `${TOML}schemas = ["app"]\n`,
    'two/a.sql': `${SCHEMA}CREATE SCHEMA app;\nCREATE TABLE app.items (id bigint PRIMARY KEY);\n`,
  });
  try {
    const applied = await run(['apply', '--schema', 'two', '--target', 'pglite://./staging-db', '--auto-approve'], dir);
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(tables(await run(['introspect', '--source-environment', 'staging'], dir)), ['items']);
    assert.deepEqual(tables(await run(['introspect', '--source-environment', 'local', '--db', 'pglite://./staging-db'], dir)), ['users', 'items'].sort());
  } finally {
    cleanup();
  }
});
