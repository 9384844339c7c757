// Runs docs/drizzle.md the way a user does, with the real drizzle-kit and
// drizzle-orm (devDependencies): its files and commands are read from the
// guide, so the guide and its test cannot drift apart. Once with a separate
// shadow database on the server (then production and its rollback), once
// with the embedded PGlite shadow that drizzle-kit reaches over the Postgres
// protocol.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, tempProject } from './cli.js';
import { deployAndRollBack, guideBlocks, guideCommand, guideFile, introspectEnvironment, runIn, shell, toolDir } from './guide.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';

const GUIDE = join(REPO_ROOT, 'docs', 'drizzle.md');

interface PlanJson {
  source_hash?: string;
  steps: { change?: { kind: string; column?: { name: string }; index?: { name: string } } }[];
}

interface SchemaJson {
  types?: { name: string; values?: string[] }[];
  tables: {
    name: string;
    columns: { name: string; type: string; default?: string }[];
    unique_constraints?: { name: string; columns: string[] }[];
    indexes?: { name: string; columns: string[]; unique: boolean }[];
    foreign_keys?: { referenced_table: string; on_delete?: string }[];
  }[];
}

const command = (text: string): string => guideCommand(text, GUIDE);
const file = (header: string): string => guideFile(header, GUIDE);

const PREPARE = 'lockplane shadow prepare --target-environment local > shadow.json';
const PUSH = 'npx drizzle-kit push --force';
const DIFF = 'lockplane shadow diff --target-environment local > plan.json';
const APPLY = 'lockplane apply plan.json --target-environment local --auto-approve';
const RELEASE = 'lockplane shadow release';

/** The guide's package.json scripts in a module project. */
function packageJson(): string {
  const block = guideBlocks(GUIDE).find((b) => b.lang === 'json' && b.body.includes('"db:migrate"'));
  assert.ok(block, 'docs/drizzle.md shows the package.json scripts');
  const { scripts } = JSON.parse(block.body) as { scripts: Record<string, string> };
  return `${JSON.stringify({ name: 'app', private: true, type: 'module', scripts }, null, 2)}\n`;
}

function guideProject(): { dir: string; cleanup: () => void } {
  const project = tempProject({
    'package.json': packageJson(),
    'src/db/schema.ts': file('// src/db/schema.ts'),
    'drizzle.config.ts': file('// drizzle.config.ts'),
  });
  // drizzle-kit, drizzle-orm and pg, as the user's project installs them.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(project.dir, 'node_modules'));
  toolDir(project.dir);
  return project;
}

/** src/db/schema.ts with its users table replaced by the guide's changed one. */
function changedSchema(): string {
  const schema = file('// src/db/schema.ts');
  const changed = file('// src/db/schema.ts: the users table after the change');
  const users = changed.slice(changed.indexOf('export const users'));
  const replaced = schema.replace(/export const users = pgTable\([\s\S]*?\n\}\);\n/, users);
  assert.notEqual(replaced, schema, 'the users table was replaced');
  return replaced;
}

async function initEnvironment(dir: string, name: string, databaseUrl: string): Promise<void> {
  command('lockplane init --yes --env-name local --connection-string "postgresql://postgres@localhost:5432/app?sslmode=disable"');
  await shell(dir, `lockplane init --yes --env-name ${name} --connection-string "${databaseUrl}"`);
}

function useShadowDatabase(dir: string, name: string, shadowUrl: string): void {
  command('SHADOW_DATABASE_URL="postgresql://postgres@localhost:5432/app_shadow?sslmode=disable"');
  appendFileSync(join(dir, `.env.${name}`), `SHADOW_DATABASE_URL="${shadowUrl}"\n`);
}

function readJson<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
}

const introspect = (dir: string, environment: string): Promise<SchemaJson> => introspectEnvironment<SchemaJson>(dir, environment);

async function developmentLoop(dir: string): Promise<PlanJson> {
  for (const text of [PREPARE, PUSH, DIFF, APPLY, RELEASE]) await shell(dir, command(text));
  return readJson<PlanJson>(dir, 'plan.json');
}

/** prepare → push → diff: the database matches the tables when the plan is empty. */
async function assertMatchesTables(dir: string): Promise<void> {
  for (const text of [PREPARE, PUSH, DIFF, RELEASE]) await shell(dir, text);
  assert.deepEqual(readJson<PlanJson>(dir, 'plan.json').steps, [], 'the database matches the Drizzle tables');
}

