// The same user flows against the real Postgres server.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { REPO_ROOT, runCli, tempProject } from './cli.js';

const QUICKSTART = join(REPO_ROOT, 'examples', 'quickstart');

serverTest('server: apply via DATABASE_URL, introspect --format sql, converge, roll back', async () => {
  await withServerDatabase(async (url) => {
    const { dir, cleanup } = tempProject();
    try {
      const env = { DATABASE_URL: url };
      const applied = await runCli(['apply', '--schema', QUICKSTART, '--auto-approve'], { cwd: dir, env });
      assert.equal(applied.code, 0, applied.stderr);
      assert.doesNotMatch(applied.stderr, /Using the embedded database/);
      assert.match(applied.stdout, /Applied \d+ steps/);

      const again = await runCli(['plan', '--to', QUICKSTART], { cwd: dir, env });
      assert.equal(again.code, 0, again.stderr);
      assert.equal((JSON.parse(again.stdout) as { steps: unknown[] }).steps.length, 0);

      const ddl = await runCli(['introspect', '--format', 'sql'], { cwd: dir, env });
      assert.equal(ddl.code, 0, ddl.stderr);
      assert.match(ddl.stdout, /CREATE TABLE "public"\."posts"/);
      assert.match(ddl.stdout, /FOREIGN KEY \("author_id"\) REFERENCES "public"\."users" \("id"\) ON DELETE CASCADE/);
    } finally {
      cleanup();
    }
  });
});

serverTest('server: --target wins over DATABASE_URL, and a wrong password is never printed', async () => {
  await withServerDatabase(async (url) => {
    const { dir, cleanup } = tempProject({ 'a.sql': 'CREATE TABLE a (id int PRIMARY KEY);' });
    try {
      const bogus = 'postgresql://nobody:topsecret@127.0.0.1:1/none';
      const applied = await runCli(['apply', '--schema', 'a.sql', '--target', url, '--auto-approve'], {
        cwd: dir,
        env: { DATABASE_URL: bogus },
      });
      assert.equal(applied.code, 0, applied.stderr);
      const failed = await runCli(['apply', '--schema', 'a.sql', '--auto-approve'], { cwd: dir, env: { DATABASE_URL: bogus } });
      assert.equal(failed.code, 1);
      assert.doesNotMatch(failed.stderr + failed.stdout, /topsecret/);
    } finally {
      cleanup();
    }
  });
});
