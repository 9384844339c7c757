// Filters end to end on the Postgres server, against a database shaped like
// Supabase's: an `auth` schema with auth.users and auth.uid() that the platform
// owns, and a project whose public.profiles references auth.users and whose
// policy calls auth.uid(). With preset = "supabase", introspect, plan and apply
// never touch auth; a name glob keeps public.tmp_x; flags override the file.
import { after, test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import pg from 'pg';
import { closeIdleScratch } from '../../src/shadow/scratch.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { runCli, tempProject } from './cli.js';

after(closeIdleScratch);

const PLATFORM = `
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
CREATE TABLE public.tmp_x (id int);
`;

const DESIRED = `
CREATE TABLE public.profiles (
  id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  username text NOT NULL
);
ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_profile ON public.profiles FOR SELECT USING (auth.uid() = id);
`;

async function sql(url: string, text: string): Promise<pg.QueryResult[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = (await client.query(text)) as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(result) ? result : [result];
  } finally {
    await client.end();
  }
}

function project(url: string, toml: string): ReturnType<typeof tempProject> {
  return tempProject({
    'package.json': '{}',
    'lockplane.toml': toml,
    '.env.local': `DATABASE_URL=${url}\n`,
    'schema/app.sql': DESIRED,
  });
}

const TRIGGER = `
CREATE FUNCTION public.handle_new_user() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = ''
  AS $$ BEGIN INSERT INTO public.profiles (id, username) VALUES (NEW.id, NEW.email); RETURN NEW; END $$;
CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth.users FOR EACH ROW EXECUTE FUNCTION public.handle_new_user();
`;

const TOML = 'default_environment = "local"\nschema_path = "schema"\npreset = "supabase"\nexclude = ["public.tmp_*"]\n\n[environments.local]\ndescription = "dev"\n';

const names = (json: string): string[] =>
  (JSON.parse(json) as { tables: { schema: string; name: string }[] }).tables.map((t) => `${t.schema}.${t.name}`);

serverTest('preset supabase + exclude glob: introspect, plan, apply never touch auth or public.tmp_x; a second plan is empty', async () => {
  await withServerDatabase(async (url) => {
    await sql(url, PLATFORM);
    const { dir, cleanup } = project(url, TOML);
    // The Supabase pattern: your function, called by a trigger on the platform's table.
    writeFileSync(join(dir, 'schema', 'trigger.sql'), TRIGGER);
    try {
      const seen = await runCli(['introspect'], { cwd: dir });
      assert.equal(seen.code, 0, seen.stderr);
      assert.deepEqual(names(seen.stdout), [], 'auth.users and public.tmp_x are filtered out');
      assert.doesNotMatch(seen.stdout, /"auth"|uid/);

      const plan = await runCli(['plan', '--validate', '--output', 'text'], { cwd: dir });
      assert.equal(plan.code, 0, plan.stderr);
      assert.match(plan.stdout, /Create table profiles/);
      assert.match(plan.stdout, /REFERENCES "auth"\."users"/, 'the foreign key to auth.users is planned as written');
      assert.match(plan.stdout, /own_profile/);
      assert.doesNotMatch(plan.stdout, /Drop|tmp_x|CREATE TABLE "auth"|CREATE SCHEMA "auth"/);
      assert.doesNotMatch(plan.stderr, /LP301|FAIL/, 'a reference into a filtered-out schema is not dangling');
      assert.match(plan.stdout, /Create function handle_new_user/);
      assert.doesNotMatch(plan.stdout, /on_auth_user_created/, 'a trigger on auth.users is the platform side: not planned');
      assert.match(plan.stderr, /schema: defines objects the filter leaves out; Lockplane does not manage them: .*on_auth_user_created/);

      const applied = await runCli(['apply', '--auto-approve'], { cwd: dir });
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stderr, /Plan proven on the shadow/);
      assert.match(applied.stderr, /Rollback proven on the shadow/);

      const again = await runCli(['apply', '--auto-approve'], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /No changes/);
      const status = await runCli(['status', '--schema', 'schema'], { cwd: dir });
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /In sync with schema/);

      const [kept] = await sql(url, `SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'auth')::int AS auth_tables,
        to_regclass('public.tmp_x') IS NOT NULL AS tmp_x, to_regprocedure('auth.uid()') IS NOT NULL AS uid,
        (SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = 'public.profiles'::regclass AND contype = 'f') AS fk`);
      assert.deepEqual(kept!.rows[0], { auth_tables: 1, tmp_x: true, uid: true, fk: 'auth.users' });

      // A plan file made now still applies after the platform changes its own schema:
      // the source hash covers only what the filter keeps.
      await sql(url, 'DROP POLICY own_profile ON public.profiles');
      const planned = await runCli(['plan'], { cwd: dir });
      assert.equal(planned.code, 0, planned.stderr);
      writeFileSync(join(dir, 'plan.json'), planned.stdout);
      await sql(url, 'CREATE TABLE auth.sessions (id uuid PRIMARY KEY, user_id uuid REFERENCES auth.users (id)); CREATE TABLE public.tmp_y (id int)');
      const fromFile = await runCli(['apply', 'plan.json', '--auto-approve'], { cwd: dir });
      assert.equal(fromFile.code, 0, fromFile.stderr);
      assert.match(fromFile.stdout, /Applied 1 step/);
    } finally {
      cleanup();
    }
  });
}, { timeout: 300_000 });

