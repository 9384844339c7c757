// Fault injection on a real server: the CLI is killed, or its connection
// terminated, in the middle of a step. The database stays at a step boundary
// (the transaction rolls back), the ledger shows the unfinished apply, and
// running the same apply again completes the plan.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, type PgSession } from '../../src/dialects/postgres/session.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { BIN, runCli, tempProject } from './cli.js';

const PLAN = JSON.stringify({
  steps: [
    { description: 'Create table a', sql: 'CREATE TABLE a (id int)' },
    { description: 'A slow step', sql: 'SELECT pg_sleep(4)' },
    { description: 'Create table b', sql: 'CREATE TABLE b (id int)' },
  ],
});

async function waitFor(check: () => Promise<boolean>, what: string, seconds = 20): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleeping = async (admin: PgSession, database: string): Promise<number[]> =>
  (
    await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep%'`, [
      database,
    ])
  ).map((r) => r.pid);

async function tables(url: string): Promise<string[]> {
  const s = await connect(url);
  try {
    return (await s.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relname IN ('a', 'b') ORDER BY 1`)).map((r) => r.relname);
  } finally {
    await s.close();
  }
}

async function interruptMidStep(how: 'SIGKILL' | 'pg_terminate_backend'): Promise<void> {
  await withServerDatabase(async (url) => {
    const database = new URL(url).pathname.slice(1);
    const { dir, cleanup } = tempProject({ 'plan.json': PLAN });
    const admin = await connect(url);
    try {
      const child = spawn(process.execPath, [BIN, 'apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow'], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await waitFor(async () => (await sleeping(admin, database)).length > 0, 'the slow step to start');
      if (how === 'SIGKILL') {
        child.kill('SIGKILL');
      } else {
        for (const pid of await sleeping(admin, database)) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      }
      const code = await exited;
      if (how === 'pg_terminate_backend') {
        assert.equal(code, 1, stderr);
        assert.match(stderr, /step 2 \(A slow step\) failed: terminating connection/);
      }
      // The server notices a killed client when the sleep ends; then its transaction rolls back and its locks go.
      await waitFor(async () => (await sleeping(admin, database)).length === 0, 'the orphaned backend to end');
      assert.deepEqual(await tables(url), [], 'the database is at a step boundary: nothing of the plan committed');

      await waitFor(async () => {
        const status = await runCli(['status', '--db', url], { cwd: dir });
        return /Unfinished apply #1: its process or connection ended before it finished; no step committed/.test(status.stdout);
      }, 'status to report the unfinished apply');

      const again = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow', '--lock-wait', '10'], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(await tables(url), ['a', 'b']);
      const history = JSON.parse((await runCli(['history', '--db', url, '--format', 'json'], { cwd: dir })).stdout) as { status: string }[];
      assert.deepEqual(history.map((h) => h.status), ['applied', 'interrupted'], 'the dead apply is marked interrupted by the next one');
    } finally {
      await admin.close();
      cleanup();
    }
  });
}

serverTest('SIGKILL of the CLI in the middle of a step: rolled back, reported, and completed by a re-run', () => interruptMidStep('SIGKILL'));
serverTest('pg_terminate_backend in the middle of a step: exit 1, rolled back, reported, completed by a re-run', () =>
  interruptMidStep('pg_terminate_backend'),
);
