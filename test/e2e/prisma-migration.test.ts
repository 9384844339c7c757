// The converter's promise: the database `lockplane convert --from prisma`
// describes is the one Prisma Migrate creates. test/fixtures/prisma holds a
// realistic schema (19 models) and the DDL Prisma Migrate generates for it;
// the converted schema is applied to one database by `lockplane apply`, the
// DDL is run as is in another, and Lockplane finds nothing to change between
// them and introspects them the same. Once on the Postgres server, once on PGlite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { REPO_ROOT, runCli, tempProject } from './cli.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';

const SCHEMA = join(REPO_ROOT, 'test', 'fixtures', 'prisma', 'schema.prisma');
const MIGRATION = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'prisma', 'migration.sql'), 'utf8');

interface PlanJson {
  steps: unknown[];
}

async function cli(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await runCli(args, { cwd: dir, env });
  assert.equal(result.code, 0, `lockplane ${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** convert → apply into `converted`; then both databases must be one and the same. */
async function assertSameDatabase(dir: string, converted: string, migrated: string): Promise<void> {
  await cli(dir, ['convert', '--from', 'prisma', SCHEMA, '--output', 'schema.json']);
  await cli(dir, ['apply', '--schema', 'schema.json', '--target', converted, '--auto-approve']);

  const plan = JSON.parse(await cli(dir, ['plan', '--from', converted, '--to', migrated])) as PlanJson;
  assert.deepEqual(plan.steps, [], 'no step between the converted schema and Prisma\'s DDL');
  const back = JSON.parse(await cli(dir, ['plan', '--from', migrated, '--to', 'schema.json'])) as PlanJson;
  assert.deepEqual(back.steps, [], 'the converted schema file plans nothing against the migrated database');

  const one = JSON.parse(await cli(dir, ['introspect', '--db', converted])) as { tables: { name: string }[] };
  const other = JSON.parse(await cli(dir, ['introspect', '--db', migrated])) as unknown;
  assert.deepEqual(one, other, 'both databases introspect the same');
  assert.equal(one.tables.length, 21, '19 models and 2 implicit many-to-many join tables');
}

async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

serverTest('Prisma fixture on the Postgres server: converted schema and Prisma Migrate\'s DDL build the same database', async () => {
  await withServerDatabase(async (converted) => {
    await withServerDatabase(async (migrated) => {
      await runSql(migrated, MIGRATION);
      const { dir, cleanup } = tempProject();
      try {
        await assertSameDatabase(dir, converted, migrated);
      } finally {
        cleanup();
      }
    });
  });
}, { timeout: 300_000 });

test('Prisma fixture on PGlite: converted schema and Prisma Migrate\'s DDL build the same database', { timeout: 300_000 }, async () => {
  const { dir, cleanup } = tempProject();
  try {
    const migratedDir = join(dir, 'migrated');
    const db = new PGlite(migratedDir);
    await db.exec(MIGRATION);
    await db.close();
    await assertSameDatabase(dir, `pglite://${join(dir, 'converted')}`, `pglite://${migratedDir}`);

    // --format sql: the converted schema's DDL, run as is, builds that database too.
    const ddl = await cli(dir, ['convert', '--from', 'prisma', SCHEMA, '--format', 'sql']);
    const renderedDir = join(dir, 'rendered');
    const rendered = new PGlite(renderedDir);
    await rendered.exec(ddl);
    await rendered.close();
    assert.deepEqual(JSON.parse(await cli(dir, ['introspect', '--db', `pglite://${renderedDir}`])), JSON.parse(await cli(dir, ['introspect', '--db', `pglite://${migratedDir}`])));
  } finally {
    cleanup();
  }
});

serverTest('Prisma extensions (citext, pgcrypto) on the Postgres server, normalized in a server shadow', async () => {
  const fixture = (name: string) => join(REPO_ROOT, 'test', 'fixtures', 'prisma', name);
  await withServerDatabase(async (converted) => {
    await withServerDatabase(async (migrated) => {
      await withServerDatabase(async (shadow) => {
        await runSql(migrated, readFileSync(fixture('extensions.sql'), 'utf8'));
        const { dir, cleanup } = tempProject();
        try {
          const env = { SHADOW_DATABASE_URL: shadow };
          await cli(dir, ['convert', '--from', 'prisma', fixture('extensions.prisma'), '--output', 'schema.json']);
          await cli(dir, ['apply', '--schema', 'schema.json', '--target', converted, '--auto-approve'], env);
          const plan = JSON.parse(await cli(dir, ['plan', '--from', converted, '--to', migrated], env)) as PlanJson;
          assert.deepEqual(plan.steps, []);
          const one = JSON.parse(await cli(dir, ['introspect', '--db', converted])) as { extensions?: { name: string }[] };
          assert.deepEqual(one.extensions?.map((e) => e.name).sort(), ['citext', 'pgcrypto']);
          assert.deepEqual(one, JSON.parse(await cli(dir, ['introspect', '--db', migrated])));
        } finally {
          cleanup();
        }
      });
    });
  });
}, { timeout: 300_000 });
