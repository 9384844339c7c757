// The files init writes, and how it edits the ones a project already has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planInitFiles, writeInitFiles } from '../../src/init/files.js';
import { setupFromFlags, type InitFlags } from '../../src/init/flags.js';
import { loadConfigContext, readEnvFile, resolveDatabase } from '../../src/config/index.js';
import { InputError } from '../../src/errors.js';

function project(files: Record<string, string> = {}): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lockplane-init-'));
  writeFileSync(join(dir, 'package.json'), '{}');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function init(dir: string, flags: InitFlags, force = false): void {
  writeInitFiles(planInitFiles(dir, [setupFromFlags({ yes: true, ...flags })], force, dir));
}

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8');
const mode = (dir: string, name: string): number => statSync(join(dir, name)).mode & 0o777;

test('a new project: lockplane.toml, .env.local (0600), .env.example, .gitignore, schema/; the config layer resolves it', () => {
  const { dir, done } = project();
  try {
    init(dir, { database: 'app', user: 'me', password: 'p@ss:w/rd#', shadowDbPort: '5433' });
    const toml = read(dir, 'lockplane.toml');
    assert.match(toml, /^# lockplane\.toml/);
    assert.match(toml, /^default_environment = "local"$/m);
    assert.match(toml, /^\[environments\.local\]\ndescription = "Local development"\nschema_path = "schema"$/m);
    assert.doesNotMatch(toml, /p%40ss|p@ss|postgresql:/, 'no secrets in lockplane.toml');
    assert.equal(mode(dir, '.env.local'), 0o600);
    assert.deepEqual(readEnvFile(join(dir, '.env.local')), {
      DATABASE_URL: 'postgresql://me:p%40ss%3Aw%2Frd%23@localhost:5432/app?sslmode=disable',
      SHADOW_DATABASE_URL: 'postgresql://me:p%40ss%3Aw%2Frd%23@localhost:5433/app_shadow?sslmode=disable',
    });
    const example = read(dir, '.env.example');
    assert.match(example, /^DATABASE_URL="postgresql:\/\/USER:PASSWORD@HOST:5432\/DATABASE\?sslmode=disable"$/m);
    assert.match(example, /^SHADOW_DATABASE_URL=/m);
    assert.doesNotMatch(example, /p%40ss|me:/);
    assert.deepEqual(read(dir, '.gitignore').split('\n').filter((line) => line && !line.startsWith('#')), ['.env.*', '!.env.example', '.lockplane/']);
    assert.ok(statSync(join(dir, 'schema')).isDirectory());

    const resolved = resolveDatabase({ urlFlag: '--db', environmentFlag: '--source-environment' }, loadConfigContext(dir, {}));
    assert.equal(resolved.url, 'postgresql://me:p%40ss%3Aw%2Frd%23@localhost:5432/app?sslmode=disable');
    assert.equal(resolved.source, 'DATABASE_URL in .env.local');
    assert.equal(resolved.environment?.name, 'local');
    assert.equal(resolved.schemaPath, 'schema');
    assert.equal(resolved.shadow.url, 'postgresql://me:p%40ss%3Aw%2Frd%23@localhost:5433/app_shadow?sslmode=disable');
  } finally {
    done();
  }
});

test('another environment keeps the existing ones, the comments and the default; .gitignore and .env.example get no duplicates', () => {
  const { dir, done } = project({
    'lockplane.toml': '# our settings\ndefault_environment = "local"  # keep me\n\n[environments.local]\ndescription = "Mine"  # a note\n\n# production comes later\n',
    '.gitignore': 'node_modules/\n.env.*\n',
    '.env.example': 'DATABASE_URL=\nAPP_KEY=\n',
  });
  try {
    init(dir, { envName: 'staging', description: 'Staging "blue"', dbType: 'pglite', filePath: 'staging-db', shadowSchema: 'lp_shadow', schemaPath: 'db/schema/' });
    const toml = read(dir, 'lockplane.toml');
    assert.ok(toml.startsWith('# our settings\ndefault_environment = "local"  # keep me\n\n[environments.local]\ndescription = "Mine"  # a note\n\n# production comes later\n'), toml);
    assert.match(toml, /\[environments\.staging\]\ndescription = "Staging \\"blue\\""\nschema_path = "db\/schema"\n$/);
    const context = loadConfigContext(dir, {});
    assert.deepEqual([...context.config!.environments.keys()], ['local', 'staging']);
    assert.equal(context.config!.environments.get('staging')?.description, 'Staging "blue"');
    const staging = resolveDatabase({ urlFlag: '--db', environment: 'staging', environmentFlag: '--source-environment' }, context);
    assert.equal(staging.url, 'pglite://staging-db');
    assert.equal(staging.shadow.schema, 'lp_shadow');
    assert.ok(statSync(join(dir, 'db/schema')).isDirectory());
    assert.equal(read(dir, '.gitignore'), 'node_modules/\n.env.*\n\n# Lockplane: environment secrets and local state\n!.env.example\n.lockplane/\n');
    assert.equal(read(dir, '.env.example'), 'DATABASE_URL=\nAPP_KEY=\nSHADOW_SCHEMA="lockplane_shadow"\n');

    // Nothing new to add: .gitignore and .env.example are left alone.
    init(dir, { envName: 'qa', dbType: 'pglite', filePath: 'qa-db', shadowSchema: 'x' });
    assert.equal(read(dir, '.gitignore'), 'node_modules/\n.env.*\n\n# Lockplane: environment secrets and local state\n!.env.example\n.lockplane/\n');
    assert.equal(read(dir, '.env.example'), 'DATABASE_URL=\nAPP_KEY=\nSHADOW_SCHEMA="lockplane_shadow"\n');
  } finally {
    done();
  }
});

test('an environment of the same name is refused, touching nothing; --force replaces its section and keys', () => {
  const { dir, done } = project();
  try {
    init(dir, { envName: 'local', database: 'one' });
    init(dir, { envName: 'prod', database: 'two', host: 'db.example.com' });
    const before = read(dir, 'lockplane.toml');
    const envBefore = read(dir, '.env.local');
    assert.throws(
      () => init(dir, { envName: 'local', database: 'three' }),
      (error: unknown) => error instanceof InputError && /environment "local" already exists; pass --force/.test(error.message),
    );
    assert.equal(read(dir, 'lockplane.toml'), before);
    assert.equal(read(dir, '.env.local'), envBefore);

    init(dir, { envName: 'local', description: 'Replaced', database: 'three', shadowSchema: 'sh' }, true);
    const toml = read(dir, 'lockplane.toml');
    assert.match(toml, /\[environments\.local\]\ndescription = "Replaced"\nschema_path = "schema"\n\n\[environments\.prod\]/);
    assert.equal(toml.match(/\[environments\.local\]/g)?.length, 1);
    assert.deepEqual(readEnvFile(join(dir, '.env.local')), {
      DATABASE_URL: 'postgresql://postgres@localhost:5432/three?sslmode=disable',
      SHADOW_SCHEMA: 'sh',
    });
    assert.equal(mode(dir, '.env.local'), 0o600);
  } finally {
    done();
  }
});

test('an existing .env.NAME keeps the app\'s own lines; a different DATABASE_URL in it needs --force', () => {
  const { dir, done } = project({ '.env.local': '# app\nNEXT_PUBLIC_KEY=abc\nDATABASE_URL="postgres://old@h/db"\n' });
  try {
    assert.throws(
      () => init(dir, { database: 'app' }),
      (error: unknown) => error instanceof InputError && /^\.env\.local already sets DATABASE_URL to something else; pass --force/.test(error.message),
    );
    assert.equal(existsSync(join(dir, 'lockplane.toml')), false, 'nothing written');
    init(dir, { database: 'app' }, true);
    assert.equal(read(dir, '.env.local'), '# app\nNEXT_PUBLIC_KEY=abc\nDATABASE_URL="postgresql://postgres@localhost:5432/app?sslmode=disable"\n');
    assert.equal(mode(dir, '.env.local'), 0o600);
  } finally {
    done();
  }
});

test('a lockplane.toml with inline environments is rewritten from its values (and says so)', () => {
  const { dir, done } = project({ 'lockplane.toml': 'environments = { local = { description = "L" } }\n' });
  try {
    const plan = planInitFiles(dir, [setupFromFlags({ yes: true, envName: 'dev', dbType: 'pglite' })], false, dir);
    assert.match(plan.notes.join('\n'), /comments could not be kept/);
    writeInitFiles(plan);
    const context = loadConfigContext(dir, {});
    assert.deepEqual([...context.config!.environments.keys()], ['local', 'dev']);
  } finally {
    done();
  }
});
