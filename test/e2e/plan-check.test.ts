// plan --check (exit 4 when changes are pending, 0 when the sides match) and
// --output markdown (the pull-request comment), on schema files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli, tempProject } from './cli.js';

async function inReadmeFixtures(fn: (dir: string) => Promise<void>): Promise<void> {
  const project = tempProject();
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'readme'), project.dir, { recursive: true });
  try {
    await fn(project.dir);
  } finally {
    project.cleanup();
  }
}

const plan = (dir: string, ...args: string[]) => runCli(['plan', ...args], { cwd: dir });

test('plan --check: exit 4 with the plan printed when changes are pending, 0 when the schemas match', { timeout: 120_000 }, async () => {
  await inReadmeFixtures(async (dir) => {
    const pending = await plan(dir, '--from', 'current.json', '--to', 'desired.json', '--check');
    assert.equal(pending.code, 4, pending.stderr);
    assert.equal((JSON.parse(pending.stdout) as { steps: unknown[] }).steps.length, 2);
    const same = await plan(dir, '--from', 'current.json', '--to', 'current.json', '--check', '--output', 'text');
    assert.equal(same.code, 0, same.stderr);
    assert.equal(same.stdout, 'No changes.\n');
    const withoutCheck = await plan(dir, '--from', 'current.json', '--to', 'desired.json');
    assert.equal(withoutCheck.code, 0, 'without --check pending changes are not an error');
  });
});

test('plan --check --validate: a blocked plan exits 3, not 4', { timeout: 120_000 }, async () => {
  await inReadmeFixtures(async (dir) => {
    const blocked = await plan(dir, '--from', 'current.json', '--to', 'not-null-email.json', '--validate', '--check');
    assert.equal(blocked.code, 3, blocked.stderr);
  });
});

test('plan --output markdown: summary, every step with SQL and hazards, the rollback', { timeout: 120_000 }, async () => {
  await inReadmeFixtures(async (dir) => {
    const result = await plan(dir, '--from', 'desired.json', '--to', 'current.json', '--output', 'markdown', '--check');
    assert.equal(result.code, 4, result.stderr);
    const md = result.stdout;
    assert.match(md, /^### Lockplane plan: 2 steps pending\n\n\*\*2 steps\*\* · 2 steps with hazards \(LP201, LP202\)\n/);
    assert.match(md, /\| 1 \| Drop table posts \| LP201 \|/);
    assert.match(md, /#### 1\. Drop table posts\n\n```sql\nDROP TABLE "public"\."posts";\n```\n\nHazards:\n- \*\*LP201\*\* table dropped \(warning — deletes data\)\. Safer: /);
    assert.match(md, /#### 2\. Drop column age from table users\n\n```sql\nALTER TABLE "public"\."users" DROP COLUMN "age";\n```/);
    const rollback = md.slice(md.indexOf('<details><summary>Rollback</summary>'));
    assert.match(rollback, /2 steps, last change first:\n\n#### 1\. Add column age to table users\n\n```sql\nALTER TABLE "public"\."users" ADD COLUMN "age" integer;\n```\n\n#### 2\. Create table posts/);
    assert.match(rollback, /<\/details>\n$/);

    const none = await plan(dir, '--from', 'current.json', '--to', 'current.json', '--output', 'markdown');
    assert.equal(none.stdout, '### Lockplane plan: no changes\n\nThe database matches the schema.\n');
  });
});

test('plan --output markdown: SQL holding backticks gets a longer fence', { timeout: 120_000 }, async () => {
  await inReadmeFixtures(async (dir) => {
    const table = (def?: string) => ({
      tables: [{ name: 'notes', columns: [{ name: 'id', type: 'integer', nullable: false, is_primary_key: true }, { name: 'body', type: 'text', nullable: true, is_primary_key: false, ...(def ? { default: def } : {}) }] }],
    });
    writeFileSync(join(dir, 'a.json'), JSON.stringify(table()));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(table("'a ``` b'::text")));
    const result = await plan(dir, '--from', 'a.json', '--to', 'b.json', '--output', 'markdown');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\n````sql\n[^\n]*'a ``` b'[^\n]*\n````\n/);
  });
});

test('plan --output: an unknown format is exit 2 naming the choices', async () => {
  await inReadmeFixtures(async (dir) => {
    const result = await plan(dir, '--from', 'current.json', '--to', 'current.json', '--output', 'html');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--output: expected one of json, sql, text, markdown, github, got "html"/);
  });
});
