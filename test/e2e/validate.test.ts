import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli, tempProject } from './cli.js';

test('validate schema: a valid file passes with exit 0', async () => {
  const { dir, cleanup } = tempProject();
  try {
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'readme'), dir, { recursive: true });
    const result = await runCli(['validate', 'schema', 'desired.json'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /✓ Schema desired\.json is valid/);
  } finally {
    cleanup();
  }
});

test('validate schema: lists every problem with its JSON path, exit 2', async () => {
  const { dir, cleanup } = tempProject({
    'bad.json': JSON.stringify(
      {
        tables: [
          { name: 'users', columns: [{ name: 'id', type: 'integer', nullable: 'no' }] },
          { name: 'posts', colums: [] },
        ],
      },
      null,
      2,
    ),
  });
  try {
    const result = await runCli(['validate', 'schema', 'bad.json'], { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /✗ Schema bad\.json is invalid \([2-9] problems\)/);
    assert.match(result.stderr, /\/tables\/0\/columns\/0\/nullable|bad\.json:\d+:\d+: .*nullable/);
    assert.match(result.stderr, /colums/);
    const asJson = await runCli(['validate', 'schema', 'bad.json', '--format', 'json'], { cwd: dir });
    assert.equal(asJson.code, 2);
    const report = JSON.parse(asJson.stdout) as { valid: boolean; problems: { path: string }[] };
    assert.equal(report.valid, false);
    assert.ok(report.problems.some((p) => p.path === '/tables/0/columns/0/nullable'));
  } finally {
    cleanup();
  }
});

test('validate schema: SQL sources are parsed and loaded', { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempProject({
    'good/a.sql': 'CREATE TABLE a (id int PRIMARY KEY);',
    'bad/a.sql': 'CREATE TABLE a (id int PRIMARY KEY);\nDELETE FROM a;\n',
  });
  try {
    const good = await runCli(['validate', 'schema', 'good'], { cwd: dir });
    assert.equal(good.code, 0, good.stderr);
    const bad = await runCli(['validate', 'schema', 'bad'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /a\.sql:2:1: DELETE is not allowed in a schema file/);
  } finally {
    cleanup();
  }
});

test('validate plan: the original minimal plan format is valid; a broken one is not', async () => {
  const { dir, cleanup } = tempProject({
    'ok.json': JSON.stringify({ steps: [{ description: 'Create posts table', sql: 'CREATE TABLE posts (id int)' }] }),
    'bad.json': JSON.stringify({ steps: [{ description: '', sql: [] }] }),
  });
  try {
    const ok = await runCli(['validate', 'plan', 'ok.json'], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /✓ Plan ok\.json is valid/);
    const bad = await runCli(['validate', 'plan', 'bad.json'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /\/steps\/0\/description/);
  } finally {
    cleanup();
  }
});
