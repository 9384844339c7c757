// Acceptance: docs/alembic.md end to end, with Debian's python3-alembic
// (Alembic 1.8, SQLAlchemy 1.4, psycopg2) on /usr/bin/python3 and the local
// Postgres server. Files and commands are read from the guide itself.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, tempProject } from './cli.js';
import { guideBlocks, guideCommand, guideFile, runIn, shell, toolDir } from './guide.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { needsPython } from '../export/python.js';

const GUIDE = join(REPO_ROOT, 'docs', 'alembic.md');
const file = (header: string): string => guideFile(header, GUIDE).slice(header.length + 1);
const command = (text: string): string => guideCommand(text, GUIDE);

const V1 = () => file('-- schema/users.sql');
const V2 = () => file('-- schema/users.sql after the change');

const PLAN = 'lockplane plan --from "$DATABASE_URL" --to schema/ --validate > migration.json';
const ROLLBACK = 'lockplane rollback --plan migration.json --from "$DATABASE_URL" > rollback.json';
const EXPORT_FIRST = 'lockplane export alembic --plan migration.json --rollback rollback.json --message "create users"';
const EXPORT_SECOND = 'lockplane export alembic --plan migration.json --message "users created_at"';
const UPGRADE = 'python -m alembic upgrade head';
const DOWNGRADE = 'python -m alembic downgrade -1';
const CHECK = 'lockplane plan --from "$DATABASE_URL" --to schema/ --check --output text';

interface PlanStepJson {
  description: string;
  change?: { kind: string };
}

/** The guide's hand-edited index step, in place of the plan's create_index step. */
function useConcurrentIndex(dir: string): void {
  const block = guideBlocks(GUIDE).find((b) => b.lang === 'json');
  assert.ok(block, 'docs/alembic.md shows the edited step as a json block');
  const path = join(dir, 'migration.json');
  const plan = JSON.parse(readFileSync(path, 'utf8')) as { steps: PlanStepJson[] };
  const index = plan.steps.findIndex((s) => s.change?.kind === 'create_index');
  assert.notEqual(index, -1, 'the second plan creates the index');
  plan.steps[index] = JSON.parse(block.body) as PlanStepJson;
  writeFileSync(path, JSON.stringify(plan, null, 2));
}

function revisionFiles(dir: string): Map<string, string> {
  const versions = join(dir, 'alembic', 'versions');
  return new Map(readdirSync(versions).filter((f) => f.endsWith('.py')).map((f) => [f, readFileSync(join(versions, f), 'utf8')]));
}

const revisionOf = (text: string): string => /^revision = '([0-9a-f]{12})'$/m.exec(text)?.[1] ?? assert.fail('no revision line');
const downRevisionOf = (text: string): string => /^down_revision = (.*)$/m.exec(text)?.[1] ?? assert.fail('no down_revision line');

serverTest('the Alembic guide: export, upgrade, no changes; a concurrent index in autocommit; downgrade back to v1 and to empty', async (t) => {
  if (!needsPython(t, 'alembic, sqlalchemy, psycopg2')) return;
  await withServerDatabase(async (url) => {
    const { dir, cleanup } = tempProject({
      'alembic.ini': file('# alembic.ini'),
      'alembic/env.py': file('# alembic/env.py'),
      'lockplane.toml': file('# lockplane.toml'),
    });
    toolDir(dir);
    command('export DATABASE_URL="postgresql://postgres@localhost:5432/app?sslmode=disable"');
    const run = (text: string) => shell(dir, `export DATABASE_URL='${url}' && ${command(text)}`);
    const check = () => runIn(dir, 'sh', ['-c', `export DATABASE_URL='${url}' && ${command(CHECK)}`]);
    try {
      await run('mkdir -p alembic/versions schema');
      writeFileSync(join(dir, 'schema', 'users.sql'), V1());

      // v1: plan, its rollback, export, upgrade.
      for (const step of [PLAN, ROLLBACK]) await run(step);
      const exported = await run(EXPORT_FIRST);
      assert.match(exported.stdout.trim(), /^alembic\/versions\/[0-9a-f]{12}_create_users\.py$/);
      const pending = await check();
      assert.equal(pending.code, 4, `changes are pending before the upgrade: ${pending.stderr}`);
      assert.match(pending.stdout, /Create table users/);
      await run(UPGRADE);
      assert.match((await run(CHECK)).stdout, /No changes/);
      const [first] = [...revisionFiles(dir).values()];
      assert.equal(downRevisionOf(first!), 'None');

      // v2: add a column and an index; the index step built CONCURRENTLY, outside a transaction.
      writeFileSync(join(dir, 'schema', 'users.sql'), V2());
      await run(PLAN);
      useConcurrentIndex(dir);
      await run(EXPORT_SECOND);
      const second = [...revisionFiles(dir).entries()].find(([name]) => name.endsWith('_users_created_at.py'))?.[1];
      assert.ok(second, 'the second revision file');
      assert.equal(downRevisionOf(second), `'${revisionOf(first!)}'`, 'chained to the first revision');
      assert.match(second, /with op\.get_context\(\)\.autocommit_block\(\):\n {8}op\.execute\(_sql\('CREATE INDEX CONCURRENTLY/);
      await run(UPGRADE);
      assert.match((await run(CHECK)).stdout, /No changes/);

      // Downgrade: back to v1, then (the first revision's rollback.json) to an empty database.
      await run(DOWNGRADE);
      writeFileSync(join(dir, 'schema', 'users.sql'), V1());
      assert.match((await run(CHECK)).stdout, /No changes/);
      await run('python -m alembic downgrade base');
      const introspected = await runIn(dir, 'lockplane', ['introspect', '--db', url]);
      assert.equal(introspected.code, 0, introspected.stderr);
      assert.deepEqual((JSON.parse(introspected.stdout) as { tables: { name: string }[] }).tables.map((x) => x.name), [], 'only alembic_version (excluded) is left');
    } finally {
      cleanup();
    }
  });
}, { timeout: 600_000 });
