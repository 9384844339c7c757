// The same user flows against the real Postgres server.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../../src/dialects/postgres/session.js';
import { SERVER_URL, serverTest, withServerDatabase } from '../helpers/databases.js';
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
      assert.match(again.stderr, /normalized in the embedded Postgres 18, the database is Postgres 15: views and functions may show as changed/);
      await withServerDatabase(async (shadow) => {
        const withShadow = await runCli(['plan', '--to', QUICKSTART], { cwd: dir, env: { ...env, SHADOW_DATABASE_URL: shadow } });
        assert.equal(withShadow.code, 0, withShadow.stderr);
        assert.doesNotMatch(withShadow.stderr, /normalized in the embedded Postgres/, 'no warning with a server shadow');
      });
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

serverTest('server: SHADOW_DATABASE_URL is used as the shadow, reset after use, and refused when it is the target', async () => {
  await withServerDatabase((url) =>
    withServerDatabase(async (shadowUrl) => {
      const { dir, cleanup } = tempProject({ 'a.sql': 'CREATE TABLE a (id int PRIMARY KEY, v varchar(10));' });
      try {
        const env = { SHADOW_DATABASE_URL: shadowUrl };
        const applied = await runCli(['apply', '--schema', 'a.sql', '--target', url, '--auto-approve'], { cwd: dir, env });
        assert.equal(applied.code, 0, applied.stderr);
        assert.match(applied.stderr, /Plan proven on the shadow \(shadow database postgresql:/);
        assert.match(applied.stderr, /Rollback proven on the shadow/);
        const shadow = await connect(shadowUrl);
        try {
          assert.deepEqual(await shadow.query(`SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = relnamespace WHERE nspname = 'public'`), []);
        } finally {
          await shadow.close();
        }

        writeFileSync(join(dir, 'c.sql'), 'CREATE TABLE c (id int);');
        const shadowIsTarget = await runCli(['plan', '--from', url, '--to', 'c.sql'], {
          cwd: dir,
          env: { SHADOW_DATABASE_URL: url.replace('127.0.0.1', 'localhost') },
        });
        assert.equal(shadowIsTarget.code, 2, shadowIsTarget.stderr);
        assert.match(shadowIsTarget.stderr, /is the same database as|not empty and not marked as Lockplane's/);
        const target = await connect(url);
        try {
          assert.equal((await target.query(`SELECT 1 FROM pg_class WHERE relname = 'a'`)).length, 1, 'the target is untouched');
        } finally {
          await target.close();
        }

        const badShadow = await runCli(['plan', '--from', url, '--to', 'a.sql'], {
          cwd: dir,
          env: { SHADOW_DATABASE_URL: 'postgresql://nobody:pw-in-shadow@127.0.0.1:1/x' },
        });
        assert.equal(badShadow.code, 1, badShadow.stderr);
        assert.match(badShadow.stderr, /^Error: cannot connect to postgresql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/x/);
        assert.doesNotMatch(badShadow.stderr, /pw-in-shadow/);
      } finally {
        cleanup();
      }
    }),
  );
});
