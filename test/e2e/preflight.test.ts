// The data-aware preflight as users meet it: `apply` stops before the first
// step when the data would make a step fail (exit 3, nothing changed, the
// ledger says refused), `--json` carries a preflight event, `--skip-preflight`
// turns it off, and `plan --validate` runs the same checks on a live --from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../../src/dialects/postgres/session.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { runCli, tempProject } from './cli.js';

const DESIRED = 'CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL);\n';
const REPORT = /✗ LP150 step \d+ \(.*\): will fail: 3 rows in public\.users have email NULL \(first ids: 3, 7, 19\)/;

async function seed(url: string): Promise<void> {
  const s = await connect(url);
  try {
    await s.exec(`CREATE TABLE users (id integer PRIMARY KEY, email text);
      INSERT INTO users SELECT g, CASE WHEN g IN (3, 7, 19) THEN NULL ELSE 'u' || g END FROM generate_series(1, 25) g;`);
  } finally {
    await s.close();
  }
}

async function emailNullable(url: string): Promise<boolean> {
  const s = await connect(url);
  try {
    const rows = await s.query<{ is_nullable: string }>(`SELECT is_nullable FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'`);
    return rows[0]?.is_nullable === 'YES';
  } finally {
    await s.close();
  }
}

interface Applied {
  status: string;
  steps_done: number;
  error: string | null;
}

serverTest('apply: a failing preflight stops before the first step, touching nothing; the ledger says refused', () =>
  withServerDatabase(async (url) => {
    await seed(url);
    const { dir, cleanup } = tempProject({ 'desired.sql': DESIRED });
    try {
      const planned = await runCli(['plan', '--from', url, '--to', 'desired.sql', '--no-online'], { cwd: dir });
      assert.equal(planned.code, 0, planned.stderr);
      writeFileSync(join(dir, 'plan.json'), planned.stdout);

      const refused = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow'], { cwd: dir });
      assert.equal(refused.code, 3, refused.stderr);
      assert.match(refused.stderr, REPORT);
      assert.match(refused.stderr, /❌ Preflight FAILED: a step would fail on the current data/);
      assert.match(refused.stderr, /Error: preflight: a step would fail on the current data, nothing was changed: step \d+: will fail: 3 rows/);
      assert.doesNotMatch(refused.stderr, /\[1\/1\]/, 'no step started');
      assert.equal(refused.stdout, '');
      assert.ok(await emailNullable(url), 'the column is untouched');

      const json = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow', '--json'], { cwd: dir });
      assert.equal(json.code, 3, json.stderr);
      const events = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(events.map((e) => e.event), ['apply_started', 'preflight', 'apply_finished']);
      const preflight = events[1] as { status: string; checks: { step: number; code: string; status: string; rows: number; sample: string[] }[] };
      assert.equal(preflight.status, 'failed');
      assert.deepEqual(preflight.checks.map((c) => [c.step, c.code, c.status, c.rows, c.sample]), [[1, 'LP150', 'fail', 3, ['3', '7', '19']]]);
      assert.equal(events[2]!.status, 'refused');

      const history = await runCli(['history', '--db', url, '--format', 'json'], { cwd: dir });
      const applies = JSON.parse(history.stdout) as Applied[];
      assert.deepEqual(applies.map((a) => [a.status, a.steps_done]), [['refused', 0], ['refused', 0]]);
      assert.match(applies[0]!.error ?? '', /preflight: .*3 rows in public\.users have email NULL/);

      // Skipped, the step runs and fails on the NULLs (rolled back): what the preflight foretold.
      const skipped = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow', '--skip-preflight'], { cwd: dir });
      assert.equal(skipped.code, 1, skipped.stderr);
      assert.match(skipped.stderr, /Preflight skipped \(--skip-preflight\)/);
      assert.match(skipped.stderr, /contains null values/);

      const admin = await connect(url);
      await admin.exec(`UPDATE users SET email = 'filled' WHERE email IS NULL`);
      await admin.close();
      const applied = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow'], { cwd: dir });
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stderr, /✓ step \d+ \(.*\): no NULLs in public\.users\.email\n✓ Preflight passed/);
      assert.ok(!(await emailNullable(url)));
    } finally {
      cleanup();
    }
  }),
);

serverTest('plan --validate: the preflight runs when --from is a live database, not when it is a file', () =>
  withServerDatabase(async (url) => {
    await seed(url);
    const { dir, cleanup } = tempProject({ 'desired.sql': DESIRED });
    try {
      const live = await runCli(['plan', '--from', url, '--to', 'desired.sql', '--validate'], { cwd: dir });
      assert.equal(live.code, 3, live.stderr);
      assert.equal(live.stdout, '');
      assert.match(live.stderr, /=== Validation Results ===[\s\S]*=== Preflight \(read-only checks of the current data\) ===/);
      assert.match(live.stderr, REPORT);

      const allowed = await runCli(['plan', '--from', url, '--to', 'desired.sql', '--validate', '--allow-hazards', 'LP150'], { cwd: dir });
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.match(allowed.stderr, /⚠ LP150 .* \(allowed\)/);

      const all = await runCli(['plan', '--from', url, '--to', 'desired.sql', '--validate', '--allow-hazards', 'all'], { cwd: dir });
      assert.equal(all.code, 3, 'all does not cover preflight failures');

      const skipped = await runCli(['plan', '--from', url, '--to', 'desired.sql', '--validate', '--skip-preflight'], { cwd: dir });
      assert.equal(skipped.code, 0, skipped.stderr);
      assert.doesNotMatch(skipped.stderr, /Preflight/);

      const snapshot = await runCli(['introspect', '--db', url], { cwd: dir });
      writeFileSync(join(dir, 'current.json'), snapshot.stdout);
      const file = await runCli(['plan', '--from', 'current.json', '--to', 'desired.sql', '--validate'], { cwd: dir });
      assert.equal(file.code, 0, file.stderr);
      assert.doesNotMatch(file.stderr, /Preflight/);

      const bad = await runCli(['plan', '--from', url, '--to', 'desired.sql', '--validate', '--preflight-timeout', 'soon'], { cwd: dir });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--preflight-timeout: expected a duration/);
    } finally {
      cleanup();
    }
  }),
);

test('apply on an embedded (PGlite) database: the same preflight stops it', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = tempProject({ 'desired.sql': DESIRED });
  try {
    const url = `pglite://${join(dir, 'db')}`;
    await seed(url);
    const validated = await runCli(['plan', '--from', url, '--to', 'desired.sql', '--validate'], { cwd: dir });
    assert.equal(validated.code, 3, validated.stderr);
    assert.match(validated.stderr, REPORT);
    const refused = await runCli(['apply', '--schema', 'desired.sql', '--target', url, '--auto-approve', '--skip-shadow'], { cwd: dir });
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, REPORT);
    assert.ok(await emailNullable(url));
  } finally {
    cleanup();
  }
});
