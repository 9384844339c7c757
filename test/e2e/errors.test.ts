import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli, tempProject } from './cli.js';

const cases: { name: string; args: string[]; files?: Record<string, string>; code: number; stderr: RegExp }[] = [
  { name: 'unknown command', args: ['frobnicate'], code: 2, stderr: /unknown command 'frobnicate'/ },
  { name: 'unknown option', args: ['introspect', '--frob'], code: 2, stderr: /unknown option '--frob'/ },
  { name: 'missing required option', args: ['plan', '--from', 'a.json'], code: 2, stderr: /^Error: plan: give --to SOURCE or --to-environment NAME \(or set schema_path in lockplane\.toml\)\n$/ },
  { name: 'diff with one side only', args: ['diff', 'a.json'], code: 2, stderr: /^Error: diff: give TO \(or --to-environment\)\n$/ },
  { name: 'bad introspect format', args: ['introspect', '--format', 'yaml'], code: 2, stderr: /--format: expected one of json, sql/ },
  { name: 'rollback of a missing plan', args: ['rollback', '--plan', 'p.json'], code: 2, stderr: /^Error: p\.json: no such file or directory\n$/ },
  { name: 'validate plan of a missing file', args: ['validate', 'plan', 'nope.json'], code: 2, stderr: /nope\.json: no such file or directory/ },
  { name: 'missing file', args: ['plan', '--from', 'nope.json', '--to', 'nope2.json'], code: 2, stderr: /^Error: nope\.json: no such file or directory\n$/ },
  { name: 'unsupported URL', args: ['introspect', '--db', 'mysql://u:hunter2@h/db'], code: 2, stderr: /^Error: unsupported database URL: mysql:\/\/u:\*\*\*@h\/db/ },
  {
    name: 'invalid JSON',
    args: ['diff', 'a.json', 'a.json'],
    files: { 'a.json': '{"tables": [\n  {"name": }\n]}' },
    code: 2,
    stderr: /^Error: a\.json:2:/,
  },
  {
    name: 'JSON that breaks the schema',
    args: ['diff', 'a.json', 'a.json'],
    files: { 'a.json': JSON.stringify({ tables: [{ name: 't', columns: [{ name: 'id' }] }] }) },
    code: 2,
    stderr: /a\.json.*\/tables\/0\/columns\/0.*type/,
  },
  {
    name: 'a DROP in a schema file',
    args: ['plan', '--from', 'pglite://memory', '--to', 'schema.sql'],
    files: { 'schema.sql': 'CREATE TABLE a (id int);\n\nDROP TABLE b;\n' },
    code: 2,
    stderr: /^Error: schema\.sql:3:1: DROP TABLE is not allowed in a schema file/,
  },
  {
    name: 'SQL syntax error',
    args: ['plan', '--from', 'pglite://memory', '--to', 'schema.sql'],
    files: { 'schema.sql': 'CREATE TABLE a (\n  id int,\n  name text,,\n);\n' },
    code: 2,
    stderr: /^Error: schema\.sql:3:13: syntax error at or near ","/,
  },
  {
    name: 'SQL Postgres rejects',
    args: ['plan', '--from', 'pglite://memory', '--to', 'schema.sql'],
    files: { 'schema.sql': 'CREATE TABLE a (\n  id int,\n  name nosuchtype\n);\n' },
    code: 2,
    stderr: /^Error: schema\.sql:3:8: type "nosuchtype" does not exist/,
  },
  {
    name: 'apply with nothing to apply',
    args: ['apply'],
    code: 2,
    stderr: /nothing to apply: give a plan file or --schema SOURCE/,
  },
  {
    name: 'apply given a schema as the plan',
    args: ['apply', 'schema.sql'],
    files: { 'schema.sql': 'CREATE TABLE a (id int);' },
    code: 2,
    stderr: /schema\.sql is a schema, not a plan; did you mean --schema schema\.sql\?/,
  },
  {
    name: 'bad --allow-hazards',
    args: ['apply', '--schema', 'x.sql', '--allow-hazards', 'DROP'],
    code: 2,
    stderr: /--allow-hazards: DROP is not a hazard code/,
  },
];

for (const c of cases) {
  test(`bad input: ${c.name} → exit ${c.code}, one clear line`, { timeout: 60_000 }, async () => {
    const { dir, cleanup } = tempProject(c.files);
    try {
      const result = await runCli(c.args, { cwd: dir });
      assert.equal(result.code, c.code, result.stderr);
      assert.match(result.stderr, c.stderr);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.doesNotMatch(result.stderr, /hunter2/);
    } finally {
      cleanup();
    }
  });
}

test('a connection failure is exit 1 and never prints the password', { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempProject();
  try {
    const result = await runCli(['introspect', '--db', 'postgresql://alice:s3cr3t-pw@127.0.0.1:1/app'], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Error: cannot connect to postgresql:\/\/alice:\*\*\*@127\.0\.0\.1:1\/app/);
    assert.doesNotMatch(result.stderr, /s3cr3t-pw/);
    const debug = await runCli(['introspect', '--db', 'postgresql://alice:s3cr3t-pw@127.0.0.1:1/app'], {
      cwd: dir,
      env: { LOCKPLANE_DEBUG: '1' },
    });
    assert.match(debug.stderr, /\n\s+at /, 'LOCKPLANE_DEBUG=1 shows the stack');
    assert.doesNotMatch(debug.stderr, /s3cr3t-pw/);
  } finally {
    cleanup();
  }
});

test('--version and version print the package version', async () => {
  const { dir, cleanup } = tempProject();
  try {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const a = await runCli(['--version'], { cwd: dir });
    assert.equal(a.code, 0);
    assert.equal(a.stdout, `${version}\n`);
    const b = await runCli(['version'], { cwd: dir });
    assert.equal(b.stdout, `lockplane ${version}\n`);
  } finally {
    cleanup();
  }
});
