// Filters: globs, namespaces, presets, filterSchema, their lockplane.toml keys
// and precedence, and foreign keys into filtered-out schemas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.js';
import { parseConfig, resolveFilter } from '../../src/config/index.js';
import { CompiledFilter, compileGlob, filterSchema, globMatches, globProblem, leftOutOf, PRESETS } from '../../src/schema/filter.js';
import { checkReferences } from '../../src/safety/index.js';
import { namesNamespace } from '../../src/shadow/seed.js';
import type { Schema } from '../../src/schema/types.js';

test('globs: * and ? over SCHEMA.NAME, anchored, everything else literal', () => {
  assert.ok(globMatches('public.tmp_*', 'public', 'tmp_x'));
  assert.ok(globMatches('public.tmp_*', 'public', 'tmp_'));
  assert.ok(!globMatches('public.tmp_*', 'public', 'xtmp_x'));
  assert.ok(!globMatches('public.tmp_*', 'app', 'tmp_x'));
  assert.ok(globMatches('*.audit_*', 'app', 'audit_log'));
  assert.ok(globMatches('*.audit_*', 'public', 'audit_'));
  assert.ok(!globMatches('*.audit_*', 'public', 'my_audit_log'));
  assert.ok(globMatches('p?blic.t', 'public', 't'));
  assert.ok(!globMatches('p?blic.t', 'pblic', 't'));
  // Regular-expression characters are literal.
  assert.ok(globMatches('public.a+b', 'public', 'a+b'));
  assert.ok(!globMatches('public.a+b', 'public', 'aab'));
  assert.ok(globMatches('public.a$(b)', 'public', 'a$(b)'));
  // The first dot splits: the name part may contain dots.
  assert.ok(globMatches('public.a.b', 'public', 'a.b'));
  assert.ok(globMatches('*.*', 'Weird Schema', 'Mixed Case'));
  assert.ok(!globMatches('public.users', 'public', 'Users'), 'case-sensitive, like quoted names');
});

