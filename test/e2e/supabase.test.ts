// Runs docs/supabase.md against a database set up the way Supabase sets one
// up (test/fixtures/supabase/platform.sql): its files and commands are read
// from the guide. The platform's schemas are never touched, foreign keys to
// auth.users and policies on auth.uid() round-trip, and Supabase's grants and
// default privileges are neither lost nor revoked.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { REPO_ROOT, runCli, tempProject, type CliResult } from './cli.js';
import { guideCommand, guideFile } from './guide.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';

const GUIDE = join(REPO_ROOT, 'docs', 'supabase.md');
const PLATFORM = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'supabase', 'platform.sql'), 'utf8');
const SCHEMA_FILES = ['profiles.sql', 'todos.sql'];

const command = (text: string): string => guideCommand(text, GUIDE);
const schemaFile = (dir: string, name: string): string => guideFile(`-- ${dir}/${name}`, GUIDE);

interface PlanJson {
  steps: { description: string; sql: string | string[]; change?: { kind: string } }[];
}

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Runs `lockplane ARGS` (split from the guide's command line) in `dir`; `env` adds variables. */
async function lockplane(dir: string, line: string, env: Record<string, string> = {}): Promise<CliResult> {
  const args = line.split(' ').slice(1);
  return runCli(args, { cwd: dir, env });
}

function ok(result: CliResult): CliResult {
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  return result;
}

/** The database's privileges that Supabase sets: on public, its default privileges, and on the project's tables. */
async function privileges(url: string): Promise<Record<string, unknown>> {
  const [row] = await sql(url, `SELECT
    (SELECT count(*)::int FROM pg_default_acl d WHERE d.defaclnamespace = 'public'::regnamespace) AS default_acl_entries,
    has_schema_privilege('anon', 'public', 'USAGE') AS anon_uses_public,
    (SELECT array_agg(c.relname::text || ':' || r.rolname ORDER BY c.relname, r.rolname)
       FROM pg_class c CROSS JOIN (VALUES ('anon'), ('authenticated'), ('service_role')) AS r(rolname)
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'S')
        AND has_table_privilege(r.rolname, c.oid, 'SELECT')) AS readable,
    (SELECT array_agg(r.rolname ORDER BY r.rolname) FROM (VALUES ('anon'), ('authenticated'), ('service_role')) AS r(rolname)
      WHERE has_function_privilege(r.rolname, 'public.open_todos()', 'EXECUTE')) AS may_count_todos`);
  return row!;
}

/** What the platform has, which nothing may change: its tables, functions and grants. */
async function platformState(url: string): Promise<unknown[]> {
  return sql(url, `SELECT n.nspname, c.relname, c.relkind::text, c.relacl::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('auth', 'storage', 'extensions') ORDER BY 1, 2`);
}

/** Row-level security with auth.uid(): a user sees and writes only their own todos. */
async function assertPoliciesWork(url: string): Promise<void> {
  const alice = '00000000-0000-0000-0000-00000000000a';
  const bob = '00000000-0000-0000-0000-00000000000b';
  await sql(url, `INSERT INTO auth.users (id, email) VALUES ($1, 'alice@example.com'), ($2, 'bob@example.com')`, [alice, bob]);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const as = async (user: string, text: string): Promise<pg.QueryResult> => {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: user, role: 'authenticated' })]);
        await client.query('SET LOCAL ROLE authenticated');
        const result = await client.query(text);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    };
    await as(alice, `INSERT INTO public.todos (task) VALUES ('water the plants')`);
    await as(bob, `INSERT INTO public.todos (task) VALUES ('feed the cat')`);
    assert.deepEqual((await as(alice, 'SELECT task FROM public.todos')).rows, [{ task: 'water the plants' }], 'alice sees her todo only');
    await assert.rejects(as(alice, `INSERT INTO public.todos (user_id, task) VALUES ('${bob}', 'not mine')`), /row-level security/);
  } finally {
    await client.end();
  }
}

