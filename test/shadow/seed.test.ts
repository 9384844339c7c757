// Building a desired schema that names objects the filter leaves out: the
// scratch gets a copy of those namespaces from the target (seed.ts), a source
// that defines them itself is built on its own, and what it defines in the
// left-out part is named in a warning.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeIdleScratch } from '../../src/shadow/scratch.js';
import { loadSource } from '../../src/shadow/sources.js';
import { excludedSeed, seedFromSession } from '../../src/shadow/seed.js';
import type { SchemaFilter } from '../../src/schema/filter.js';
import { withPglite } from '../helpers/databases.js';

after(closeIdleScratch);

const TARGET = `
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULL::uuid $$;
CREATE SCHEMA app;
CREATE TABLE public.accounts (id int PRIMARY KEY);
`;

async function withSource<T>(sql: string, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'lockplane-seed-'));
  try {
    const path = join(dir, 'schema.sql');
    writeFileSync(path, sql);
    return await fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('seed: only the left-out namespaces a source names are copied, as DDL', async () => {
  await withPglite(async (session) => {
    await session.exec(TARGET);
    const filter: SchemaFilter = { excludeSchemas: ['auth'] };
    const seed = await excludedSeed(session, filter, ['CREATE TABLE p (id uuid REFERENCES auth.users)']);
    assert.deepEqual(seed.schema.tables.map((t) => `${t.schema}.${t.name}`), ['auth.users']);
    assert.ok(seed.ddl.some((s) => /CREATE TABLE "auth"\."users"/.test(s)));
    assert.deepEqual((await excludedSeed(session, filter, ['CREATE TABLE p (id int)'])).ddl, [], 'not named: nothing copied');
    assert.deepEqual((await excludedSeed(session, filter, ['CREATE SCHEMA auth; CREATE TABLE auth.users (id uuid)'])).ddl, [], 'defined by the source');
    assert.deepEqual((await excludedSeed(session, {}, ['auth.users'])).ddl, [], 'no filter, no seed');
  });
});

test('seed: a source naming auth.users and auth.uid() builds; one defining what it names builds on its own; definitions in the left-out part are warned about', async () => {
  await withPglite(async (session) => {
    await session.exec(TARGET);
    const warnings: string[] = [];
    const options = (filter: SchemaFilter) => ({ ...filter, cacheDir: null, seedFrom: seedFromSession(session, filter), onWarning: (m: string) => warnings.push(m) });

    const supabase = { excludeSchemas: ['auth'] };
    const profiles = await withSource(
      `CREATE TABLE public.profiles (id uuid PRIMARY KEY REFERENCES auth.users (id));
       ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
       CREATE POLICY own ON public.profiles USING (auth.uid() = id);`,
      (path) => loadSource(path, options(supabase)),
    );
    assert.deepEqual(profiles.schema.tables.map((t) => `${t.schema}.${t.name}`), ['public.profiles']);
    assert.equal(profiles.schema.tables[0]!.foreign_keys![0]!.referenced_schema, 'auth');
    assert.match(profiles.schema.tables[0]!.policies![0]!.using!, /auth\.uid\(\)/);
    assert.deepEqual(warnings, []);

    // schemas = ["app"]: public is left out, and this source both names and defines public.accounts.
    const app = await withSource(
      `CREATE SCHEMA app;
       CREATE TABLE public.accounts (id int PRIMARY KEY);
       CREATE TABLE app.items (account_id int REFERENCES public.accounts (id));`,
      (path) => loadSource(path, options({ schemas: ['app'] })),
    );
    assert.deepEqual(app.schema.tables.map((t) => `${t.schema}.${t.name}`), ['app.items']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /schema\.sql: defines objects the filter leaves out; Lockplane does not manage them: Create table accounts/);

    // Without a database to copy from, a source naming a left-out table does not build, and says where.
    await withSource('CREATE TABLE public.p (id uuid REFERENCES auth.users (id));', async (path) => {
      await assert.rejects(loadSource(path, { ...supabase, cacheDir: null }), /schema\.sql:1:\d+: .*"auth" does not exist/);
    });
  });
});
