import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli, tempProject } from './cli.js';

interface PlanJson {
  source_hash: string;
  target_hash: string;
  steps: { description: string; sql: string | string[]; hazards?: string[] }[];
}

function withReadmeFixtures(): { dir: string; cleanup: () => void } {
  const project = tempProject();
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'readme'), project.dir, { recursive: true });
  return project;
}

test('plan: the original README example gives exactly its two steps', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = withReadmeFixtures();
  try {
    const result = await runCli(['plan', '--from', 'current.json', '--to', 'desired.json'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const plan = JSON.parse(result.stdout) as PlanJson;
    assert.deepEqual(plan.steps.map((s) => s.description), ['Create table posts', 'Add column age to table users']);
    assert.match(String(plan.steps[0]!.sql), /^CREATE TABLE "public"\."posts" \("id" integer NOT NULL, "title" text NOT NULL/);
    assert.equal(plan.steps[1]!.sql, 'ALTER TABLE "public"."users" ADD COLUMN "age" integer');
    assert.match(plan.source_hash, /^[0-9a-f]{64}$/);
    assert.notEqual(plan.source_hash, plan.target_hash);
  } finally {
    cleanup();
  }
});

test('plan --validate: passing report on stderr, plan on stdout', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = withReadmeFixtures();
  try {
    const result = await runCli(['plan', '--from', 'current.json', '--to', 'desired.json', '--validate'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /=== Validation Results ===/);
    assert.match(result.stderr, /✓ Validation 1: PASS/);
    assert.match(result.stderr, /✓ Validation 2: PASS/);
    assert.match(result.stderr, /✓ All validations passed/);
    assert.equal((JSON.parse(result.stdout) as PlanJson).steps.length, 2);
  } finally {
    cleanup();
  }
});

test('plan --validate: a NOT NULL column without default is blocked with exit 3', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = withReadmeFixtures();
  try {
    const result = await runCli(['plan', '--from', 'current.json', '--to', 'not-null-email.json', '--validate'], { cwd: dir });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /✗ Validation 1: FAIL/);
    assert.match(result.stderr, /Cannot add NOT NULL column 'phone' without a DEFAULT value/);
    assert.match(result.stderr, /LP101/);
    assert.match(result.stderr, /❌ Validation FAILED: Some operations are not safe/);
    assert.equal(result.stdout, '', 'a blocked plan is not written');
  } finally {
    cleanup();
  }
});

test('plan --output sql and text', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = withReadmeFixtures();
  try {
    const sql = await runCli(['plan', '--from', 'current.json', '--to', 'desired.json', '--output', 'sql'], { cwd: dir });
    assert.equal(sql.code, 0, sql.stderr);
    assert.match(sql.stdout, /-- 1\. Create table posts\nCREATE TABLE "public"\."posts"/);
    assert.match(sql.stdout, /-- 2\. Add column age to table users\nALTER TABLE "public"\."users" ADD COLUMN "age" integer;/);
    const text = await runCli(['plan', '--from', 'current.json', '--to', 'desired.json', '--output', 'text'], { cwd: dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Plan: 2 steps\n\n1\. Create table posts/);
    const bad = await runCli(['plan', '--from', 'current.json', '--to', 'desired.json', '--output', 'yaml'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--output: expected one of json, sql, text, markdown, github, got "yaml"/);
  } finally {
    cleanup();
  }
});

test('diff: JSON description of the differences', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = withReadmeFixtures();
  try {
    const result = await runCli(['diff', 'current.json', 'desired.json'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const diff = JSON.parse(result.stdout) as { changes: { kind: string }[] };
    assert.deepEqual(diff.changes.map((c) => c.kind).sort(), ['add_column', 'create_table']);
  } finally {
    cleanup();
  }
});

test('rollback and plan-rollback reverse a plan, last in first out', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = withReadmeFixtures();
  try {
    const forward = await runCli(['plan', '--from', 'current.json', '--to', 'desired.json'], { cwd: dir });
    assert.equal(forward.code, 0, forward.stderr);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'forward.json'), forward.stdout);
    for (const command of ['rollback', 'plan-rollback']) {
      const result = await runCli([command, '--plan', 'forward.json', '--from', 'current.json'], { cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      const reverse = JSON.parse(result.stdout) as PlanJson;
      assert.deepEqual(reverse.steps.map((s) => s.description), [
        'Rollback: Drop column age from table users',
        'Rollback: Drop table posts',
      ]);
      const forwardPlan = JSON.parse(forward.stdout) as PlanJson;
      assert.equal(reverse.source_hash, forwardPlan.target_hash);
      assert.equal(reverse.target_hash, forwardPlan.source_hash);
    }
    const wrongBase = await runCli(['rollback', '--plan', 'forward.json', '--from', 'desired.json'], { cwd: dir });
    assert.equal(wrongBase.code, 2);
    assert.match(wrongBase.stderr, /not the state this plan starts from/);
  } finally {
    cleanup();
  }
});

test('rollback of an original-format plan (SQL only): run on a scratch copy, planned back', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = withReadmeFixtures();
  try {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(dir, 'old-plan.json'),
      JSON.stringify({
        steps: [
          { description: 'Add column age', sql: 'ALTER TABLE users ADD COLUMN age integer' },
          { description: 'Drop email', sql: 'ALTER TABLE users DROP COLUMN email' },
        ],
      }),
    );
    const result = await runCli(['rollback', '--plan', 'old-plan.json', '--from', 'current.json', '--output', 'text'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Add column email to table users/);
    assert.match(result.stdout, /Drop column age from table users/);
    assert.match(result.stdout, /LP302/, 'restoring a dropped column cannot restore its data');
  } finally {
    cleanup();
  }
});

test('plan --validate --allow-hazards: a lossy type change is blocked unless allowed', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = withReadmeFixtures();
  try {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const narrowed = readFileSync(join(dir, 'current.json'), 'utf8').replace('"name": "email", "type": "text"', '"name": "email", "type": "varchar(20)"');
    writeFileSync(join(dir, 'narrowed.json'), narrowed);
    const blocked = await runCli(['plan', '--from', 'current.json', '--to', 'narrowed.json', '--validate'], { cwd: dir });
    assert.equal(blocked.code, 3, blocked.stderr);
    assert.match(blocked.stderr, /LP203/);
    const allowed = await runCli(['plan', '--from', 'current.json', '--to', 'narrowed.json', '--validate', '--allow-hazards', 'LP203', '--no-online'], {
      cwd: dir,
    });
    assert.equal(allowed.code, 0, allowed.stderr);
    const plan = JSON.parse(allowed.stdout) as PlanJson;
    // text → varchar(20) also rewrites the table under ACCESS EXCLUSIVE: the lock hazard LP110 (a warning).
    assert.deepEqual(plan.steps[0]!.hazards, ['LP203', 'LP110']);
    // No explicit cast: varchar(20) would cut longer values; the assignment cast raises instead.
    assert.match(String(plan.steps[0]!.sql), /TYPE character varying\(20\) USING "email"$/);
  } finally {
    cleanup();
  }
});
