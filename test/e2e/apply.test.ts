import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli, tempProject } from './cli.js';

function project(): { dir: string; cleanup: () => void } {
  const p = tempProject();
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'readme'), p.dir, { recursive: true });
  return p;
}

/** A plan whose second step fails. */
const BROKEN_PLAN = JSON.stringify({
  steps: [
    { description: 'Create t', sql: 'CREATE TABLE t (id int)' },
    { description: 'Broken', sql: 'ALTER TABLE missing ADD COLUMN x int' },
  ],
});

const db = (dir: string): string => `pglite://${join(dir, 'db')}`;

test('apply: a plan file, shadow-proven; a second run is a no-op, and the hash guard refuses it once the database moved on', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    const target = db(dir);
    const base = await runCli(['apply', '--schema', 'current.json', '--target', target, '--auto-approve'], { cwd: dir });
    assert.equal(base.code, 0, base.stderr);
    const plan = await runCli(['plan', '--from', target, '--to', 'desired.json'], { cwd: dir });
    assert.equal(plan.code, 0, plan.stderr);
    writeFileSync(join(dir, 'migration.json'), plan.stdout);

    const applied = await runCli(['apply', 'migration.json', '--target', target, '--auto-approve'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, /Plan proven on the shadow/);
    assert.match(applied.stdout, /Applied 2 steps/);

    const again = await runCli(['apply', '--plan', 'migration.json', '--target', target, '--auto-approve'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Already applied: apply #\d+ applied this plan and the database is still in the state it left/);

    writeFileSync(join(dir, 'extra.json'), JSON.stringify({ steps: [{ description: 'Create extra', sql: 'CREATE TABLE extra (id int)' }] }));
    const moved = await runCli(['apply', 'extra.json', '--target', target, '--auto-approve', '--skip-shadow'], { cwd: dir });
    assert.equal(moved.code, 0, moved.stderr);
    const stale = await runCli(['apply', '--plan', 'migration.json', '--target', target, '--auto-approve'], { cwd: dir });
    assert.equal(stale.code, 3, stale.stderr);
    assert.match(stale.stderr, /not in the state this plan was made for: added: table public\.extra; added: table public\.posts; changed: table public\.users; make a new plan/);

    const now = await runCli(['plan', '--from', target, '--to', 'desired.json'], { cwd: dir });
    assert.deepEqual((JSON.parse(now.stdout) as { steps: { description: string }[] }).steps.map((st) => st.description), ['Drop table extra'], 'the target converged, but for extra');
  } finally {
    cleanup();
  }
});

test('apply, history and status keep the ledger in lockplane.toml ledger_schema; a bad name is refused before connecting', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    writeFileSync(join(dir, 'lockplane.toml'), 'default_environment = "local"\nledger_schema = "ops_ledger"\n\n[environments.local]\n');
    writeFileSync(join(dir, '.env.local'), 'DATABASE_URL=pglite://./db\n');
    const applied = await runCli(['apply', '--schema', 'current.json', '--auto-approve'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    const history = await runCli(['history'], { cwd: dir });
    assert.equal(history.code, 0, history.stderr);
    assert.match(history.stdout, /^#1 .* applied /m);
    const defaultLedger = await runCli(['history', '--ledger-schema', 'lockplane'], { cwd: dir });
    assert.equal(defaultLedger.stdout.trim(), 'No applies recorded in this database.');
    const status = await runCli(['status', '--schema', 'current.json'], { cwd: dir });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Last apply: #1 .* applied/);
    assert.match(status.stdout, /In sync with current\.json/, 'the ledger schema is not part of the diff');

    writeFileSync(join(dir, 'lockplane.toml'), 'default_environment = "local"\nledger_schema = "Public Ledger"\n\n[environments.local]\n');
    const bad = await runCli(['history'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /lockplane\.toml:2:1: ledger_schema: "Public Ledger" is not a plain lower-case identifier/);
  } finally {
    cleanup();
  }
});

test('apply: an original-format plan (description + sql only) runs', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    writeFileSync(
      join(dir, 'old.json'),
      JSON.stringify({ steps: [{ description: 'Create posts table', sql: 'CREATE TABLE posts (id SERIAL PRIMARY KEY, title TEXT NOT NULL)' }] }),
    );
    const result = await runCli(['apply', 'old.json', '--target', db(dir), '--auto-approve'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    const schema = await runCli(['introspect', '--db', db(dir)], { cwd: dir });
    assert.match(schema.stdout, /"name": "posts"/);
  } finally {
    cleanup();
  }
});

test('apply: without a terminal and without --auto-approve it refuses with exit 2 and changes nothing', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    const result = await runCli(['apply', '--schema', 'desired.json', '--target', db(dir)], { cwd: dir });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /standard input is not a terminal; pass --auto-approve/);
    const schema = await runCli(['introspect', '--db', db(dir)], { cwd: dir });
    assert.doesNotMatch(schema.stdout, /"posts"/);
  } finally {
    cleanup();
  }
});

