// GRANT USAGE ON TYPE / DOMAIN: introspected from typacl (absent = the
// default, USAGE for everyone; [] = revoked), planned, applied, rolled back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { checkCase, sqlCase } from '../corpus/harness.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

const TYPES = `CREATE TYPE public.mood AS ENUM ('ok', 'sad');
CREATE TYPE public.pair AS (a integer, b text);
CREATE DOMAIN public.email AS text;
`;

const GRANTED = `${TYPES}
REVOKE USAGE ON TYPE public.mood FROM PUBLIC;
GRANT USAGE ON TYPE public.mood TO type_user;
REVOKE USAGE ON TYPE public.pair FROM PUBLIC;
GRANT USAGE ON DOMAIN public.email TO type_user WITH GRANT OPTION;
`;

const CASES = [
  { name: 'grants added to existing types', old: TYPES, new: GRANTED },
  { name: 'grants taken back to the default', old: GRANTED, new: TYPES },
  { name: 'types created with grants', old: '', new: GRANTED },
  { name: 'types with grants dropped', old: GRANTED, new: '' },
  { name: 'a domain recreated (new base type) keeps its grants', old: GRANTED, new: GRANTED.replace('public.email AS text', 'public.email AS varchar(200)') },
];

async function run(a: PgSession, b: PgSession): Promise<void> {
  for (const c of CASES) {
    for (const s of [a, b]) await s.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await checkCase(sqlCase(c.name, c.old, c.new), a, b);
  }
}

test('PGlite: privileges on types and domains converge and roll back', async () => {
  await withPglite((a) => withPglite((b) => run(a, b)));
});

serverTest('server: privileges on types and domains converge and roll back', async () => {
  await withServerSession((a) => withServerSession((b) => run(a, b)));
});

test('PGlite: the default USAGE for everyone is left out, a revoke is an empty list', async () => {
  await withPglite(async (s) => {
    await s.exec(`DO $$ BEGIN CREATE ROLE type_user; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await s.exec(GRANTED);
    await s.exec('CREATE TYPE public.plain AS ENUM (\'x\')');
    const schema = await introspect(s);
    const types = new Map((schema.types ?? []).map((t) => [t.name, t]));
    assert.equal(types.get('plain')?.grants, undefined);
    assert.deepEqual(types.get('mood')?.grants, [{ grantee: 'type_user', privileges: ['USAGE'] }]);
    assert.deepEqual(schema.composite_types?.[0]?.grants, []);
    assert.deepEqual(schema.domains?.[0]?.grants, [
      { grantee: 'public', privileges: ['USAGE'] },
      { grantee: 'type_user', privileges: ['USAGE'], grantable: true },
    ]);
  });
});
