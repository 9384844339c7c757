// `lockplane shadow prepare/diff/release` through the built CLI: the
// reservation, the embedded shadow's background server (and what happens when
// it dies), and the reset safety of a separate shadow database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { runCli, tempProject, type CliResult } from './cli.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';

const TOML = `default_environment = "local"
[environments.local]
description = "Local development"
`;

interface Reservation {
  shadow_url: string;
  environment: string;
  created_at: string;
  server?: { pid: number; port: number; data_dir: string };
}

function project(envLocal: string): { dir: string; cleanup: () => void } {
  return tempProject({ 'package.json': '{}', 'lockplane.toml': TOML, '.env.local': envLocal });
}

function ok(result: CliResult): CliResult {
  assert.equal(result.code, 0, result.stderr);
  return result;
}

function reservation(dir: string): Reservation {
  return JSON.parse(readFileSync(join(dir, '.lockplane', 'shadow.json'), 'utf8')) as Reservation;
}

/** Alive and not a zombie (an exited child of ours waits for its reaper). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function sql(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

test('embedded shadow: prepare serves PGlite in the background, diff plans to it, release stops it', { timeout: 240_000 }, async () => {
  const { dir, cleanup } = project('DATABASE_URL="pglite://./db"\n');
  try {
    const none = await runCli(['shadow', 'diff'], { cwd: dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no shadow is reserved .*run `lockplane shadow prepare` first/);

    const prepared = ok(await runCli(['shadow', 'prepare', '--target-environment', 'local'], { cwd: dir }));
    const handle = JSON.parse(prepared.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(handle).sort(), ['created_at', 'environment', 'shadow_url']);
    assert.equal(handle.environment, 'local');
    assert.match(handle.shadow_url!, /^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable$/);
    assert.equal(statSync(join(dir, '.lockplane', 'shadow.json')).mode & 0o777, 0o600);
    const first = reservation(dir);
    assert.ok(first.server && running(first.server.pid), 'the background server runs after prepare has exited');

    // An ORM's work, done over the Postgres protocol by another client.
    await sql(handle.shadow_url!, 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL UNIQUE)');
    const diff = ok(await runCli(['shadow', 'diff'], { cwd: dir }));
    const plan = JSON.parse(diff.stdout) as { source_hash: string; steps: { description: string }[] };
    assert.deepEqual(plan.steps.map((s) => s.description), ['Create table users']);
    const planned = ok(await runCli(['plan', '--to', 'pglite://memory'], { cwd: dir }));
    assert.equal(plan.source_hash, (JSON.parse(planned.stdout) as { source_hash: string }).source_hash, 'source_hash is the environment database\'s');
    assert.match(ok(await runCli(['shadow', 'diff', '--output', 'sql'], { cwd: dir })).stdout, /CREATE TABLE "public"\."users"/);

    const again = await runCli(['shadow', 'prepare'], { cwd: dir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /a shadow is already reserved for environment "local" .*--force/);
    assert.equal(reservation(dir).server?.pid, first.server.pid, 'a refused prepare changes nothing');

    ok(await runCli(['shadow', 'prepare', '--force'], { cwd: dir }));
    const second = reservation(dir);
    assert.ok(!running(first.server.pid), '--force stopped the old server');
    assert.ok(second.server && running(second.server.pid));
    assert.deepEqual((JSON.parse(ok(await runCli(['shadow', 'diff'], { cwd: dir })).stdout) as { steps: unknown[] }).steps, [], 'a fresh, empty shadow');

    const released = ok(await runCli(['shadow', 'release'], { cwd: dir }));
    assert.match(released.stderr, /Released the shadow of environment "local"/);
    assert.ok(!running(second.server.pid), 'release stopped the server');
    assert.ok(!existsSync(join(dir, '.lockplane', 'shadow.json')));
    assert.ok(!existsSync(second.server.data_dir), 'its data directory is removed');
    assert.match(ok(await runCli(['shadow', 'release'], { cwd: dir })).stderr, /nothing to release/);
  } finally {
    await runCli(['shadow', 'release'], { cwd: dir });
    cleanup();
  }
});

test('a hung embedded shadow: every shadow command says its server died; release cleans up', { timeout: 240_000 }, async () => {
  const { dir, cleanup } = project('DATABASE_URL="pglite://./db"\n');
  try {
    ok(await runCli(['shadow', 'prepare'], { cwd: dir }));
    const { server } = reservation(dir);
    assert.ok(server);
    process.kill(server.pid, 'SIGKILL');
    for (let i = 0; i < 50 && running(server.pid); i++) await new Promise((r) => setTimeout(r, 100));

    const diff = await runCli(['shadow', 'diff'], { cwd: dir });
    assert.equal(diff.code, 1);
    assert.match(diff.stderr, /the embedded shadow reserved for environment "local" .* cannot be used: its background server died \(process \d+ is not running\); run `lockplane shadow release`/);
    const prepare = await runCli(['shadow', 'prepare'], { cwd: dir });
    assert.equal(prepare.code, 1);
    assert.match(prepare.stderr, /already reserved .*its background server died/);
    const release = ok(await runCli(['shadow', 'release'], { cwd: dir }));
    assert.match(release.stderr, /was no longer running/);
    assert.ok(!existsSync(join(dir, '.lockplane', 'shadow.json')));

    // Alive but not answering (stopped): said so; release falls back to SIGKILL.
    ok(await runCli(['shadow', 'prepare'], { cwd: dir }));
    const stopped = reservation(dir).server;
    assert.ok(stopped);
    process.kill(stopped.pid, 'SIGSTOP');
    const silent = await runCli(['shadow', 'diff'], { cwd: dir });
    assert.equal(silent.code, 1);
    assert.match(silent.stderr, /its background server \(process \d+\) does not answer a query on 127\.0\.0\.1:\d+ within 5 s/);
    ok(await runCli(['shadow', 'release'], { cwd: dir }));
    assert.ok(!running(stopped.pid), 'release stopped the silent server');
  } finally {
    await runCli(['shadow', 'release'], { cwd: dir });
    cleanup();
  }
});

serverTest('separate shadow database: never the target, never an unmarked one with objects; a marked one is reset', async () => {
  await withServerDatabase(async (targetUrl) => {
    await withServerDatabase(async (shadowUrl) => {
      const same = project(`DATABASE_URL="${targetUrl}"\nSHADOW_DATABASE_URL="${targetUrl}"\n`);
      try {
        await sql(targetUrl, 'CREATE TABLE precious (id int)');
        const refused = await runCli(['shadow', 'prepare'], { cwd: same.dir });
        assert.equal(refused.code, 2);
        assert.match(refused.stderr, /is the same database as/);
        assert.ok(!existsSync(join(same.dir, '.lockplane', 'shadow.json')), 'no reservation');
      } finally {
        same.cleanup();
      }

      const { dir, cleanup } = project(`DATABASE_URL="${targetUrl}"\nSHADOW_DATABASE_URL="${shadowUrl}"\n`);
      try {
        await sql(shadowUrl, 'CREATE TABLE someone_elses (id int)');
        const unmarked = await runCli(['shadow', 'prepare'], { cwd: dir });
        assert.equal(unmarked.code, 2);
        assert.match(unmarked.stderr, /not empty and not marked as Lockplane's/);
        assert.equal((await sql(shadowUrl, 'SELECT count(*)::int AS n FROM someone_elses')).rows[0].n, 0, 'the unmarked shadow is untouched');
        await sql(shadowUrl, 'DROP TABLE someone_elses');

        const handle = JSON.parse(ok(await runCli(['shadow', 'prepare'], { cwd: dir })).stdout) as { shadow_url: string };
        assert.equal(handle.shadow_url, shadowUrl);
        assert.equal(reservation(dir).server, undefined, 'no background server for a separate shadow');
        await sql(shadowUrl, 'CREATE TABLE precious (id int, note text)');
        const plan = JSON.parse(ok(await runCli(['shadow', 'diff', '--target-environment', 'local'], { cwd: dir })).stdout) as { steps: { description: string }[] };
        assert.deepEqual(plan.steps.map((s) => s.description), ['Add column note to table precious']);
        ok(await runCli(['shadow', 'release'], { cwd: dir }));

        ok(await runCli(['shadow', 'prepare'], { cwd: dir }));
        const left = await sql(shadowUrl, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
        assert.equal(left.rows[0].n, 0, 'the marked shadow was reset');
        assert.equal((await sql(targetUrl, 'SELECT count(*)::int AS n FROM precious')).rows[0].n, 0, 'the target is untouched');
      } finally {
        await runCli(['shadow', 'release'], { cwd: dir });
        cleanup();
      }
    });
  });
});

serverTest('shadow schema (SHADOW_SCHEMA) in the environment\'s database: reset only when empty or marked, read back as public', async () => {
  await withServerDatabase(async (targetUrl) => {
    const toml = TOML.replace('default_environment = "local"\n', 'default_environment = "local"\nschemas = ["public"]\n');
    const files = (schema: string, withSchemas = true) => ({
      'package.json': '{}',
      'lockplane.toml': withSchemas ? toml : TOML,
      '.env.local': `DATABASE_URL="${targetUrl}"\nSHADOW_SCHEMA=${schema}\n`,
    });
    const refusals: [ReturnType<typeof files>, RegExp][] = [
      [files('public'), /SHADOW_SCHEMA public is a schema the environment uses/],
      [files('lockplane_shadow', false), /list the schemas it manages in lockplane\.toml/],
      [files('theirs'), /shadow schema theirs .* not marked as Lockplane's/],
    ];
    await sql(targetUrl, 'CREATE SCHEMA theirs; CREATE TABLE theirs.keep (id int)');
    for (const [projectFiles, message] of refusals) {
      const refused = tempProject(projectFiles);
      try {
        const result = await runCli(['shadow', 'prepare'], { cwd: refused.dir });
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, message);
      } finally {
        refused.cleanup();
      }
    }
    assert.equal((await sql(targetUrl, 'SELECT count(*)::int AS n FROM theirs.keep')).rows[0].n, 0, 'an unmarked schema is untouched');

    const { dir, cleanup } = tempProject(files('lockplane_shadow'));
    try {
      const handle = JSON.parse(ok(await runCli(['shadow', 'prepare'], { cwd: dir })).stdout) as { shadow_url: string; shadow_schema: string };
      assert.equal(handle.shadow_schema, 'lockplane_shadow');
      assert.match(handle.shadow_url, /options=-csearch_path%3Dlockplane_shadow$/);
      // Unqualified DDL over the handed-out URL lands in the shadow schema.
      await sql(handle.shadow_url, 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL)');
      assert.equal((await sql(targetUrl, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'lockplane_shadow'")).rows[0].n, 1);
      const diff = ok(await runCli(['shadow', 'diff'], { cwd: dir }));
      const plan = JSON.parse(diff.stdout) as { steps: { description: string }[] };
      assert.deepEqual(plan.steps.map((s) => s.description), ['Create table users']);
      assert.match(diff.stdout, /nextval\('public\.users_id_seq'::regclass\)/);
      assert.ok(!diff.stdout.includes('lockplane_shadow'), 'the plan speaks of public, not of the shadow schema');
      writeFileSync(join(dir, 'plan.json'), diff.stdout);
      ok(await runCli(['apply', 'plan.json', '--auto-approve'], { cwd: dir }));
      const after = JSON.parse(ok(await runCli(['shadow', 'diff'], { cwd: dir })).stdout) as { steps: unknown[] };
      assert.deepEqual(after.steps, [], 'the database matches the shadow schema');
      const introspected = JSON.parse(ok(await runCli(['introspect'], { cwd: dir })).stdout) as { tables: { name: string; schema?: string }[] };
      assert.deepEqual(introspected.tables.map((t) => `${t.schema ?? 'public'}.${t.name}`), ['public.users'], 'the shadow schema is not part of the database\'s schema');
    } finally {
      await runCli(['shadow', 'release'], { cwd: dir });
      cleanup();
    }
  });
});