test('apply: dropping a table needs --allow-hazards', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    const target = db(dir);
    assert.equal((await runCli(['apply', '--schema', 'desired.json', '--target', target, '--auto-approve'], { cwd: dir })).code, 0);
    const blocked = await runCli(['apply', '--schema', 'current.json', '--target', target, '--auto-approve'], { cwd: dir });
    assert.equal(blocked.code, 3, blocked.stderr);
    assert.match(blocked.stderr, /LP201/);
    assert.match(blocked.stderr, /--allow-hazards/);
    const allowed = await runCli(
      ['apply', '--schema', 'current.json', '--target', target, '--auto-approve', '--allow-hazards', 'LP201,LP202'],
      { cwd: dir },
    );
    assert.equal(allowed.code, 0, allowed.stderr);
    const schema = await runCli(['introspect', '--db', target], { cwd: dir });
    assert.doesNotMatch(schema.stdout, /"posts"/);
    assert.doesNotMatch(schema.stdout, /"age"/);
  } finally {
    cleanup();
  }
});

test('apply: a step that fails on the shadow never reaches the target', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    writeFileSync(join(dir, 'bad.json'), BROKEN_PLAN);
    const result = await runCli(['apply', 'bad.json', '--target', db(dir), '--auto-approve'], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /shadow validation failed, the target was not touched: step 2 \(Broken\) failed: relation "missing" does not exist/);
    const schema = await runCli(['introspect', '--db', db(dir)], { cwd: dir });
    assert.doesNotMatch(schema.stdout, /"name": "t"/);
  } finally {
    cleanup();
  }
});

test('apply --skip-shadow: a failing step rolls the whole transaction back', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    writeFileSync(join(dir, 'bad.json'), BROKEN_PLAN);
    const result = await runCli(['apply', 'bad.json', '--target', db(dir), '--auto-approve', '--skip-shadow'], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /step 2 \(Broken\) failed/);
    assert.doesNotMatch(result.stderr, /shadow/);
    const schema = await runCli(['introspect', '--db', db(dir)], { cwd: dir });
    assert.doesNotMatch(schema.stdout, /"name": "t"/);
  } finally {
    cleanup();
  }
});

test('apply: two processes never open the same embedded database at once', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = project();
  try {
    const target = db(dir);
    const runs = await Promise.all(
      [1, 2, 3].map(() => runCli(['apply', '--schema', 'desired.json', '--target', target, '--auto-approve', '--skip-shadow'], { cwd: dir })),
    );
    assert.equal(runs.filter((r) => r.code === 0).length >= 1, true, runs.map((r) => r.stderr).join('\n'));
    for (const r of runs.filter((x) => x.code !== 0)) {
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /is in use by another lockplane process \(pid \d+\)/);
    }
    const plan = await runCli(['plan', '--from', target, '--to', 'desired.json'], { cwd: dir });
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal((JSON.parse(plan.stdout) as { steps: unknown[] }).steps.length, 0, 'the database is intact and converged');
  } finally {
    cleanup();
  }
});