test('globs: unqualified, empty parts and unsupported syntax are refused with the reason', () => {
  assert.match(globProblem('tmp_*')!, /not a glob over a qualified name \(SCHEMA\.NAME/);
  assert.match(globProblem('.x')!, /SCHEMA\.NAME/);
  assert.match(globProblem('public.')!, /SCHEMA\.NAME/);
  assert.match(globProblem('public.[ab]')!, /uses "\[": only \* .* and \? .* are supported/);
  assert.match(globProblem('public.{a,b}')!, /uses "\{"/);
  assert.match(globProblem('"public".x')!, /uses "\\""/);
  assert.equal(globProblem('public.*'), undefined);
  assert.throws(() => compileGlob('nodot', 'exclude'), (e: unknown) => e instanceof InputError && /^exclude: "nodot"/.test(e.message));
});

test('CompiledFilter: schemas, exclude_schemas and include globs decide namespaces; globs decide objects', () => {
  const f = new CompiledFilter({ schemas: ['public', 'app', 'auth'], excludeSchemas: ['auth'], exclude: ['public.tmp_*'] });
  assert.ok(f.namespace('public'));
  assert.ok(!f.namespace('auth'), 'exclude_schemas wins over schemas');
  assert.ok(!f.namespace('other'), 'not in schemas');
  assert.ok(f.object('public', 'users'));
  assert.ok(f.object(undefined, 'users'), 'no schema means public');
  assert.ok(!f.object(undefined, 'tmp_1'));
  assert.ok(!f.object('auth', 'users'));
  const inc = new CompiledFilter({ include: ['public.*', 'app.keep_*'] });
  assert.ok(inc.namespace('app') && inc.namespace('public') && !inc.namespace('auth'));
  assert.ok(inc.object('app', 'keep_me') && !inc.object('app', 'other'));
});

test('presets: supabase lists the platform schemas', () => {
  for (const ns of ['auth', 'storage', 'realtime', 'extensions', 'graphql', 'graphql_public', 'pgbouncer', 'supabase_functions', 'supabase_migrations', 'vault', 'net', 'pgsodium', 'pgsodium_masks', 'cron']) {
    assert.ok(PRESETS.supabase!.includes(ns), ns);
  }
  assert.ok(!PRESETS.supabase!.includes('public'));
});

const SAMPLE: Schema = {
  dialect: 'postgres',
  schemas: [{ name: 'auth' }, { name: 'extensions' }, { name: 'public' }],
  types: [{ schema: 'auth', name: 'aal_level', values: ['aal1'] }, { schema: 'public', name: 'mood', values: ['ok'] }],
  tables: [
    { schema: 'auth', name: 'users', columns: [{ name: 'id', type: 'uuid', nullable: false }] },
    {
      schema: 'public',
      name: 'profiles',
      columns: [{ name: 'id', type: 'uuid', nullable: false }],
      foreign_keys: [{ name: 'profiles_id_fkey', columns: ['id'], referenced_schema: 'auth', referenced_table: 'users', referenced_columns: ['id'] }],
    },
    { schema: 'public', name: 'tmp_x', columns: [{ name: 'id', type: 'integer', nullable: true }] },
  ],
  extensions: [{ name: 'pgcrypto', schema: 'extensions' }, { name: 'citext', schema: 'public' }],
  sequences: [
    { schema: 'public', name: 'counter' },
    { schema: 'public', name: 'tmp_seq' },
    { schema: 'public', name: 'x_seq', owned_by: { schema: 'public', table: 'tmp_x', column: 'id' } },
  ],
  views: [{ schema: 'public', name: 'tmp_view', definition: 'SELECT 1' }, { schema: 'public', name: 'v', definition: 'SELECT 1' }],
  functions: [
    { schema: 'auth', name: 'uid', signature: '', returns: 'uuid', definition: 'x' },
    { schema: 'public', name: 'tmp_f', signature: '', returns: 'int', definition: 'x' },
    { schema: 'public', name: 'f', signature: '', returns: 'int', definition: 'x' },
  ],
};

test('filterSchema: leaves out filtered objects of every kind and keeps references to them', () => {
  const out = filterSchema(SAMPLE, { excludeSchemas: ['auth', 'extensions'], exclude: ['public.tmp_*'] });
  assert.deepEqual(out.schemas, [{ name: 'public' }]);
  assert.deepEqual(out.tables.map((t) => t.name), ['profiles']);
  assert.equal(out.tables[0]!.foreign_keys![0]!.referenced_schema, 'auth', 'the foreign key to auth.users is kept');
  assert.deepEqual(out.types!.map((t) => t.name), ['mood']);
  assert.deepEqual(out.extensions!.map((e) => e.name), ['citext']);
  assert.deepEqual(out.sequences!.map((s) => s.name), ['counter'], 'a sequence owned by a left-out table goes with it');
  assert.deepEqual(out.views!.map((v) => v.name), ['v']);
  assert.deepEqual(out.functions!.map((f) => f.name), ['f']);
  assert.equal(filterSchema(SAMPLE, {}), SAMPLE, 'an empty filter changes nothing');
  const rest = leftOutOf(SAMPLE, { excludeSchemas: ['auth', 'extensions'], exclude: ['public.tmp_*'] });
  assert.deepEqual(rest.tables.map((t) => `${t.schema}.${t.name}`), ['auth.users', 'public.tmp_x'], 'the other part');
  assert.deepEqual(rest.sequences!.map((s) => s.name), ['tmp_seq', 'x_seq']);
  assert.deepEqual(rest.functions!.map((f) => f.name), ['uid', 'tmp_f']);
  assert.deepEqual(rest.extensions!.map((e) => e.name), ['pgcrypto']);
  const only = filterSchema(SAMPLE, { include: ['public.profiles'] });
  assert.deepEqual(only.tables.map((t) => t.name), ['profiles']);
  assert.deepEqual(only.views, []);
});

test('references: a foreign key into a namespace the schema does not describe is not a dangling reference', () => {
  const desired = filterSchema(SAMPLE, { excludeSchemas: ['auth', 'extensions'], exclude: ['public.tmp_*'] });
  assert.deepEqual(checkReferences(desired), []);
  // Within a described namespace a missing table still is.
  const broken: Schema = {
    tables: [{ name: 'a', columns: [{ name: 'b_id', type: 'integer', nullable: true }], foreign_keys: [{ name: 'a_b', columns: ['b_id'], referenced_table: 'missing', referenced_columns: ['id'] }] }],
  };
  assert.deepEqual(checkReferences(broken).map((f) => f.code), ['LP301']);
  // A missing own column is still reported even when the referenced table is outside.
  const ownMissing: Schema = {
    tables: [{ name: 'a', columns: [], foreign_keys: [{ name: 'a_u', columns: ['uid'], referenced_schema: 'auth', referenced_table: 'users', referenced_columns: ['id'] }] }],
  };
  assert.deepEqual(checkReferences(ownMissing).map((f) => f.code), ['LP301']);
});

test('seed: which texts name a namespace', () => {
  assert.ok(namesNamespace(['CREATE TABLE p (id uuid REFERENCES auth.users (id))'], 'auth'));
  assert.ok(namesNamespace(['USING ("auth".uid() = id)'], 'auth'));
  assert.ok(namesNamespace(['USING (AUTH.uid() = id)'], 'auth'), 'unquoted names fold to lower case');
  assert.ok(namesNamespace(['{"referenced_schema": "auth", "referenced_table": "users"}'], 'auth'));
  assert.ok(namesNamespace(['{"type": "auth.aal_level"}'], 'auth'));
  assert.ok(namesNamespace([JSON.stringify({ sql: 'REFERENCES "auth"."users" ("id")' })], 'auth'), 'quoted, inside JSON');
  assert.ok(namesNamespace([JSON.stringify({ sql: 'REFERENCES "My Auth"."users"' })], 'My Auth'));
  assert.ok(!namesNamespace(['REFERENCES "my auth".users'], 'My Auth'), 'a quoted name is exact');
  assert.ok(!namesNamespace(['CREATE TABLE oauth.x (id int)', 'SELECT my.auth.x'], 'auth'));
  assert.ok(!namesNamespace(['CREATE TABLE authors (id int)'], 'auth'));
});

const TOML = `default_environment = "local"
preset = "supabase"
exclude = ["public.tmp_*"]

[environments.local]
description = "dev"

[environments.prod]
exclude_schemas = ["audit"]
include = ["public.*", "app.*"]
exclude = []
preset = "none"
`;

test('lockplane.toml: filter keys at the top level and per environment; each key overrides, flags override both', () => {
  const config = parseConfig(TOML, '/p/lockplane.toml');
  assert.equal(config.preset, 'supabase');
  const local = resolveFilter(config, config.environments.get('local'));
  assert.deepEqual(local.exclude, ['public.tmp_*']);
  assert.ok(local.excludeSchemas!.includes('auth') && local.excludeSchemas!.includes('storage'));
  const prod = resolveFilter(config, config.environments.get('prod'));
  assert.deepEqual(prod, { excludeSchemas: ['audit'], include: ['public.*', 'app.*'] });
  const flagged = resolveFilter(config, config.environments.get('local'), { exclude: ['public.other'], excludeSchemas: ['x'], preset: 'none' });
  assert.deepEqual(flagged, { excludeSchemas: ['x'], exclude: ['public.other'] });
});
