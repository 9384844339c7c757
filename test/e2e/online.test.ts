// Online mode through the CLI on the server: `plan` writes the online forms
// for a table holding rows (`--no-online` the plain ones), `apply` runs the
// multi-step plan, and an apply killed in the middle of an online step — a
// DROP INDEX CONCURRENTLY waiting for a reader, or between ADD … NOT VALID
// and VALIDATE — finishes when the same apply runs again.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { connect, type PgSession } from '../../src/dialects/postgres/session.js';
import type { Plan } from '../../src/plan/types.js';
import { schemaHash } from '../../src/schema/hash.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { BIN, runCli, tempProject } from './cli.js';

const CURRENT = `
  CREATE TABLE teams (id integer PRIMARY KEY);
  CREATE TABLE users (id integer NOT NULL, email text, age integer, team integer);
  CREATE INDEX users_age ON users (age);
  CREATE INDEX users_x ON users (team);
  INSERT INTO teams VALUES (1), (2);
  INSERT INTO users SELECT g, 'u' || g, 20 + g % 50, 1 + g % 2 FROM generate_series(1, 2000) g;`;

const DESIRED = `
CREATE TABLE teams (id integer PRIMARY KEY);
CREATE TABLE users (
  id integer PRIMARY KEY,
  email text NOT NULL UNIQUE,
  age integer CONSTRAINT adult CHECK (age >= 18),
  team integer CONSTRAINT users_team REFERENCES teams (id)
);
CREATE INDEX users_x ON users (team, age);
`;

async function waitFor(check: () => Promise<boolean>, what: string, seconds = 30): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function withTarget(fn: (url: string, admin: PgSession, dir: string) => Promise<void>): Promise<void> {
  await withServerDatabase(async (url) => {
    const { dir, cleanup } = tempProject({ 'desired.sql': DESIRED });
    const admin = await connect(url);
    try {
      await admin.exec(CURRENT);
      await fn(url, admin, dir);
    } finally {
      await admin.close();
      cleanup();
    }
  });
}

async function planFile(url: string, dir: string, ...flags: string[]): Promise<Plan> {
  const planned = await runCli(['plan', '--from', url, '--to', 'desired.sql', ...flags], { cwd: dir });
  assert.equal(planned.code, 0, planned.stderr);
  writeFileSync(join(dir, 'plan.json'), planned.stdout);
  return JSON.parse(planned.stdout) as Plan;
}

const sqlText = (plan: Plan): string => plan.steps.flatMap((s) => s.sql).join('\n');

/** The desired state, reached: the rows kept, every constraint validated, every index valid, nothing left to plan. */
async function assertDone(url: string, admin: PgSession, dir: string, plan: Plan): Promise<void> {
  assert.equal(schemaHash(await introspect(admin)), plan.target_hash);
  assert.equal((await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n, 2000);
  assert.deepEqual(await admin.query(`SELECT conname FROM pg_constraint WHERE NOT convalidated`), []);
  assert.deepEqual(await admin.query(`SELECT indexrelid FROM pg_index WHERE NOT indisvalid`), []);
  const again = await runCli(['plan', '--from', url, '--to', 'desired.sql'], { cwd: dir });
  assert.deepEqual((JSON.parse(again.stdout) as Plan).steps, []);
}

serverTest('plan writes the online forms for a table holding rows, --no-online the plain ones; apply runs the online plan', async () => {
  await withTarget(async (url, admin, dir) => {
    const plain = sqlText(await planFile(url, dir, '--no-online'));
    assert.doesNotMatch(plain, /CONCURRENTLY|NOT VALID|VALIDATE|USING INDEX/);
    const plan = await planFile(url, dir);
    const text = sqlText(plan);
    for (const form of [
      'CREATE UNIQUE INDEX CONCURRENTLY "users_email_key"',
      'ADD CONSTRAINT "users_email_key" UNIQUE USING INDEX "users_email_key"',
      'ADD CONSTRAINT "users_pkey" PRIMARY KEY USING INDEX "users_pkey"',
      'ADD CONSTRAINT "adult" CHECK ((age >= 18)) NOT VALID',
      'VALIDATE CONSTRAINT "adult"',
      'ADD CONSTRAINT "lp_nn_email" CHECK ("email" IS NOT NULL) NOT VALID',
      'DROP INDEX CONCURRENTLY "public"."users_age"',
      'CREATE INDEX CONCURRENTLY "lp_new_users_x"',
      'ALTER INDEX "public"."lp_new_users_x" RENAME TO "users_x"',
      'FOREIGN KEY ("team") REFERENCES "public"."teams" ("id") NOT VALID',
    ]) {
      assert.ok(text.includes(form), `${form}\nin\n${text}`);
    }
    assert.ok(plan.steps.some((s) => s.transaction === 'own'));
    const applied = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, new RegExp(`Applied ${plan.steps.length} steps`));
    await assertDone(url, admin, dir, plan);
  });
}, { timeout: 240_000 });

