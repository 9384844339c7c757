// Acceptance: docs/sqlalchemy.md end to end, with real SQLAlchemy (Debian's
// python3-sqlalchemy 1.4 + python3-psycopg2) and the local Postgres server.
// Once with a separate shadow database, once with the embedded shadow
// (PGlite served in the background, psycopg2 connecting to it), and once with
// a shadow schema inside the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, DATABASE_KEYS, tempProject } from './cli.js';
import { changedModels, deployAndRollBack, guideCommand, guideFile, guideMakefile, introspectEnvironment, PYTHON, runIn, shell, toolDir } from './guide.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';

interface PlanJson {
  source_hash?: string;
  steps: { description: string; change?: { kind: string; column?: { name: string }; index?: { name: string } } }[];
}

interface SchemaJson {
  tables: {
    name: string;
    columns: { name: string; default?: string; nullable: boolean }[];
    unique_constraints?: { name: string; columns: string[] }[];
    indexes?: { name: string }[];
    foreign_keys?: { name: string; referenced_table: string; on_delete?: string }[];
  }[];
}

const python = spawnSync(PYTHON, ['-c', 'import sqlalchemy, psycopg2'], { encoding: 'utf8' });
const pythonProblem = python.status === 0 ? null : `${PYTHON} cannot import sqlalchemy and psycopg2 (apt-get install python3-sqlalchemy python3-psycopg2)`;

/** Skips (or fails under CI=true) without Python's SQLAlchemy and psycopg2. */
function needsPython(t: { skip(message: string): void }): boolean {
  if (pythonProblem === null) return true;
  if (process.env.CI === 'true') throw new Error(`${pythonProblem}. Under CI=true the guide test must run.`);
  t.skip(pythonProblem);
  return false;
}

/**
 * The guide's `lockplane init --yes --env-name NAME --connection-string URL`,
 * run for real. The guide's lockplane.toml also scopes Lockplane to `public`
 * (the shadow-schema run needs it), which init leaves to the user.
 */
function initEnvironment(dir: string, name: string, databaseUrl: string): void {
  guideCommand('lockplane init --yes --env-name local --connection-string "postgresql://postgres@localhost:5432/app?sslmode=disable"');
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const key of DATABASE_KEYS) delete env[key];
  const run = spawnSync(process.execPath, [BIN, 'init', '--yes', '--env-name', name, '--connection-string', databaseUrl], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(run.status, 0, `lockplane init failed: ${run.stderr}`);
  const toml = join(dir, 'lockplane.toml');
  const text = readFileSync(toml, 'utf8');
  if (!/^schemas\s*=/m.test(text)) writeFileSync(toml, `schemas = ["public"]\n${text}`);
  assert.doesNotMatch(readFileSync(join(dir, `.env.${name}`), 'utf8'), /SHADOW/, 'init --yes without shadow flags writes no shadow');
}

/** The guide's "separate database" shadow: SHADOW_DATABASE_URL in .env.NAME. */
function useShadowDatabase(dir: string, name: string, shadowUrl: string): void {
  guideCommand('SHADOW_DATABASE_URL="postgresql://postgres@localhost:5432/app_shadow?sslmode=disable"');
  appendFileSync(join(dir, `.env.${name}`), `SHADOW_DATABASE_URL="${shadowUrl}"\n`);
}

function guideProject(): { dir: string; cleanup: () => void } {
  const project = tempProject({
    'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\n',
    'models.py': guideFile('# models.py'),
    'generate_schema.py': guideFile('# generate_schema.py'),
    'Makefile': guideMakefile(),
    'schema/.keep': '',
  });
  toolDir(project.dir);
  return project;
}

function readJson<T>(dir: string, file: string): T {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
}

const introspect = (dir: string, environment: string): Promise<SchemaJson> => introspectEnvironment<SchemaJson>(dir, environment);

const PREPARE = 'lockplane shadow prepare --target-environment local > shadow.json';
const GENERATE = 'python generate_schema.py';
const DIFF = 'lockplane shadow diff --target-environment local > plan.json';
const APPLY = 'lockplane apply plan.json --target-environment local --auto-approve';
const RELEASE = 'lockplane shadow release';

/** Steps 2-4 of the guide, command by command; returns plan.json. */
async function developmentLoop(dir: string): Promise<PlanJson> {
  for (const command of [PREPARE, GENERATE, DIFF, APPLY, RELEASE]) await shell(dir, guideCommand(command));
  return readJson<PlanJson>(dir, 'plan.json');
}

/** prepare → create_all → diff again: the database matches the models when the plan is empty. */
async function assertMatchesModels(dir: string): Promise<void> {
  for (const command of [PREPARE, GENERATE, DIFF, RELEASE]) await shell(dir, command);
  assert.deepEqual(readJson<PlanJson>(dir, 'plan.json').steps, [], 'the database matches the models');
}

