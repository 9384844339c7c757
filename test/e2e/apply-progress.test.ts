// apply's progress: --json events on stdout (the documented machine
// interface), plain lines on stderr without a terminal, and the progress of
// an index build read from pg_stat_progress_create_index.
import assert from 'node:assert/strict';
import { connect } from '../../src/dialects/postgres/session.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { runCli, tempProject } from './cli.js';

interface Event {
  event: string;
  [key: string]: unknown;
}

const events = (stdout: string): Event[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as Event);

const plan = (steps: { sql: string; transactional?: boolean }[]): string =>
  JSON.stringify({ steps: steps.map((s, i) => ({ description: `step ${i + 1}`, ...s })) });

serverTest('--json: newline-delimited events on stdout, and nothing else there', () =>
  withServerDatabase(async (url) => {
    const { dir, cleanup } = tempProject({
      'plan.json': plan([
        { sql: 'CREATE TABLE t (id int)' },
        { sql: 'CREATE INDEX CONCURRENTLY t_id_idx ON t (id)', transactional: false },
        { sql: 'ALTER TABLE t ADD COLUMN v int' },
      ]),
      'bad.json': plan([{ sql: 'CREATE TABLE u (id int)' }, { sql: 'ALTER TABLE missing ADD COLUMN v int' }]),
    });
    try {
      const result = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow', '--json'], { cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      const list = events(result.stdout);
      assert.deepEqual(
        list.map((e) => `${e.event}${e.step === undefined ? '' : ` ${String(e.step)}`}`),
        ['apply_started', 'step_started 1', 'step_finished 1', 'step_started 2', 'step_finished 2', 'step_started 3', 'step_finished 3', 'apply_finished'],
      );
      assert.deepEqual({ ...list[0], time: undefined, apply_id: undefined }, {
        event: 'apply_started', target: url, steps: 3, from_step: 0, resumes: null, time: undefined, apply_id: undefined,
      });
      assert.equal(list[3]!.transactional, false);
      assert.equal(typeof list[2]!.duration_ms, 'number');
      const finished = list.at(-1)!;
      assert.equal(finished.status, 'applied');
      assert.equal(finished.steps_applied, 3);
      assert.ok(list.every((e) => typeof e.time === 'string'));

      const failed = await runCli(['apply', 'bad.json', '--target', url, '--auto-approve', '--skip-shadow', '--json'], { cwd: dir });
      assert.equal(failed.code, 1, failed.stderr);
      const last = events(failed.stdout).at(-1)!;
      assert.equal(last.event, 'apply_finished');
      assert.equal(last.status, 'failed');
      assert.equal(last.failed_step, 2);
      assert.match(String(last.error), /relation "missing" does not exist/);

      const plain = await runCli(['apply', 'bad.json', '--target', url, '--auto-approve', '--skip-shadow'], { cwd: dir });
      assert.equal(plain.code, 1);
      assert.equal(plain.stdout, '');
      assert.match(plain.stderr, /\n {2}\[1\/2\] step 1\n {2}\[2\/2\] step 2\nError: step 2 \(step 2\) failed/);
    } finally {
      cleanup();
    }
  }),
);

serverTest('an index build reports its phase and percentage from pg_stat_progress_create_index', () =>
  withServerDatabase(async (url) => {
    const s = await connect(url);
    await s.exec('CREATE TABLE big (id int, v int); INSERT INTO big SELECT g, (g::bigint * 7919 % 1000003)::int FROM generate_series(1, 3000000) g; ANALYZE big');
    await s.close();
    const { dir, cleanup } = tempProject({
      'plan.json': plan([{ sql: 'CREATE INDEX CONCURRENTLY big_v_idx ON big (v)', transactional: false }, { sql: 'CREATE TABLE after (id int)' }]),
    });
    try {
      const result = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow', '--json'], { cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      const progress = events(result.stdout).filter((e) => e.event === 'step_progress');
      assert.ok(progress.length > 0, `no step_progress event in ${result.stdout}`);
      assert.ok(progress.every((e) => e.step === 1 && typeof e.phase === 'string'));
      assert.ok(progress.some((e) => typeof e.percent === 'number' && e.percent >= 0 && e.percent <= 100), JSON.stringify(progress));

    } finally {
      cleanup();
    }
  }),
  { timeout: 180_000 },
);