/** Runs apply, kills it at the moment `reached` says, lets the server end its backend. */
async function killApply(url: string, dir: string, admin: PgSession, env: Record<string, string>, reached: (stderr: string) => Promise<boolean>): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow', '--lock-timeout', '60s'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await waitFor(() => reached(stderr), 'the moment to kill the apply');
  child.kill('SIGKILL');
  await exited;
}

const lockplaneBackends = async (admin: PgSession, except: number): Promise<number> =>
  (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'lockplane' AND pid <> $1 AND pid <> pg_backend_pid()`, [except])).length;

serverTest('SIGKILL while DROP INDEX CONCURRENTLY waits for a reader: the INVALID index is dropped on resume and the plan finishes', async () => {
  await withTarget(async (url, admin, dir) => {
    const plan = await planFile(url, dir);
    const reader = await connect(url);
    try {
      const readerPid = (await reader.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
      await reader.exec('BEGIN; SELECT count(*) FROM users');
      await killApply(url, dir, admin, {}, async () =>
        (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE query LIKE 'DROP INDEX CONCURRENTLY%' AND wait_event_type = 'Lock'`)).length > 0,
      );
      await waitFor(async () => (await lockplaneBackends(admin, readerPid)) === 0, "the killed apply's backend to end");
      await reader.exec('ROLLBACK');
    } finally {
      await reader.close();
    }
    const left = await admin.query<{ relname: string }>(`SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid`);
    assert.deepEqual(left.map((r) => r.relname), ['users_age'], 'the interrupted drop left its index INVALID');
    const again = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--lock-wait', '30'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /finished dropping the index "public"."users_age", left INVALID by the interrupted step/);
    await assertDone(url, admin, dir, plan);
  });
}, { timeout: 240_000 });

serverTest('SIGKILL between ADD … NOT VALID and its VALIDATE: the re-run resumes at the VALIDATE and finishes', async () => {
  await withTarget(async (url, admin, dir) => {
    const plan = await planFile(url, dir);
    const add = plan.steps.findIndex((s) => [s.sql].flat().some((q) => q.includes('ADD CONSTRAINT "adult"')));
    assert.equal(plan.steps[add + 1]!.transaction, 'own');
    await killApply(url, dir, admin, { LOCKPLANE_TEST_PAUSE_AFTER_STEP: String(add + 1) }, async (stderr) => stderr.includes(`LOCKPLANE_TEST_PAUSED after step ${add + 1}\n`));
    await waitFor(async () => (await lockplaneBackends(admin, 0)) === 0, "the killed apply's backend to end");
    assert.deepEqual((await admin.query<{ conname: string }>(`SELECT conname FROM pg_constraint WHERE NOT convalidated`)).map((r) => r.conname), ['adult']);
    const again = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--lock-wait', '30'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`Resuming at step ${add + 2}`));
    await assertDone(url, admin, dir, plan);
  });
}, { timeout: 240_000 });

// ---- The column rewrites under concurrent writes -------------------------------------

const ORDERS = `
  CREATE TABLE orders (id bigint PRIMARY KEY, amount integer NOT NULL DEFAULT 0, note text);
  INSERT INTO orders SELECT g, g * 2, 'n' || g FROM generate_series(1, 20000) g;`;

const ORDERS_DESIRED = `
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  amount bigint NOT NULL DEFAULT 0,
  note text,
  token uuid NOT NULL DEFAULT gen_random_uuid()
);
`;

