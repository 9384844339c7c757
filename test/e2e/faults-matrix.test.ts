// The fault matrix (issue 4, acceptance 1 and 6) on a real server: a plan
// mixing transactional and non-transactional steps; the CLI is SIGKILLed at
// every step boundary (LOCKPLANE_TEST_PAUSE_AFTER_STEP) and in the middle of
// a long transactional step and of a concurrent index build. Each time: the
// database is at a step boundary (but for the INVALID index a killed
// concurrent build leaves, which the resume drops), the ledger agrees, and
// running the same apply again completes the plan with the final state equal
// to the desired one. Then a statement failing inside a transactional group.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidIndexesRemoved } from '../../src/apply/leftovers.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { connect, type PgSession } from '../../src/dialects/postgres/session.js';
import { schemaHash } from '../../src/schema/hash.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { BIN, runCli, tempProject } from './cli.js';

interface Step {
  description: string;
  sql: string;
  transactional: boolean;
}

// Groups: [1 2] [3] [4 5] [6] [7].
const STEPS: Step[] = [
  { description: 'Create table items', sql: 'CREATE TABLE items (id int NOT NULL, v int)', transactional: true },
  { description: 'Fill items', sql: 'INSERT INTO items SELECT g, g % 1000 FROM generate_series(1, 20000) g', transactional: true },
  { description: 'Index items.v concurrently', sql: 'CREATE INDEX CONCURRENTLY items_v_idx ON items (v)', transactional: false },
  { description: 'Create table notes', sql: 'CREATE TABLE notes (id int)', transactional: true },
  { description: 'A slow step', sql: 'DO $$ BEGIN PERFORM pg_sleep(1.5); END $$', transactional: true },
  { description: 'Index notes.id concurrently', sql: 'CREATE INDEX CONCURRENTLY notes_id_idx ON notes (id)', transactional: false },
  { description: 'Add column notes.body', sql: 'ALTER TABLE notes ADD COLUMN body text', transactional: true },
];
/** After a kill at step N's end, the steps committed: inside a transaction, the group's first step minus one. */
const COMMITTED_AFTER = [0, 0, 2, 3, 3, 5, 6, 7];

async function hashOf(session: PgSession): Promise<string> {
  return schemaHash(await invalidIndexesRemoved(session, await introspect(session)));
}

/** The schema hash at every step boundary 0..7, from running the steps one by one on a scratch database. */
async function boundaryHashes(): Promise<string[]> {
  return withServerDatabase(async (url) => {
    const s = await connect(url);
    try {
      const hashes = [await hashOf(s)];
      for (const step of STEPS) {
        await s.exec(step.sql);
        hashes.push(await hashOf(s));
      }
      return hashes;
    } finally {
      await s.close();
    }
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, seconds = 30): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const others = async (admin: PgSession, database: string, where = 'true', params: unknown[] = []): Promise<number> =>
  (
    await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND ${where}`,
      [database, ...params],
    )
  )[0]!.n;

type Kill =
  | { kind: 'after'; step: number }
  | { kind: 'in slow step' }
  | { kind: 'in index build' };

interface Ledger {
  status: string;
  steps_done: number;
}

async function killAndResume(kill: Kill, hashes: string[], plan: string): Promise<void> {
  await withServerDatabase(async (url) => {
    const database = new URL(url).pathname.slice(1);
    const { dir, cleanup } = tempProject({ 'plan.json': plan });
    const admin = await connect(url);
    const blocker = await connect(url);
    try {
      // A transaction holding an old snapshot makes a concurrent build wait before it can validate (the index is already in the catalog, INVALID).
      const blockerPid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
      if (kill.kind === 'in index build') await blocker.exec('BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1');
      const env = { ...process.env, NO_COLOR: '1', ...(kill.kind === 'after' ? { LOCKPLANE_TEST_PAUSE_AFTER_STEP: String(kill.step) } : {}) };
      const child = spawn(process.execPath, [BIN, 'apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow', '--lock-timeout', '60s'], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
      if (kill.kind === 'after') {
        await waitFor(async () => stderr.includes(`LOCKPLANE_TEST_PAUSED after step ${kill.step}\n`), `the pause after step ${kill.step}`);
      } else if (kill.kind === 'in slow step') {
        await waitFor(async () => (await others(admin, database, `query LIKE 'DO $$ BEGIN PERFORM pg_sleep%' AND state = 'active'`)) > 0, 'the slow step');
      } else {
        await waitFor(
          async () => (await admin.query(`SELECT 1 FROM pg_stat_progress_create_index WHERE datname = $1 AND phase LIKE 'waiting for old snapshots'`, [database])).length > 0,
          'the index build to wait',
        );
      }
      child.kill('SIGKILL');
      await exited;
      // The server ends the killed client's backend (at once when idle, within client_connection_check_interval when busy);
      // the blocker stays until then, else the build would go on and finish.
      await waitFor(async () => (await others(admin, database, `application_name = 'lockplane' AND pid <> $2`, [blockerPid])) === 0, "the killed apply's backend to end");
      await blocker.exec('ROLLBACK').catch(() => undefined);
      await blocker.close();

      const committed = kill.kind === 'after' ? COMMITTED_AFTER[kill.step]! : kill.kind === 'in slow step' ? 3 : 2;
      assert.equal(await hashOf(admin), hashes[committed], `${describe(kill)}: the database is at the boundary after step ${committed}`);
      const invalid = await admin.query(`SELECT 1 FROM pg_index WHERE NOT indisvalid`);
      assert.equal(invalid.length, kill.kind === 'in index build' ? 1 : 0, 'only a killed concurrent build leaves an INVALID index');
      const [ledger] = JSON.parse((await runCli(['history', '--db', url, '--format', 'json'], { cwd: dir })).stdout) as Ledger[];
      const finished = committed === STEPS.length;
      assert.deepEqual([ledger!.status, ledger!.steps_done], [finished ? 'applied' : 'running', committed], `${describe(kill)}: the ledger agrees`);
      if (!finished) {
        const status = await runCli(['status', '--db', url], { cwd: dir });
        assert.match(status.stdout, new RegExp(`Unfinished apply #1: .*; ${committed === 0 ? 'no step committed' : `steps 1-${committed} of 7 committed`}`));
        assert.match(status.stdout, new RegExp(`to resume at step ${committed + 1}`));
        if (kill.kind === 'in index build') assert.match(status.stdout, /it was interrupted in step 3 \(Index items\.v concurrently\)/);
      }

      const again = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow', '--lock-wait', '30'], { cwd: dir });
      assert.equal(again.code, 0, `${describe(kill)}: ${again.stderr}`);
      if (finished) assert.match(again.stderr, /Already applied/);
      else if (committed > 0 || kill.kind === 'in index build') assert.match(again.stderr, new RegExp(`Resuming at step ${committed + 1}`));
      if (kill.kind === 'in index build') assert.match(again.stderr, /dropped the INVALID index "public"."items_v_idx" left by the interrupted step 3/);
      assert.equal(schemaHash(await introspect(admin)), hashes[STEPS.length], `${describe(kill)}: the final state is the desired one`);
      const rows = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
      assert.equal(rows[0]!.n, 20000, 'the data step ran exactly once');
      const history = JSON.parse((await runCli(['history', '--db', url, '--format', 'json'], { cwd: dir })).stdout) as Ledger[];
      assert.equal(history[0]!.status, 'applied');
      assert.equal(history[0]!.steps_done, 7);
    } finally {
      await blocker.close();
      await admin.close();
      cleanup();
    }
  });
}

