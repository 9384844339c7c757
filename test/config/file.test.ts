import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, ExitCode } from '../../src/errors.js';
import { locateKey, parseConfig } from '../../src/config/index.js';

const FULL = `# Lockplane settings (no secrets here)
default_environment = "local"
schema_path = "schema"
dialect = "postgres"
schemas = ["public", "app"]
ledger_schema = "ops_ledger"

[environments.local]
description = "Local development"

[environments.production]
description = "Production"
schema_path = "schema/prod"
schemas = ["public"]
ledger_schema = "prod_ledger"
`;

function fails(text: string, message: string | RegExp): void {
  assert.throws(
    () => parseConfig(text, '/p/lockplane.toml'),
    (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.equal(error.exitCode, ExitCode.badInput);
      assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    },
  );
}

test('lockplane.toml: every key is read', () => {
  const config = parseConfig(FULL, '/p/lockplane.toml');
  assert.equal(config.dir, '/p');
  assert.equal(config.defaultEnvironment, 'local');
  assert.equal(config.schemaPath, 'schema');
  assert.equal(config.dialect, 'postgres');
  assert.deepEqual(config.schemas, ['public', 'app']);
  assert.equal(config.ledgerSchema, 'ops_ledger');
  assert.deepEqual([...config.environments.keys()], ['local', 'production']);
  assert.deepEqual(config.environments.get('production'), {
    name: 'production',
    description: 'Production',
    schemaPath: 'schema/prod',
    ledgerSchema: 'prod_ledger',
    schemas: ['public'],
  });
  assert.equal(parseConfig('', '/p/lockplane.toml').environments.size, 0);
});

test('lockplane.toml: invalid TOML is one line with line and column', () => {
  fails('default_environment = "local"\nschema_path = \n', /^lockplane\.toml:2:\d+: .+/);
  fails('a = "unterminated\n', /^lockplane\.toml:1:\d+: /);
  fails('[environments.local]\ndescription = "x"\ndescription = "y"\n', /^lockplane\.toml:3:\d+: .+/);
});

test('lockplane.toml: unknown keys name the key, its table, line and column', () => {
  fails(FULL.replace('description = "Local development"', 'description = "Local development"\n  colour = "blue"'),
    /^lockplane\.toml:10:3: unknown key "colour" in \[environments\.local\]/);
  fails('schema_path = "s"\nshadow_schema = "x"\n', /^lockplane\.toml:2:1: unknown key "shadow_schema" in the top level/);
  fails('[lock_analysis]\nenabled = true\n', /^lockplane\.toml:1:1: unknown key "lock_analysis" in the top level/);
  fails('[environments.local]\n"odd key" = 1\n', /^lockplane\.toml:2:1: unknown key "odd key" in \[environments\.local\]/);
  fails('environments.local.frob = 1\n', /^lockplane\.toml:1:1: unknown key "frob" in \[environments\.local\]/);
});

test('lockplane.toml: ledger_schema must be a plain name of its own', () => {
  fails('ledger_schema = "public"\n', 'lockplane.toml:1:1: ledger_schema: "public" is reserved; pick a schema of Lockplane\'s own');
  fails('[environments.ci]\nledger_schema = "My Ledger"\n', /^lockplane\.toml:2:1: ledger_schema: "My Ledger" is not a plain lower-case identifier/);
});

test('lockplane.toml: secrets are refused and sent to .env.NAME', () => {
  fails('[environments.staging]\ndescription = "s"\ndatabase_url = "postgres://u:hunter2@h/db"\n',
    'lockplane.toml:3:1: "database_url" in [environments.staging]: no secrets in lockplane.toml; move it to .env.staging (as DATABASE_URL)');
  fails('default_environment = "local"\ndatabase_url = "postgres://h/db"\n[environments.local]\n',
    /^lockplane\.toml:2:1: "database_url" in the top level: no secrets in lockplane\.toml; move it to \.env\.local/);
  fails('[environments.local]\npassword = "x"\n', /^lockplane\.toml:2:1: "password" .*\.env\.local/);
  fails('[environments.local]\nshadow_database_url = "x"\n', /move it to \.env\.local \(as SHADOW_DATABASE_URL\)/);
  fails('[environments.local]\npostgres_url = "x"\n', /\(as POSTGRES_URL\)/);
  fails('environments = { local = { database_url = "x" } }\n', /^lockplane\.toml:1:1: "database_url" in \[environments\.local\]/);
});

test('lockplane.toml: values of the wrong type', () => {
  fails('dialect = "mysql"\n', 'lockplane.toml:1:1: dialect must be "postgres" or "sqlite", not "mysql"');
  fails('\nschemas = "public"\n', /^lockplane\.toml:2:1: schemas must be a non-empty array/);
  fails('[environments.local]\nschemas = [1]\n', /^lockplane\.toml:2:1: schemas must be/);
  fails('schema_path = 3\n', /^lockplane\.toml:1:1: schema_path must be a non-empty string/);
  fails('environments = 3\n', /^lockplane\.toml:1:1: environments must be a table/);
});

test('lockplane.toml: default_environment must be defined', () => {
  fails('\ndefault_environment = "staging"\n[environments.local]\n',
    'lockplane.toml:2:1: default_environment "staging" is not defined: known environments: local');
});

test('locateKey: headers, dotted and quoted keys, multi-line strings', () => {
  const text = 'a = """\nb = 1\n"""\n[x . "y"]\n  b = 2\n';
  assert.deepEqual(locateKey(text, ['b']), { line: 1, column: 1 });
  assert.deepEqual(locateKey(text, ['x', 'y', 'b']), { line: 5, column: 3 });
  assert.deepEqual(locateKey(text, ['x', 'y']), { line: 4, column: 1 });
});

test('lockplane.toml: a bad glob, an unknown preset or a wrong type names the key and its line', () => {
  fails('exclude = ["tmp_*"]\n', /^lockplane\.toml:1:1: exclude: "tmp_\*" is not a glob over a qualified name/);
  fails('[environments.local]\ninclude = ["public.[a]"]\n', /^lockplane\.toml:2:1: include: "public\.\[a\]" uses "\["/);
  fails('\npreset = "firebase"\n', /^lockplane\.toml:2:1: preset: unknown preset "firebase" \(known: supabase, none\)/);
  fails('exclude_schemas = "auth"\n', /^lockplane\.toml:1:1: exclude_schemas must be an array of schema names/);
  fails('[environments.local]\nexclude_schema = ["auth"]\n', /^lockplane\.toml:2:1: unknown key "exclude_schema" in \[environments\.local\] \(expected one of: .*exclude_schemas/);
});