/** Writes that keep amount = id * 2 (inserts above the rows, updates of them) until stopped; counts the ones that fail. */
function writeLoad(url: string): { stop: () => Promise<{ writes: number; failed: string[] }> } {
  let running = true;
  const failed: string[] = [];
  let writes = 0;
  const done = (async () => {
    const session = await connect(url);
    try {
      for (let i = 1; running; i++) {
        const id = 1_000_000 + i;
        try {
          await session.query('INSERT INTO orders (id, amount, note) VALUES ($1, $2, $3)', [id, id * 2, 'w']);
          await session.query('UPDATE orders SET amount = id * 2, note = $2 WHERE id = $1', [1 + (i * 7919) % 20000, `u${i}`]);
          writes += 2;
        } catch (error) {
          failed.push(error instanceof Error ? error.message : String(error));
        }
      }
    } finally {
      await session.close();
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return { writes, failed };
    },
  };
}

serverTest('apply: a volatile-default column and integer → bigint by expand/contract over rows, under concurrent writes; every row right, then the rollback', async () => {
  await withServerDatabase(async (url) => {
    const { dir, cleanup } = tempProject({ 'desired.sql': ORDERS_DESIRED });
    const admin = await connect(url);
    try {
      await admin.exec(ORDERS);
      const before = await runCli(['introspect', '--db', url], { cwd: dir });
      writeFileSync(join(dir, 'before.json'), before.stdout);
      const plan = await planFile(url, dir);
      const text = sqlText(plan);
      for (const form of ['ADD COLUMN "lp_new_amount" bigint', 'CREATE TRIGGER "lp_sync_orders_amount"', 'RENAME COLUMN "lp_new_amount" TO "amount"', 'ADD COLUMN "token" uuid', 'SET DEFAULT gen_random_uuid()']) {
        assert.ok(text.includes(form), `${form}\nin\n${text}`);
      }
      assert.equal(plan.steps.filter((s) => s.backfill).length, 2);
      const load = writeLoad(url);
      const applied = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--batch-size', '2000', '--lock-timeout', '2s'], { cwd: dir });
      const { writes, failed } = await load.stop();
      assert.equal(applied.code, 0, applied.stderr);
      assert.ok(writes > 0, 'the writes went on during the apply');
      assert.deepEqual(failed, [], 'no concurrent write failed');
      assert.equal(schemaHash(await introspect(admin)), plan.target_hash);
      const [rows] = await admin.query<{ n: number; wrong: number; tokens: number; type: string }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE amount IS DISTINCT FROM id * 2)::int AS wrong, count(DISTINCT token)::int AS tokens,
                (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'amount') AS type FROM orders`,
      );
      assert.equal(rows!.wrong, 0, 'every amount right, the concurrent writes included');
      assert.equal(rows!.tokens, rows!.n, 'every row has its own token');
      assert.equal(rows!.type, 'bigint');
      const again = await runCli(['plan', '--from', url, '--to', 'desired.sql'], { cwd: dir });
      assert.deepEqual((JSON.parse(again.stdout) as Plan).steps, [], 'a second plan is empty');

      const rollback = await runCli(['rollback', '--plan', 'plan.json', '--from', 'before.json'], { cwd: dir });
      assert.equal(rollback.code, 0, rollback.stderr);
      writeFileSync(join(dir, 'rollback.json'), rollback.stdout);
      const undone = await runCli(['apply', 'rollback.json', '--target', url, '--auto-approve', '--allow-hazards', 'all'], { cwd: dir });
      assert.equal(undone.code, 0, undone.stderr);
      const [back] = await admin.query<{ wrong: number; type: string; token: number }>(
        `SELECT count(*) FILTER (WHERE amount IS DISTINCT FROM id * 2)::int AS wrong,
                (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'amount') AS type,
                (SELECT count(*)::int FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'token' AND NOT attisdropped) AS token FROM orders`,
      );
      assert.deepEqual(back, { wrong: 0, type: 'integer', token: 0 });
    } finally {
      await admin.close();
      cleanup();
    }
  });
}, { timeout: 240_000 });