function assertFirstSchema(schema: SchemaJson): void {
  const table = (name: string) => {
    const found = schema.tables.find((t) => t.name === name);
    assert.ok(found, `table ${name}`);
    return found;
  };
  assert.deepEqual(schema.tables.map((t) => t.name).sort(), ['comments', 'posts', 'users']);
  const posts = table('posts');
  assert.deepEqual(posts.foreign_keys?.map((fk) => [fk.referenced_table, fk.on_delete]), [['users', 'CASCADE']]);
  assert.deepEqual(posts.unique_constraints?.map((u) => [u.name, u.columns]), [['posts_author_slug_key', ['author_id', 'slug']]]);
  assert.deepEqual(posts.indexes?.map((i) => i.name), ['posts_published_at_idx']);
  assert.equal(posts.columns.find((c) => c.name === 'body')?.default, "''::text");
  const users = table('users');
  assert.equal(users.columns.find((c) => c.name === 'is_active')?.default, 'true');
  assert.equal(users.columns.find((c) => c.name === 'created_at')?.default, 'now()');
  assert.deepEqual(users.unique_constraints?.map((u) => u.name), ['users_email_key']);
  assert.deepEqual(table('comments').indexes?.map((i) => i.name), ['ix_comments_post_id']);
}

/** The second plan holds only the model change: add column bio, create index users_created_at_idx. */
function assertOnlyTheChange(plan: PlanJson): void {
  assert.deepEqual(
    plan.steps.map((s) => [s.change?.kind, s.change?.column?.name ?? s.change?.index?.name]),
    [
      ['add_column', 'bio'],
      ['create_index', 'users_created_at_idx'],
    ],
  );
}

serverTest('the SQLAlchemy guide with a separate shadow database; then the Makefile; then production with its rollback', async (t) => {
  if (!needsPython(t)) return;
  await withServerDatabase(async (localUrl) => {
    await withServerDatabase(async (shadowUrl) => {
      await withServerDatabase(async (productionUrl) => {
        const { dir, cleanup } = guideProject();
        try {
          initEnvironment(dir, 'local', localUrl);
          useShadowDatabase(dir, 'local', shadowUrl);

          const first = await developmentLoop(dir);
          assert.ok(first.source_hash, 'the plan carries source_hash');
          assert.equal(first.steps.filter((s) => s.change?.kind === 'create_table').length, 3);
          assertFirstSchema(await introspect(dir, 'local'));

          // Production starts where local was before the change: the same plan applies.
          initEnvironment(dir, 'production', productionUrl);
          useShadowDatabase(dir, 'production', shadowUrl);
          await shell(dir, 'lockplane apply plan.json --target-environment production --auto-approve');
          await assertMatchesModels(dir);

          // The models change; the guide's Makefile brings local up to date.
          writeFileSync(join(dir, 'models.py'), changedModels());
          const make = await runIn(dir, 'make', ['migrate']);
          assert.equal(make.code, 0, `${make.stdout}\n${make.stderr}`);
          assertOnlyTheChange(readJson<PlanJson>(dir, 'plan.json'));
          await assertMatchesModels(dir);

          // Part 2: a reviewable plan for production, its rollback, deploy, roll back.
          await deployAndRollBack(dir, 'python generate_schema.py', (text) => guideCommand(text), async () => {
            assertOnlyTheChange(readJson<PlanJson>(dir, 'migration.json'));
            assert.deepEqual(await introspect(dir, 'production'), await introspect(dir, 'local'), 'production matches the models');
          });
        } finally {
          await runIn(dir, 'lockplane', ['shadow', 'release']);
          cleanup();
        }
      });
    });
  });
}, { timeout: 600_000 });

/** A local project set up by `configure`, with its shadow released and removed at the end. */
async function withLocalProject(configure: (dir: string) => void, fn: (dir: string) => Promise<void>): Promise<void> {
  await withServerDatabase(async (localUrl) => {
    const { dir, cleanup } = guideProject();
    try {
      initEnvironment(dir, 'local', localUrl);
      configure(dir);
      await fn(dir);
    } finally {
      await runIn(dir, 'lockplane', ['shadow', 'release']);
      cleanup();
    }
  });
}

/** The first round has run: the models are in the database; change them, run the loop again. */
async function assertFirstRoundThenChange(dir: string): Promise<void> {
  assertFirstSchema(await introspect(dir, 'local'));
  await assertMatchesModels(dir);
  writeFileSync(join(dir, 'models.py'), changedModels());
  assertOnlyTheChange(await developmentLoop(dir));
  await assertMatchesModels(dir);
}

serverTest('the SQLAlchemy guide with the embedded shadow: psycopg2 creates the models in the served PGlite', async (t) => {
  if (!needsPython(t)) return;
  await withLocalProject(() => undefined, async (dir) => {
    const make = await runIn(dir, 'make', ['migrate']);
    assert.equal(make.code, 0, `${make.stdout}\n${make.stderr}`);
    const shadow = readJson<{ shadow_url: string; environment: string }>(dir, 'shadow.json');
    assert.match(shadow.shadow_url, /^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres\?sslmode=disable$/);
    assert.equal(shadow.environment, 'local');
    await assertFirstRoundThenChange(dir);
  });
}, { timeout: 600_000 });

serverTest('the SQLAlchemy guide with a shadow schema in the database itself: create_all lands there through search_path', async (t) => {
  if (!needsPython(t)) return;
  const configure = (dir: string) => appendFileSync(join(dir, '.env.local'), `${guideCommand('SHADOW_SCHEMA=lockplane_shadow')}\n`);
  await withLocalProject(configure, async (dir) => {
    const first = await developmentLoop(dir);
    assert.equal(readJson<{ shadow_schema?: string }>(dir, 'shadow.json').shadow_schema, 'lockplane_shadow');
    assert.ok(!JSON.stringify(first).includes('lockplane_shadow'), 'the plan speaks of public only');
    await assertFirstRoundThenChange(dir);
  });
}, { timeout: 600_000 });
