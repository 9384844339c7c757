// Acceptance: docs/prisma.md Part 1 end to end against the local Postgres
// server. The Prisma schema and every command come from the guide itself, so
// the guide and its test cannot drift apart. (Part 2 needs the Prisma CLI,
// whose engine download is blocked here: the guide says it is not tested.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { BIN, DATABASE_KEYS, REPO_ROOT, tempProject } from './cli.js';
import { guideCommand, guideFile, runIn, shell, toolDir } from './guide.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';

const GUIDE = join(REPO_ROOT, 'docs', 'prisma.md');

interface PlanJson {
  steps: { change?: { kind: string; column?: { name: string }; index?: { name: string } } }[];
}

interface SchemaJson {
  types?: { name: string; values: string[] }[];
  tables: {
    name: string;
    columns: { name: string; type: string; nullable: boolean; default?: string }[];
    primary_key?: { name?: string; columns: string[] };
    indexes?: { name: string; unique: boolean }[];
    foreign_keys?: { name: string; referenced_table: string; on_delete?: string; on_update?: string }[];
  }[];
}

const INIT = 'lockplane init --yes --env-name local --connection-string "postgresql://postgres@localhost:5432/app?sslmode=disable"';
const CONVERT = 'lockplane convert --from prisma prisma/schema.prisma --output schema.json';
const PLAN = 'lockplane plan --from-environment local --to schema.json --validate > migration.json';
const APPLY = 'lockplane apply migration.json --target-environment local --auto-approve';
const CHECK = 'lockplane plan --from-environment local --to schema.json --check';
const ONE_STEP = 'lockplane apply --schema schema.json --target-environment local --auto-approve';
const ADOPT = 'lockplane plan --from-environment local --to schema.json --exclude "public._prisma_migrations" --check';

/** The guide's init command, run with the test database's URL instead of the example one. */
function init(dir: string, databaseUrl: string): void {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of DATABASE_KEYS) delete env[key];
  const args = ['init', '--yes', '--env-name', 'local', '--connection-string', databaseUrl];
  assert.ok(guideCommand(INIT, GUIDE).startsWith(`lockplane ${args.slice(0, 5).join(' ')}`));
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(run.status, 0, `lockplane init failed: ${run.stderr}`);
}

/** schema.prisma with its Post model replaced by the guide's changed one. */
function changedSchema(): string {
  const schema = guideFile('// prisma/schema.prisma', GUIDE);
  const changed = guideFile('// prisma/schema.prisma: the Post model after the change', GUIDE);
  const post = changed.slice(changed.indexOf('model Post {'));
  const replaced = schema.replace(/model Post \{[\s\S]*?\n\}\n/, post);
  assert.notEqual(replaced, schema, 'the Post model was replaced');
  return replaced;
}

function readJson<T>(dir: string, file: string): T {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
}

async function introspect(dir: string): Promise<SchemaJson> {
  const result = await runIn(dir, 'lockplane', ['introspect', '--source-environment', 'local']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as SchemaJson;
}

function assertFirstSchema(schema: SchemaJson): void {
  const table = (name: string) => {
    const found = schema.tables.find((t) => t.name === name);
    assert.ok(found, `table ${name}`);
    return found;
  };
  assert.deepEqual(schema.tables.map((t) => t.name).sort(), ['Tag', '_PostToTag', 'posts', 'users']);
  assert.deepEqual(schema.types?.map((t) => [t.name, t.values]), [['Role', ['USER', 'ADMIN']]]);
  const users = table('users');
  assert.deepEqual(users.primary_key?.name, 'users_pkey');
  assert.match(users.columns.find((c) => c.name === 'id')?.default ?? '', /^nextval\('public\."?users_id_seq"?'::regclass\)$/);
  assert.equal(users.columns.find((c) => c.name === 'email')?.type, 'character varying(255)');
  assert.equal(users.columns.find((c) => c.name === 'created_at')?.default, 'CURRENT_TIMESTAMP');
  assert.deepEqual(users.indexes?.map((i) => [i.name, i.unique]), [['users_email_key', true]]);
  const posts = table('posts');
  assert.deepEqual(posts.foreign_keys?.map((fk) => [fk.name, fk.referenced_table, fk.on_delete, fk.on_update]), [['posts_author_id_fkey', 'users', 'CASCADE', 'CASCADE']]);
  assert.deepEqual(posts.indexes?.map((i) => [i.name, i.unique]), [['posts_author_id_title_key', true]]);
  assert.equal(table('Tag').columns.find((c) => c.name === 'id')?.default, 'gen_random_uuid()');
  const join = table('_PostToTag');
  assert.deepEqual(join.columns.map((c) => [c.name, c.type]), [['A', 'integer'], ['B', 'uuid']]);
  assert.deepEqual(join.foreign_keys?.map((fk) => [fk.name, fk.referenced_table, fk.on_delete]), [
    ['_PostToTag_A_fkey', 'posts', 'CASCADE'],
    ['_PostToTag_B_fkey', 'Tag', 'CASCADE'],
  ]);
}

serverTest('the Prisma guide: convert, plan, apply; change the schema; --check; adopt a Prisma Migrate database', async () => {
  await withServerDatabase(async (databaseUrl) => {
    const { dir, cleanup } = tempProject({ 'prisma/schema.prisma': guideFile('// prisma/schema.prisma', GUIDE) });
    try {
      toolDir(dir);
      init(dir, databaseUrl);

      for (const command of [CONVERT, PLAN, APPLY]) await shell(dir, guideCommand(command, GUIDE));
      assert.equal(readJson<PlanJson>(dir, 'migration.json').steps.filter((s) => s.change?.kind === 'create_table').length, 4);
      assertFirstSchema(await introspect(dir));
      await shell(dir, guideCommand(CHECK, GUIDE));
      const ddl = await shell(dir, guideCommand('lockplane convert --from prisma prisma/schema.prisma --format sql', GUIDE));
      assert.match(ddl.stdout, /CREATE TABLE "public"\."users" \("id" serial NOT NULL/);

      // The schema changes: the same commands plan just the change.
      writeFileSync(join(dir, 'prisma', 'schema.prisma'), changedSchema());
      await shell(dir, CONVERT);
      const pending = await runIn(dir, 'sh', ['-c', CHECK]);
      assert.equal(pending.code, 4, `--check exits 4 while changes are pending\n${pending.stderr}`);
      await shell(dir, PLAN);
      assert.deepEqual(
        readJson<PlanJson>(dir, 'migration.json').steps.map((s) => [s.change?.kind, s.change?.column?.name ?? s.change?.index?.name]),
        [
          ['add_column', 'summary'],
          ['create_index', 'posts_published_at_idx'],
        ],
      );
      await shell(dir, APPLY);
      await shell(dir, CHECK);
      await shell(dir, guideCommand(ONE_STEP, GUIDE));

      // Prisma Migrate's own table is left alone once excluded.
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query('CREATE TABLE public._prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, migration_name varchar(255) NOT NULL)');
      } finally {
        await client.end();
      }
      const dropping = await runIn(dir, 'sh', ['-c', CHECK]);
      assert.equal(dropping.code, 4, 'without the exclusion the plan would drop _prisma_migrations');
      await shell(dir, guideCommand(ADOPT, GUIDE));
    } finally {
      cleanup();
    }
  });
}, { timeout: 300_000 });