function assertFirstSchema(schema: SchemaJson): void {
  const table = (name: string) => {
    const found = schema.tables.find((t) => t.name === name);
    assert.ok(found, `table ${name}`);
    return found;
  };
  assert.deepEqual(schema.tables.map((t) => t.name).sort(), ['comments', 'posts', 'users']);
  assert.deepEqual(schema.types?.map((t) => [t.name, t.values]), [['role', ['reader', 'author', 'admin']]]);
  const users = table('users');
  const column = (name: string) => users.columns.find((c) => c.name === name);
  assert.deepEqual([column('role')?.type, column('role')?.default], ['public.role', "'reader'::public.role"]);
  assert.equal(column('is_active')?.default, 'true');
  assert.equal(column('created_at')?.default, 'now()');
  assert.equal(column('email')?.type, 'character varying(255)');
  assert.deepEqual(users.unique_constraints?.map((u) => u.name), ['users_email_unique']);
  const posts = table('posts');
  assert.deepEqual(posts.foreign_keys?.map((fk) => [fk.referenced_table, fk.on_delete]), [['users', 'CASCADE']]);
  assert.deepEqual(posts.indexes?.map((i) => [i.name, i.columns, i.unique]), [
    ['posts_author_slug_idx', ['author_id', 'slug'], true],
    ['posts_published_at_idx', ['published_at'], false],
  ]);
  assert.equal(posts.columns.find((c) => c.name === 'body')?.default, "''::text");
  const comments = table('comments');
  assert.deepEqual(comments.foreign_keys?.map((fk) => [fk.referenced_table, fk.on_delete]), [['posts', 'CASCADE']]);
  assert.deepEqual(comments.indexes?.map((i) => i.name), ['comments_post_id_idx']);
}

function assertOnlyTheChange(plan: PlanJson): void {
  assert.deepEqual(
    plan.steps.map((s) => [s.change?.kind, s.change?.column?.name ?? s.change?.index?.name]),
    [
      ['add_column', 'bio'],
      ['create_index', 'users_created_at_idx'],
    ],
  );
}

serverTest('the Drizzle guide with a separate shadow database; then npm run db:migrate; then production with its rollback', async () => {
  await withServerDatabase(async (localUrl) => {
    await withServerDatabase(async (shadowUrl) => {
      await withServerDatabase(async (productionUrl) => {
        const { dir, cleanup } = guideProject();
        try {
          await initEnvironment(dir, 'local', localUrl);
          useShadowDatabase(dir, 'local', shadowUrl);
          const first = await developmentLoop(dir);
          assert.ok(first.source_hash);
          assert.equal(first.steps.filter((s) => s.change?.kind === 'create_table').length, 3);
          assertFirstSchema(await introspect(dir, 'local'));

          await initEnvironment(dir, 'production', productionUrl);
          useShadowDatabase(dir, 'production', shadowUrl);
          await shell(dir, 'lockplane apply plan.json --target-environment production --auto-approve');
          await assertMatchesTables(dir);

          writeFileSync(join(dir, 'src/db/schema.ts'), changedSchema());
          const migrate = await runIn(dir, 'npm', ['run', 'db:migrate']);
          assert.equal(migrate.code, 0, `${migrate.stdout}\n${migrate.stderr}`);
          assertOnlyTheChange(readJson<PlanJson>(dir, 'plan.json'));
          await assertMatchesTables(dir);

          await deployAndRollBack(dir, PUSH, command, async () => {
            assertOnlyTheChange(readJson<PlanJson>(dir, 'migration.json'));
            assert.deepEqual(await introspect(dir, 'production'), await introspect(dir, 'local'), 'production matches the tables');
          });
        } finally {
          await runIn(dir, 'lockplane', ['shadow', 'release']);
          cleanup();
        }
      });
    });
  });
}, { timeout: 600_000 });

serverTest('the Drizzle guide with the embedded shadow: drizzle-kit pushes into the served PGlite', async () => {
  await withServerDatabase(async (localUrl) => {
    const { dir, cleanup } = guideProject();
    try {
      await initEnvironment(dir, 'local', localUrl);
      assert.doesNotMatch(readFileSync(join(dir, '.env.local'), 'utf8'), /SHADOW/);
      const first = await developmentLoop(dir);
      assert.match(readJson<{ shadow_url: string }>(dir, 'shadow.json').shadow_url, /^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable$/);
      assert.equal(first.steps.filter((s) => s.change?.kind === 'create_table').length, 3);
      assertFirstSchema(await introspect(dir, 'local'));
      await assertMatchesTables(dir);

      writeFileSync(join(dir, 'src/db/schema.ts'), changedSchema());
      assertOnlyTheChange(await developmentLoop(dir));
      await assertMatchesTables(dir);
    } finally {
      await runIn(dir, 'lockplane', ['shadow', 'release']);
      cleanup();
    }
  });
}, { timeout: 600_000 });
