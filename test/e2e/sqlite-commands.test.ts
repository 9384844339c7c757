// The rest of `lockplane --help` on SQLite files: status, history, apply
// --json and its ledger, a concurrent writer, the shadow workflow, and the
// commands that are Postgres-only saying so in one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite } from '../../src/dialects/sqlite/index.js';
import { runCli, tempProject } from './cli.js';

const V1 = 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n';
const V2 = 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);\n';

interface Event {
  event: string;
  [key: string]: unknown;
}
const events = (stdout: string): Event[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as Event);

test('SQLite status and history read the ledger; apply --json writes the Postgres events; a failed apply is recorded, nothing applied', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempProject({ 'v1.sql': V1, 'v2.sql': V2 });
  const run = (args: string[]) => runCli(args, { cwd: dir });
  try {
    const none = await run(['history', '--db', 'app.db']);
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, 'No applies recorded in this database.\n');

    const applied = await run(['apply', '--schema', 'v1.sql', '--target', 'app.db', '--auto-approve', '--json']);
    assert.equal(applied.code, 0, applied.stderr);
    const log = events(applied.stdout);
    assert.deepEqual(log.map((e) => e.event), ['apply_started', 'step_started', 'step_finished', 'apply_finished']);
    assert.deepEqual({ ...log[0], time: undefined, plan_hash: undefined }, { event: 'apply_started', target: 'app.db', steps: 1, from_step: 0, resumes: null, apply_id: 1, time: undefined, plan_hash: undefined });
    assert.deepEqual({ ...log[1], time: undefined }, { event: 'step_started', step: 1, of: 1, description: 'Create table users', transactional: true, time: undefined });
    assert.equal(log[3]!.status, 'applied');
    assert.equal(log[3]!.apply_id, 1);

    const history = await run(['history', '--db', 'sqlite:app.db']);
    assert.match(history.stdout, /^#1 {2}\S+ {2}applied +1\/1 steps {2}by \S+ on \S+ pid \d+ {2}plan [0-9a-f]{12}\n$/);

    // A row the next plan cannot keep: email becomes NOT NULL.
    const db = await openSqlite(join(dir, 'app.db'));
    await db.exec('INSERT INTO users VALUES (1, NULL)');
    await db.close();
    const plan = await run(['plan', '--from', 'app.db', '--to', 'v2.sql']);
    writeFileSync(join(dir, 'plan.json'), plan.stdout);
    const failed = await run(['apply', 'plan.json', '--target', 'app.db', '--auto-approve', '--skip-shadow', '--json']);
    assert.equal(failed.code, 1);
    const finished = events(failed.stdout).at(-1)!;
    assert.equal(finished.status, 'failed');
    assert.equal(finished.failed_step, 2);
    assert.match(String(finished.error), /step 2 \(Rebuild table users \(change email\)\) failed: NOT NULL constraint failed: .*email; nothing was applied/);

    const json = await run(['history', '--db', 'app.db', '--format', 'json']);
    const rows = JSON.parse(json.stdout) as { id: number; status: string; steps_done: number; steps_total: number; failed_step: number | null }[];
    assert.deepEqual(rows.map((r) => [r.id, r.status, r.steps_done, r.steps_total, r.failed_step]), [[2, 'failed', 0, 2, 2], [1, 'applied', 1, 1, null]]);

    const status = await run(['status', '--db', 'app.db', '--schema', 'v2.sql']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^Target: app\.db\nLast apply: #2 .* failed +0\/2 steps .* — step 2: step 2 \(Rebuild table users/);
    assert.match(status.stdout, /\n2 change\(s\) pending to reach v2\.sql:\n {2}- Create table posts\n {2}- Rebuild table users \(change email\)\n$/);
    const statusJson = JSON.parse((await run(['status', '--db', 'app.db', '--schema', 'v1.sql', '--format', 'json'])).stdout);
    assert.deepEqual({ ...statusJson, last_apply: statusJson.last_apply.id }, { target: 'app.db', in_sync: true, pending: [], last_apply: 2, running: false, unfinished: null });

    const fixed = await openSqlite(join(dir, 'app.db'));
    await fixed.exec("UPDATE users SET email = 'a@x'");
    await fixed.close();
    const ok = await run(['apply', 'plan.json', '--target', 'app.db', '--auto-approve']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Applied 2 steps to app\.db/);
    const again = await run(['apply', 'plan.json', '--target', 'app.db', '--auto-approve', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Already applied: apply #3 applied this plan and the database is still in the state it left\./);
    assert.deepEqual(events(again.stdout).map((e) => [e.event, e.status]), [['apply_finished', 'no_changes']]);
    assert.match((await run(['status', '--db', 'app.db', '--schema', 'v2.sql'])).stdout, /Last apply: #3 .* applied +2\/2 steps[\s\S]*In sync with v2\.sql\.\n$/);
  } finally {
    cleanup();
  }
});

test('SQLite apply against a connection holding a write transaction: fails cleanly after --lock-wait, nothing applied', { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempProject({ 'v1.sql': V1, 'v2.sql': V2 });
  try {
    assert.equal((await runCli(['apply', '--schema', 'v1.sql', '--target', 'app.db', '--auto-approve'], { cwd: dir })).code, 0);
    const writer = await openSqlite(join(dir, 'app.db'));
    let release: () => void = () => undefined;
    const held = writer.transaction(async (tx) => {
      await tx.exec("INSERT INTO users VALUES (7, 'w@x')");
      await new Promise<void>((resolve) => (release = resolve));
    });
    try {
      const started = Date.now();
      const busy = await runCli(['apply', '--schema', 'v2.sql', '--target', 'app.db', '--auto-approve', '--lock-wait', '2'], { cwd: dir });
      const elapsed = Date.now() - started;
      assert.equal(busy.code, 1, busy.stderr);
      assert.match(busy.stderr, /Error: app\.db: another connection is writing to the database \(SQLITE_BUSY after waiting\); nothing was applied, try again\n$/);
      assert.ok(elapsed >= 2000 && elapsed < 20_000, `waited the bounded time (${elapsed} ms)`);
    } finally {
      release();
      await held;
      await writer.close();
    }
    const history = await runCli(['history', '--db', 'app.db', '--format', 'json'], { cwd: dir });
    assert.deepEqual(JSON.parse(history.stdout).map((a: { status: string }) => a.status), ['applied'], 'only the first apply: the busy one left nothing');
    const pending = await runCli(['plan', '--from', 'app.db', '--to', 'v2.sql', '--output', 'text'], { cwd: dir });
    assert.notEqual(pending.stdout, 'No changes.\n', 'the schema is as before');
    const after = await runCli(['apply', '--schema', 'v2.sql', '--target', 'app.db', '--auto-approve'], { cwd: dir });
    assert.equal(after.code, 0, after.stderr);
  } finally {
    cleanup();
  }
});

test('SQLite shadow workflow: prepare a shadow file (SQLITE_SHADOW_DB_PATH or .lockplane/shadow.db), an ORM writes it, diff, release', { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempProject({
    'lockplane.toml': 'default_environment = "local"\n\n[environments.local]\n',
    '.env.local': 'DATABASE_URL=sqlite:app.db\n',
    'v1.sql': V1,
  });
  const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env });
  try {
    assert.equal((await run(['apply', '--schema', 'v1.sql', '--auto-approve'])).code, 0);
    const prepared = await run(['shadow', 'prepare']);
    assert.equal(prepared.code, 0, prepared.stderr);
    const handle = JSON.parse(prepared.stdout) as { shadow_url: string; shadow_path: string; environment: string };
    assert.equal(handle.environment, 'local');
    assert.equal(handle.shadow_path, join(dir, '.lockplane', 'shadow.db'));
    assert.equal(handle.shadow_url, `file:${handle.shadow_path}`);
    assert.match(prepared.stderr, /✓ Shadow ready: SQLite file .*\.lockplane\/shadow\.db; reserved in \.lockplane\/shadow\.json/);
    const twice = await run(['shadow', 'prepare']);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /a shadow is already reserved for environment "local"/);

    // The ORM creates its tables in the shadow.
    const orm = await openSqlite(handle.shadow_url);
    await orm.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT)');
    await orm.close();
    const diff = await run(['shadow', 'diff', '--output', 'text']);
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stderr, /Plan: 1 step from app\.db to the shadow/);
    assert.match(diff.stdout, /1\. Alter table users \(add name\)\n {5}ALTER TABLE "users" ADD COLUMN "name" TEXT\n/);

    // --force empties the marked shadow; SQLITE_SHADOW_DB_PATH chooses the file.
    mkdirSync(join(dir, 'data'));
    const moved = await run(['shadow', 'prepare', '--force'], { SQLITE_SHADOW_DB_PATH: 'data/orm-shadow.db' });
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(JSON.parse(moved.stdout).shadow_path, join(dir, 'data', 'orm-shadow.db'));
    const empty = await run(['shadow', 'diff', '--output', 'text']);
    assert.match(empty.stdout, /Drop table users/);
    const mine = await run(['shadow', 'prepare', '--force'], { SQLITE_SHADOW_DB_PATH: 'app.db' });
    assert.equal(mine.code, 2);
    assert.match(mine.stderr, /app\.db: the shadow is the environment's own database; set SQLITE_SHADOW_DB_PATH to another file\n$/);
    const released = await run(['shadow', 'release']);
    assert.equal(released.code, 0, released.stderr);
    assert.match(released.stderr, /Released the shadow of environment "local"/);
  } finally {
    cleanup();
  }
});

