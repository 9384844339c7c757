// `lockplane export alembic` on bad input: one line naming the problem, exit 2, nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject } from './cli.js';

const PLAN = JSON.stringify({ steps: [{ description: 'Create table t', sql: 'CREATE TABLE "public"."t" ()' }] });
const rev = (id: string, down: string): string => `revision = '${id}'\ndown_revision = ${down}\n`;

async function inProject(files: Record<string, string>, fn: (dir: string) => Promise<void>): Promise<void> {
  const { dir, cleanup } = tempProject(files);
  try {
    await fn(dir);
  } finally {
    cleanup();
  }
}

const exportAlembic = (dir: string, ...args: string[]) => runCli(['export', 'alembic', '--plan', 'plan.json', '--message', 'm', ...args], { cwd: dir });

test('export alembic: writes REV_SLUG.py chained to the head and prints its path', async () => {
  await inProject({ 'plan.json': PLAN, 'alembic/versions/a.py': rev('aaaaaaaaaaaa', 'None') }, async (dir) => {
    const result = await runCli(['export', 'alembic', '--plan', 'plan.json', '--message', 'Create T'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const written = result.stdout.trim();
    assert.match(written, /^alembic\/versions\/[0-9a-f]{12}_create_t\.py$/);
    assert.deepEqual(readdirSync(join(dir, 'alembic', 'versions')).sort(), ['a.py', written.slice('alembic/versions/'.length)].sort());
  });
});

test('export alembic: several heads are exit 2 naming them; nothing is written', async () => {
  const files = { 'plan.json': PLAN, 'v/a.py': rev('aaa', 'None'), 'v/b.py': rev('bbb', "'aaa'"), 'v/c.py': rev('ccc', "'aaa'") };
  await inProject(files, async (dir) => {
    const result = await exportAlembic(dir, '--dir', 'v');
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'Error: v has 2 heads: bbb (b.py), ccc (c.py); merge them first (alembic merge heads)\n');
    assert.deepEqual(readdirSync(join(dir, 'v')).sort(), ['a.py', 'b.py', 'c.py']);
  });
});

test('export alembic: a missing versions directory or plan file is exit 2', async () => {
  await inProject({ 'plan.json': PLAN }, async (dir) => {
    const noDir = await exportAlembic(dir);
    assert.equal(noDir.code, 2);
    assert.match(noDir.stderr, /^Error: --dir alembic\/versions: no such directory/);
    const noPlan = await runCli(['export', 'alembic', '--plan', 'missing.json', '--message', 'm', '--dir', '.'], { cwd: dir });
    assert.equal(noPlan.code, 2);
    assert.match(noPlan.stderr, /missing\.json: no such file or directory/);
    const noMessage = await runCli(['export', 'alembic', '--plan', 'plan.json', '--dir', '.'], { cwd: dir });
    assert.equal(noMessage.code, 2);
    assert.match(noMessage.stderr, /--message/);
  });
});
