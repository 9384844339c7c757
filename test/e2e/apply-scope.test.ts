// lockplane.toml `schemas`: apply manages only those namespaces and never
// plans to drop what lives outside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject } from './cli.js';

test('apply with schemas = ["app"] leaves other namespaces alone', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = tempProject({
    'package.json': '{}',
    'lockplane.toml': 'default_environment = "local"\nschemas = ["app"]\n\n[environments.local]\ndescription = "dev"\n',
    '.env.local': 'DATABASE_URL=pglite://./db\n',
    'schema/app.sql': 'CREATE SCHEMA app;\nCREATE TABLE app.items (id int PRIMARY KEY, name text);\n',
  });
  try {
    writeFileSync(
      join(dir, 'outside.json'),
      JSON.stringify({ steps: [{ description: 'A table Lockplane does not manage', sql: 'CREATE TABLE public.keep (id int)' }] }),
    );
    const setup = await runCli(['apply', 'outside.json', '--auto-approve'], { cwd: dir });
    assert.equal(setup.code, 0, setup.stderr);

    const applied = await runCli(['apply', '--schema', 'schema', '--auto-approve'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, /Create table app\.items/);
    assert.doesNotMatch(applied.stderr, /keep/, 'public.keep is outside the managed schemas');

    const scoped = await runCli(['introspect', '--db', 'pglite://./db'], { cwd: dir });
    assert.equal(scoped.code, 0, scoped.stderr);
    const tables = (out: string): string[] => (JSON.parse(out) as { tables: { schema: string; name: string }[] }).tables.map((t) => `${t.schema}.${t.name}`);
    assert.deepEqual(tables(scoped.stdout), ['app.items']);
    // From a project without lockplane.toml, the whole database is visible: public.keep is still there.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'probe'));
    writeFileSync(join(dir, 'probe', 'package.json'), '{}');
    const whole = await runCli(['introspect', '--db', `pglite://${join(dir, 'db')}`], { cwd: join(dir, 'probe') });
    assert.equal(whole.code, 0, whole.stderr);
    assert.deepEqual(tables(whole.stdout), ['app.items', 'public.keep']);

    const again = await runCli(['apply', '--schema', 'schema', '--auto-approve'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /No changes/);
  } finally {
    cleanup();
  }
});