function describe(kill: Kill): string {
  return kill.kind === 'after' ? `killed after step ${kill.step}` : `killed ${kill.kind}`;
}

let hashes: string[] | undefined;
async function fixture(): Promise<{ hashes: string[]; plan: string }> {
  hashes ??= await boundaryHashes();
  return { hashes, plan: JSON.stringify({ source_hash: hashes[0], target_hash: hashes[STEPS.length], steps: STEPS }) };
}

const kills: Kill[] = [
  ...STEPS.map((_, i): Kill => ({ kind: 'after', step: i + 1 })),
  { kind: 'in slow step' },
  { kind: 'in index build' },
];
for (const kill of kills) {
  serverTest(`SIGKILL ${describe(kill)}: a step boundary, the ledger agrees, a re-run completes`, async () => {
    const { hashes: h, plan } = await fixture();
    await killAndResume(kill, h, plan);
  });
}

serverTest('a statement fails inside a transactional group: the group rolls back, the ledger names the step and the error', () =>
  withServerDatabase(async (url) => {
    const s = await connect(url);
    await s.exec('CREATE TABLE gate (open boolean)');
    await s.close();
    const steps = [...STEPS.slice(0, 4), { description: 'Check the gate', sql: `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM gate) THEN RAISE EXCEPTION 'the gate is closed'; END IF; END $$`, transactional: true }, ...STEPS.slice(5)];
    const { dir, cleanup } = tempProject();
    writeFileSync(join(dir, 'plan.json'), JSON.stringify({ steps }));
    const admin = await connect(url);
    try {
      const failed = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow'], { cwd: dir });
      assert.equal(failed.code, 1, failed.stderr);
      assert.match(failed.stderr, /Error: step 5 \(Check the gate\) failed: the gate is closed/);
      const tables = await admin.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relname IN ('items', 'items_v_idx', 'notes') ORDER BY 1`);
      assert.deepEqual(tables.map((t) => t.relname), ['items', 'items_v_idx'], 'steps 1-3 committed; step 4, in the failed group, rolled back');
      const [apply] = JSON.parse((await runCli(['history', '--db', url, '--format', 'json'], { cwd: dir })).stdout) as (Ledger & { failed_step: number; error: string })[];
      assert.deepEqual([apply!.status, apply!.steps_done, apply!.failed_step], ['failed', 3, 5]);
      assert.match(apply!.error, /the gate is closed/);
      const step = await admin.query<{ status: string; error: string }>(`SELECT status, error FROM lockplane.apply_steps WHERE step = 5`);
      assert.equal(step[0]!.status, 'failed');
      assert.match(step[0]!.error, /the gate is closed/);
      const status = await runCli(['status', '--db', url], { cwd: dir });
      assert.match(status.stdout, /Unfinished apply #1: step 5 \(Check the gate\) failed: the gate is closed; steps 1-3 of 7 committed\.\n {2}Run the same plan again .* to resume at step 4/);

      await admin.exec('INSERT INTO gate VALUES (true)');
      const again = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow'], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /Resuming at step 4/);
      const done = await admin.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relname IN ('notes', 'notes_id_idx') ORDER BY 1`);
      assert.equal(done.length, 2);
    } finally {
      await admin.close();
      cleanup();
    }
  }),
);