test('SQLite: every other command of --help works or says in one line that it is Postgres-only', { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempProject({ 'v1.sql': V1, 'v2.sql': V2, 'alembic/versions/.keep': '' });
  const run = (args: string[]) => runCli(args, { cwd: dir });
  try {
    assert.equal((await run(['apply', '--schema', 'v1.sql', '--target', 'app.db', '--auto-approve'])).code, 0);
    const plan = await run(['plan', '--from', 'app.db', '--to', 'v2.sql']);
    assert.equal(plan.code, 0, plan.stderr);
    writeFileSync(join(dir, 'plan.json'), plan.stdout);
    const pending = await run(['plan', '--from', 'app.db', '--to', 'v2.sql', '--check', '--output', 'markdown']);
    assert.equal(pending.code, 4, 'plan --check: changes pending');
    assert.match(pending.stdout, /Rebuild table users/);
    const inSync = await run(['plan', '--from', 'app.db', '--to', 'v1.sql', '--check']);
    assert.equal(inSync.code, 0, inSync.stderr);
    const back = await run(['plan-rollback', '--plan', 'plan.json', '--from', 'app.db', '--output', 'text']);
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stdout, /Rollback: /);
    writeFileSync(join(dir, 'pg.json'), JSON.stringify({ ...JSON.parse(plan.stdout), dialect: 'postgres' }));
    const foreign = await run(['apply', 'pg.json', '--target', 'app.db', '--auto-approve']);
    assert.equal(foreign.code, 2);
    assert.equal(foreign.stderr, 'Error: pg.json: a postgres plan, and app.db is a SQLite database; make the plan against it\n');
    for (const flags of [['--exclude-schema', 'audit'], ['--include', 'main.users*'], ['--preset', 'supabase']]) {
      const scoped = await run(['plan', '--from', 'app.db', '--to', 'v2.sql', ...flags]);
      assert.equal(scoped.code, 2, `${flags[0]} on SQLite is a usage error`);
      assert.equal(scoped.stderr, `Error: ${flags[0]}: not available for SQLite/libSQL (one schema, main: every table is managed)\n`);
    }
    const exported = await run(['export', 'alembic', '--plan', 'plan.json', '--message', 'v2']);
    assert.equal(exported.code, 2);
    assert.equal(exported.stderr, 'Error: plan.json: a SQLite plan; export alembic is Postgres-only (apply SQLite plans with lockplane apply)\n');
    const init = await run(['init', '--yes', '--db-type', 'sqlite', '--file-path', 'app.db']);
    assert.equal(init.code, 0, init.stderr);
    const status = await run(['status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^Target: app\.db\nLast apply: #1 .* applied +1\/1 steps/);
  } finally {
    cleanup();
  }
});
