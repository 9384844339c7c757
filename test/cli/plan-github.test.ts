// `plan --output github`: one workflow command per hazard, at the file and
// line of the schema source that declares what the step changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workflowCommand } from '../../src/cli/plan-github.js';
import { jsonDefinitions } from '../../src/schema/definitions.js';
import { sqlDefinitions } from '../../src/sql/definitions.js';
import { definitionName } from '../../src/plan/source-locator.js';
import { runCli, tempProject } from '../e2e/cli.js';

test('workflow commands escape their data and properties as GitHub documents', () => {
  assert.equal(
    workflowCommand('warning', { file: 'a,b:c.sql', line: 3, title: undefined }, '50% done\nnext'),
    '::warning file=a%2Cb%3Ac.sql,line=3::50%25 done%0Anext',
  );
  assert.equal(workflowCommand('notice', {}, 'x'), '::notice::x');
});

const SCHEMA_SQL = `create schema app;
create type app.mood as enum ('ok');
create table app.users (
  id bigint primary key,
  email text not null,
  constraint users_email_ck check (email <> '')
);
create index users_email_idx on app.users (email);
alter table app.users
  add constraint users_email_key unique (email);
create view app.v as select id from app.users;
create function app.f(x int) returns int language sql as 'select x';
create policy p on app.users using (true);
`;

test('SQL definitions: tables, columns and constraints at their own lines; indexes, views, types, functions and policies at their statement', async () => {
  const { dir, cleanup } = tempProject({ 'schema/01.sql': SCHEMA_SQL });
  try {
    const defs = await sqlDefinitions(`${dir}/schema`);
    const at = (kind: string, name: string): number | undefined => defs.find((d) => d.kind === kind && definitionName(d) === name)?.line;
    assert.equal(at('type', 'app.mood'), 2);
    assert.equal(at('table', 'app.users'), 3);
    assert.equal(at('column', 'app.users.id'), 4);
    assert.equal(at('column', 'app.users.email'), 5);
    assert.equal(at('constraint', 'app.users.users_email_ck'), 6);
    assert.equal(at('index', 'app.users.users_email_idx'), 8);
    assert.equal(at('constraint', 'app.users.users_email_key'), 10);
    assert.equal(at('table', 'app.v'), 11);
    assert.equal(at('routine', 'app.f'), 12);
    assert.equal(at('policy', 'app.users.p'), 13);
  } finally {
    cleanup();
  }
});

test('JSON definitions: each table, column and index at the line its object starts', () => {
  const text = JSON.stringify({ tables: [{ name: 'users', columns: [{ name: 'id', type: 'bigint' }, { name: 'email', type: 'text' }], indexes: [{ name: 'users_email_idx', columns: ['email'] }] }] }, null, 2);
  const defs = jsonDefinitions(text, 'schema.json');
  const lines = text.split('\n');
  const lineOf = (needle: string): number => lines.findIndex((l) => l.includes(needle)) + 1;
  const at = (kind: string, name: string): number | undefined => defs.find((d) => d.kind === kind && definitionName(d) === name)?.line;
  assert.equal(at('table', 'public.users'), lineOf('"name": "users"') - 1);
  assert.equal(at('column', 'public.users.email'), lineOf('"name": "email"') - 1);
  assert.equal(at('index', 'public.users.users_email_idx'), lineOf('"name": "users_email_idx"') - 1);
});

// age is indexed: its type change has no online form (LP130).
const OLD = 'create table users (id bigint primary key, email text, legacy text, age int);\ncreate index users_age_idx on users (age);\n';
const NEW = `create table users (
  id bigint primary key,
  email text not null,
  age bigint
);
create index users_age_idx on users (age);
`;

test('plan --output github: hazards become annotations at the declaring line, then the text plan; --check still exits 4', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempProject({ 'old.sql': OLD, 'schema/01_users.sql': NEW });
  try {
    const result = await runCli(['plan', '--from', 'old.sql', '--to', 'schema', '--output', 'github', '--check'], { cwd: dir });
    assert.equal(result.code, 4, result.stderr);
    const lines = result.stdout.split('\n');
    const annotation = (code: string): string | undefined => lines.find((l) => l.includes(`title=Lockplane ${code}::`));
    assert.match(annotation('LP130') ?? '', /^::error file=schema\/01_users\.sql,line=4,title=Lockplane LP130::Step \d+ \(Alter column age in table users/);
    assert.match(annotation('LP102') ?? '', /^::warning file=schema\/01_users\.sql,line=3,title=Lockplane LP102::/);
    // The dropped column is in no source: the annotation points at its table.
    assert.match(annotation('LP202') ?? '', /^::warning file=schema\/01_users\.sql,line=1,title=Lockplane LP202::.*legacy/);
    assert.match(result.stdout, /\nPlan: \d+ steps\n/);
    const allowed = await runCli(['plan', '--from', 'old.sql', '--to', 'schema', '--output', 'github', '--allow-hazards', 'LP130'], { cwd: dir });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /^::warning file=schema\/01_users\.sql,line=4,title=Lockplane LP130::/m);
  } finally {
    cleanup();
  }
});

test('plan --output github on a JSON schema points at the JSON line; no hazards, no annotations', { timeout: 120_000 }, async () => {
  const json = JSON.stringify({ tables: [{ name: 'users', columns: [{ name: 'id', type: 'bigint', is_primary_key: true }] }] }, null, 2);
  const { dir, cleanup } = tempProject({ 'old.sql': 'create table users (id bigint primary key, legacy text);\n', 'schema.json': json, 'same.sql': 'create table users (id bigint primary key);\n' });
  try {
    const result = await runCli(['plan', '--from', 'old.sql', '--to', 'schema.json', '--output', 'github'], { cwd: dir });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^::warning file=schema\.json,line=3,title=Lockplane LP202::/m);
    const none = await runCli(['plan', '--from', 'same.sql', '--to', 'schema.json', '--output', 'github'], { cwd: dir });
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, 'No changes.\n');
  } finally {
    cleanup();
  }
});
