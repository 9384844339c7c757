import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli, tempProject } from './cli.js';

const QUICKSTART = join(REPO_ROOT, 'examples', 'quickstart');

test('quick start: apply the example schema to the embedded database, then nothing is left to do', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempProject();
  try {
    const first = await runCli(['apply', '--schema', QUICKSTART, '--auto-approve'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /Using the embedded database pglite:\/\/\.lockplane\/pglite/);
    assert.match(first.stderr, /Create table users/);
    assert.match(first.stderr, /Plan proven on the shadow/);
    assert.match(first.stdout, /Applied \d+ steps to pglite:\/\/\.lockplane\/pglite/);
    assert.ok(existsSync(join(dir, '.lockplane', 'pglite')), 'the embedded database lives under .lockplane/');

    const second = await runCli(['apply', '--schema', QUICKSTART, '--auto-approve'], { cwd: dir });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /No changes: the database already matches/);

    const introspected = await runCli(['introspect'], { cwd: dir });
    assert.equal(introspected.code, 0, introspected.stderr);
    const schema = JSON.parse(introspected.stdout) as { tables: { name: string; foreign_keys?: unknown[] }[] };
    assert.deepEqual(schema.tables.map((t) => t.name), ['posts', 'users']);
    assert.equal(schema.tables[0]!.foreign_keys?.length, 1, 'the new table keeps its foreign key');
  } finally {
    cleanup();
  }
});
