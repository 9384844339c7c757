// Lock analysis through the CLI: `plan --from <live database>` analyses for
// that server's version and records it; `apply` shows the locks of the steps
// it is about to run; a plan file with locks applies like any other.
import assert from 'node:assert/strict';
import { connect } from '../../src/dialects/postgres/session.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { runCli, tempProject } from './cli.js';

interface PlanJson {
  lock_analysis_version?: number;
  steps: { description: string; hazards?: string[]; locks?: { table: string; mode: string; effect: string; hazards?: string[] }[] }[];
}

const DESIRED = JSON.stringify({
  tables: [
    {
      name: 'accounts',
      columns: [
        { name: 'id', type: 'integer', nullable: false, is_primary_key: true },
        { name: 'n', type: 'bigint', nullable: true },
      ],
      indexes: [{ name: 'accounts_n_idx', columns: ['n'], unique: false }],
    },
  ],
});

serverTest('plan --from a live database: locks for its server version; apply shows them before it runs (the plain plan, --no-online)', () =>
  withServerDatabase(async (url) => {
    const session = await connect(url);
    let version: number;
    try {
      await session.exec('CREATE TABLE accounts (id integer PRIMARY KEY, n integer); INSERT INTO accounts SELECT g, g FROM generate_series(1, 100) g');
      version = Number((await session.query<{ v: string }>("SELECT current_setting('server_version_num') AS v"))[0]!.v);
    } finally {
      await session.close();
    }
    const { dir, cleanup } = tempProject({ 'desired.json': DESIRED });
    try {
      const result = await runCli(['plan', '--from', url, '--to', 'desired.json', '--no-online'], { cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      const plan = JSON.parse(result.stdout) as PlanJson;
      assert.equal(plan.lock_analysis_version, version);
      const type = plan.steps.find((s) => /column n/.test(s.description))!;
      assert.deepEqual(type.locks, [{ table: 'public.accounts', mode: 'ACCESS EXCLUSIVE', effect: 'rewrite', operation: 'ALTER COLUMN TYPE', hazards: ['LP110'] }]);
      const index = plan.steps.find((s) => /Create index/.test(s.description))!;
      assert.deepEqual(index.hazards, ['LP111']);

      const text = await runCli(['plan', '--from', url, '--to', 'desired.json', '--output', 'text', '--validate', '--no-online'], { cwd: dir });
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, /lock public\.accounts: ACCESS EXCLUSIVE, rewrite \(ALTER COLUMN TYPE\) — blocks reads and writes \[LP110\]/);
      assert.match(text.stderr, /⚠ LP110 ALTER COLUMN TYPE takes ACCESS EXCLUSIVE on public\.accounts and rewrites it/);
      assert.match(text.stderr, /✓ All validations passed/);

      // Lock hazards are warnings: apply runs without --allow-hazards, after showing the locks.
      const applied = await runCli(['apply', '--schema', 'desired.json', '--target', url, '--auto-approve', '--skip-shadow', '--no-online'], { cwd: dir });
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stderr, /lock public\.accounts: SHARE, scan \(CREATE INDEX\) — blocks writes \[LP111\]/);
    } finally {
      cleanup();
    }
  }),
);