serverTest('filters: flags override lockplane.toml; bad glob and unknown preset exit 2 naming the flag or key', async () => {
  await withServerDatabase(async (url) => {
    await sql(url, PLATFORM);
    const { dir, cleanup } = project(url, TOML);
    try {
      // --preset none turns the file's preset off: auth is read, and is then the project's to declare.
      const whole = await runCli(['introspect', '--preset', 'none'], { cwd: dir });
      assert.equal(whole.code, 0, whole.stderr);
      assert.deepEqual(names(whole.stdout), ['auth.users'], "the file's exclude glob still applies");
      const unfiltered = await runCli(['plan', '--preset', 'none'], { cwd: dir });
      assert.equal(unfiltered.code, 2, unfiltered.stderr);
      assert.match(unfiltered.stderr, /schema\/app\.sql:2:1: schema "auth" does not exist/);
      // --exclude replaces the file's globs.
      const other = await runCli(['plan', '--exclude', 'public.nothing_*', '--output', 'text'], { cwd: dir });
      assert.equal(other.code, 0, other.stderr);
      assert.match(other.stdout, /Drop table tmp_x/);
      assert.doesNotMatch(other.stdout, /auth\.users"? *$|Drop table auth/m);
      // --exclude-schema and --include on introspect.
      const onlyTmp = await runCli(['introspect', '--preset', 'none', '--exclude', 'public.none', '--include', 'public.tmp_*'], { cwd: dir });
      assert.equal(onlyTmp.code, 0, onlyTmp.stderr);
      assert.deepEqual(names(onlyTmp.stdout), ['public.tmp_x']);
      const noAuth = await runCli(['introspect', '--preset', 'none', '--exclude', 'public.none', '--exclude-schema', 'auth'], { cwd: dir });
      assert.equal(noAuth.code, 0, noAuth.stderr);
      assert.deepEqual(names(noAuth.stdout), ['public.tmp_x']);

      const badGlob = await runCli(['plan', '--exclude', 'tmp_*'], { cwd: dir });
      assert.equal(badGlob.code, 2, badGlob.stderr);
      assert.match(badGlob.stderr, /--exclude: "tmp_\*" is not a glob over a qualified name/);
      const badPreset = await runCli(['apply', '--preset', 'firebase', '--auto-approve'], { cwd: dir });
      assert.equal(badPreset.code, 2, badPreset.stderr);
      assert.match(badPreset.stderr, /--preset: unknown preset "firebase"/);
      writeFileSync(join(dir, 'lockplane.toml'), TOML.replace('"supabase"', '"firebase"'));
      const badFile = await runCli(['introspect'], { cwd: dir });
      assert.equal(badFile.code, 2, badFile.stderr);
      assert.match(badFile.stderr, /lockplane\.toml:3:1: preset: unknown preset "firebase"/);
      const [count] = await sql(url, "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname IN ('public', 'auth')");
      assert.equal(count!.rows[0].n, 2, 'nothing was changed');
    } finally {
      cleanup();
    }
  });
}, { timeout: 300_000 });

test('preset supabase on the embedded database: the desired schema references auth.users; apply, then nothing to do', { timeout: 300_000 }, async () => {
  const { dir, cleanup } = tempProject({
    'package.json': '{}',
    'lockplane.toml': TOML,
    '.env.local': 'DATABASE_URL=pglite://./db\n',
    'schema/app.sql': DESIRED,
    'platform.json': JSON.stringify({ steps: [{ description: 'What the platform creates', sql: PLATFORM }] }),
  });
  try {
    const setup = await runCli(['apply', 'platform.json', '--auto-approve', '--preset', 'none', '--exclude', 'public.none'], { cwd: dir });
    assert.equal(setup.code, 0, setup.stderr);
    const applied = await runCli(['apply', '--auto-approve'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, /Create table profiles/);
    assert.doesNotMatch(applied.stderr, /Drop|tmp_x/);
    const again = await runCli(['plan', '--output', 'text'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /Create|Drop|Add/);
    const whole = await runCli(['introspect', '--preset', 'none', '--exclude', 'public.none'], { cwd: dir });
    assert.equal(whole.code, 0, whole.stderr);
    assert.deepEqual(names(whole.stdout), ['auth.users', 'public.profiles', 'public.tmp_x']);
  } finally {
    cleanup();
  }
});

serverTest('shadow diff: the reserved shadow goes through the same filter as the database', async () => {
  await withServerDatabase(async (url) => {
    await withServerDatabase(async (shadowUrl) => {
      await sql(url, PLATFORM);
      const { dir, cleanup } = project(url, TOML);
      try {
        const env = { SHADOW_DATABASE_URL: shadowUrl };
        const prepared = await runCli(['shadow', 'prepare'], { cwd: dir, env });
        assert.equal(prepared.code, 0, prepared.stderr);
        const handle = JSON.parse(prepared.stdout) as { shadow_url: string };
        // What an ORM would create: its tables, one of them a scratch table the glob leaves out.
        await sql(handle.shadow_url, 'CREATE TABLE public.widgets (id int PRIMARY KEY); CREATE TABLE public.tmp_z (id int)');
        const diffed = await runCli(['shadow', 'diff', '--output', 'text'], { cwd: dir, env });
        assert.equal(diffed.code, 0, diffed.stderr);
        assert.match(diffed.stdout, /Create table widgets/);
        assert.doesNotMatch(diffed.stdout, /tmp_z|tmp_x|auth|Drop/);
        const flagged = await runCli(['shadow', 'diff', '--exclude', 'public.none', '--output', 'text'], { cwd: dir, env });
        assert.equal(flagged.code, 0, flagged.stderr);
        assert.match(flagged.stdout, /Create table tmp_z/);
        assert.match(flagged.stdout, /Drop table tmp_x/);
        assert.doesNotMatch(flagged.stdout, /auth/, 'the preset still applies');
        assert.equal((await runCli(['shadow', 'release'], { cwd: dir, env })).code, 0);
      } finally {
        cleanup();
      }
    });
  });
}, { timeout: 300_000 });