serverTest('the Supabase guide: init --supabase, plan and apply; platform schemas, auth references, RLS and grants round-trip', async () => {
  await withServerDatabase(async (url) => {
    await sql(url, PLATFORM);
    const platformBefore = await platformState(url);
    const database = new URL(url).pathname.slice(1);
    const files = Object.fromEntries(SCHEMA_FILES.map((name) => [`supabase/schema/${name}`, schemaFile('supabase/schema', name)]));
    const { dir, cleanup } = tempProject({ 'package.json': '{}', ...files });
    try {
      // The guide's init, pointed at the test server instead of `supabase start`'s port.
      ok(await lockplane(dir, `${command('lockplane init --supabase')} --port ${new URL(url).port || '5432'} --database ${database}`));
      const toml = readFileSync(join(dir, 'lockplane.toml'), 'utf8');
      assert.match(toml, /preset = "supabase"\n.*\nschemas = \["public"\]\n/);

      const plan = ok(await lockplane(dir, command('lockplane plan --output text')));
      assert.match(plan.stdout, /REFERENCES "auth"\."users" \("id"\) ON DELETE CASCADE/, 'the foreign keys to auth.users are planned as written');
      assert.match(plan.stdout, /CREATE POLICY "Owners manage their todos" .*auth\.uid\(\)/);
      assert.doesNotMatch(plan.stdout, /REVOKE|GRANT|DEFAULT PRIVILEGES|CREATE TABLE "(auth|storage)"|SCHEMA "(auth|storage|extensions)"/, 'nothing of the platform, no privilege changes');

      const apply = ok(await lockplane(dir, command('lockplane apply --auto-approve')));
      assert.match(apply.stderr, /Plan proven on the shadow \(shadow schema lockplane_shadow/);
      const check = await lockplane(dir, command('lockplane plan --check'));
      assert.equal(check.code, 0, `the database matches the files: ${check.stdout}${check.stderr}`);
      assert.deepEqual((JSON.parse(check.stdout) as PlanJson).steps, []);

      assert.deepEqual(await platformState(url), platformBefore, 'the platform schemas are untouched');
      assert.deepEqual(await privileges(url), {
        default_acl_entries: 3,
        anon_uses_public: true,
        readable: ['profiles', 'todos', 'todos_id_seq'].flatMap((t) => ['anon', 'authenticated', 'service_role'].map((r) => `${t}:${r}`)),
        may_count_todos: ['anon', 'authenticated', 'service_role'],
      });
      const [fk] = await sql(url, `SELECT confrelid::regclass::text AS ref FROM pg_constraint WHERE conname = 'profiles_id_fkey'`);
      assert.equal(fk?.ref, 'auth.users');
      await assertPoliciesWork(url);

      // Taking privileges away is said in the files, and planned as such.
      writeFileSync(join(dir, 'supabase/schema/audit.sql'), schemaFile('supabase/schema', 'audit.sql'));
      const auditPlan = JSON.parse(ok(await lockplane(dir, 'lockplane plan')).stdout) as PlanJson;
      assert.ok(auditPlan.steps.some((s) => s.description === 'Change privileges on table audit_log (anon, authenticated)'), 'service_role keeps its privileges');
      const revokes = auditPlan.steps.flatMap((s) => [s.sql].flat()).filter((s) => /REVOKE|GRANT/.test(s));
      assert.deepEqual(revokes.map((s) => s.replace(/ ON .* FROM /, ' FROM ')), [
        'REVOKE DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE FROM "anon"',
        'REVOKE DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE FROM "authenticated"',
      ]);
      ok(await lockplane(dir, 'lockplane apply --auto-approve'));
      const [audited] = await sql(url, `SELECT has_table_privilege('anon', 'public.audit_log', 'SELECT') AS anon, has_table_privilege('service_role', 'public.audit_log', 'SELECT') AS service_role`);
      assert.deepEqual(audited, { anon: false, service_role: true });
      assert.equal((await lockplane(dir, 'lockplane plan --check')).code, 0, 'the explicit REVOKE round-trips');

      // A policy on storage.objects is the platform's side: warned about, never planned.
      writeFileSync(join(dir, 'supabase/schema/storage.sql'), `CREATE POLICY "Avatars are public" ON storage.objects FOR SELECT USING (bucket_id = 'avatars');\n`);
      const storage = await lockplane(dir, 'lockplane plan --check');
      assert.equal(storage.code, 0, storage.stderr);
      assert.match(storage.stderr, /defines objects the filter leaves out; Lockplane does not manage them: .*Avatars are public/);
    } finally {
      cleanup();
    }
  });
}, { timeout: 600_000 });

serverTest('the Supabase guide without lockplane.toml: supabase/schemas is found and the preset applies', async () => {
  await withServerDatabase(async (url) => {
    await sql(url, PLATFORM);
    const platformBefore = await platformState(url);
    const files = Object.fromEntries(SCHEMA_FILES.map((name) => [`supabase/schemas/${name}`, schemaFile('supabase/schema', name)]));
    const { dir, cleanup } = tempProject({ 'package.json': '{}', 'supabase/config.toml': 'project_id = "app"\n', ...files });
    try {
      // The guide's `export DATABASE_URL=…`, with the test database.
      command('export DATABASE_URL="postgresql://postgres:postgres@127.0.0.1:54322/postgres"');
      const env = { DATABASE_URL: url };
      const plan = ok(await lockplane(dir, command('lockplane plan'), env));
      assert.match(plan.stderr, /Using supabase\/schemas: the Supabase schema folder/);
      const steps = (JSON.parse(plan.stdout) as PlanJson).steps;
      assert.ok(steps.some((s) => s.description === 'Create table todos'));
      assert.ok(!steps.some((s) => /auth|storage|privileges/i.test(s.description) && !/foreign key/i.test(s.description)), steps.map((s) => s.description).join('\n'));
      ok(await lockplane(dir, command('lockplane apply --auto-approve'), env));
      const again = JSON.parse(ok(await lockplane(dir, 'lockplane plan', env)).stdout) as PlanJson;
      assert.deepEqual(again.steps, [], 'applied; a second plan is empty');
      assert.deepEqual(await platformState(url), platformBefore);
      assert.equal((await privileges(url)).default_acl_entries, 3);
      await assertPoliciesWork(url);
    } finally {
      cleanup();
    }
  });
}, { timeout: 600_000 });
