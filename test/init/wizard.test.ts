// The wizard, driven by keystrokes through its input stream; the files it
// writes are checked, and the Postgres connection test runs against the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInit, type InitOutcome } from '../../src/init/index.js';
import { loadConfigContext, readEnvFile } from '../../src/config/index.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { FakeTerminal, KEY } from './terminal.js';

function project(files: Record<string, string> = {}): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lockplane-wizard-'));
  writeFileSync(join(dir, 'package.json'), '{}');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function start(dir: string, force = false): { terminal: FakeTerminal; outcome: Promise<InitOutcome> } {
  const terminal = new FakeTerminal();
  const outcome = runInit({ flags: force ? { force } : {}, cwd: dir, io: { input: terminal.input, output: terminal.output } });
  return { terminal, outcome };
}

const databaseName = (url: string): string => new URL(url).pathname.slice(1);

/** One environment, `local`, an embedded PGlite directory with every default. */
async function answerPgliteDefaults(t: FakeTerminal): Promise<void> {
  await t.answer('Environment name', KEY.enter);
  await t.answer('Description (optional)', KEY.enter);
  await t.answer('Database type', KEY.down, KEY.enter);
  await t.answer('PGlite data directory', KEY.enter);
  await t.answer('Shadow database', KEY.enter);
  await t.answer('Where does the desired schema live', KEY.enter);
  await t.answer('Set up another environment?', KEY.enter);
}

serverTest('Postgres by fields: special-character password escaped, connection tested, separate shadow database, files written', async () => {
  await withServerDatabase(async (url) => {
    const { dir, done } = project();
    try {
      const { terminal: t, outcome } = start(dir);
      await t.answer('Environment name', KEY.enter);
      await t.answer('Description (optional)', KEY.enter);
      await t.answer('Database type', KEY.enter);
      await t.answer('How do you want to give the connection?', KEY.enter);
      await t.answer('Host', '127.0.0.1', KEY.enter);
      await t.answer('Port', KEY.enter);
      await t.answer('Database', databaseName(url), KEY.enter);
      await t.answer('User', KEY.enter);
      await t.answer('Password', 'p@ss:w/rd#', KEY.enter);
      await t.answer('SSL mode', KEY.enter);
      await t.waitFor(/connected to postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/lp_test_\w+\?sslmode=disable \(Postgres \d+/);
      await t.answer('Shadow database', KEY.down, KEY.enter);
      await t.answer('Shadow database port', KEY.enter);
      await t.answer('Where does the desired schema live', KEY.enter);
      await t.answer('Set up another environment?', KEY.enter);
      await t.waitFor('Summary');
      await t.answer('Write these files?', KEY.enter);
      const result = await outcome;
      assert.equal(result.status, 'written');
      assert.doesNotMatch(t.screen, /p@ss|p%40ss/, 'the password is never shown');
      assert.match(t.screen, /create {2}\.env\.local {2}\(mode 0600\)/);

      const db = databaseName(url);
      assert.deepEqual(readEnvFile(join(dir, '.env.local')), {
        DATABASE_URL: `postgresql://postgres:p%40ss%3Aw%2Frd%23@127.0.0.1:5432/${db}?sslmode=disable`,
        SHADOW_DATABASE_URL: `postgresql://postgres:p%40ss%3Aw%2Frd%23@127.0.0.1:5433/${db}_shadow?sslmode=disable`,
      });
      assert.equal(statSync(join(dir, '.env.local')).mode & 0o777, 0o600);
      const config = loadConfigContext(dir, {}).config!;
      assert.equal(config.defaultEnvironment, 'local');
      assert.equal(config.environments.get('local')?.description, 'Local development');
      assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /^\.env\.\*\n!\.env\.example\n\.lockplane\/$/m);
      assert.ok(statSync(join(dir, 'schema')).isDirectory());
    } finally {
      done();
    }
  });
});

serverTest('a failed connection test offers retry and edit; then a second environment (PGlite, shadow schema)', async () => {
  await withServerDatabase(async (url) => {
    const { dir, done } = project();
    try {
      const { terminal: t, outcome } = start(dir);
      await t.answer('Environment name', KEY.enter);
      await t.answer('Description (optional)', 'Laptop', KEY.enter);
      await t.answer('Database type', KEY.enter);
      await t.answer('How do you want to give the connection?', KEY.enter);
      await t.answer('Host', '127.0.0.1', KEY.enter);
      await t.answer('Port', '5439', KEY.enter);
      await t.answer('Database', databaseName(url), KEY.enter);
      await t.answer('User', KEY.enter);
      await t.answer('Password', KEY.enter);
      await t.answer('SSL mode', KEY.enter);
      await t.waitFor(/cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:5439\//);
      await t.answer('The connection test failed. What now?', KEY.enter); // Retry
      await t.waitFor('cannot connect');
      await t.answer('The connection test failed. What now?', KEY.down, KEY.enter); // Edit
      await t.answer('How do you want to give the connection?', KEY.enter);
      await t.answer('Host', KEY.enter);
      await t.answer('Port', '5432', KEY.enter);
      await t.answer('Database', KEY.enter);
      await t.answer('User', KEY.enter);
      await t.answer('Password', KEY.enter);
      await t.answer('SSL mode', KEY.enter);
      await t.waitFor('connected to');
      await t.answer('Shadow database', KEY.enter); // embedded
      await t.answer('Where does the desired schema live', 'db', KEY.enter);
      await t.answer('Set up another environment?', KEY.left, KEY.enter);
      await t.answer('Environment name', 'local', KEY.enter);
      await t.waitFor('"local" already exists');
      for (let i = 0; i < 5; i += 1) t.input.write(KEY.backspace);
      t.input.write('staging');
      t.input.write(KEY.enter);
      await t.answer('Description (optional)', KEY.enter);
      await t.answer('Database type', KEY.down, KEY.enter); // PGlite
      await t.answer('PGlite data directory', 'staging-db', KEY.enter);
      await t.waitFor('will be created');
      await t.answer('Shadow database', KEY.down, KEY.down, KEY.enter); // PGlite: embedded, url, schema
      await t.answer('Shadow schema', KEY.enter);
      await t.answer('Where does the desired schema live', KEY.enter);
      await t.answer('Set up another environment?', KEY.enter);
      await t.answer('Write these files?', KEY.enter);
      assert.equal((await outcome).status, 'written');

      assert.deepEqual(readEnvFile(join(dir, '.env.local')), { DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${databaseName(url)}?sslmode=disable` });
      assert.deepEqual(readEnvFile(join(dir, '.env.staging')), { DATABASE_URL: 'pglite://staging-db', SHADOW_SCHEMA: 'lockplane_shadow' });
      const config = loadConfigContext(dir, {}).config!;
      assert.deepEqual([...config.environments.keys()], ['local', 'staging']);
      assert.equal(config.environments.get('local')?.schemaPath, 'db');
      assert.equal(config.environments.get('staging')?.schemaPath, 'db', 'the first answer is the next default');
    } finally {
      done();
    }
  });
});

test('Ctrl-C at any prompt, or "no" at the summary, writes nothing', async () => {
  const { dir, done } = project();
  try {
    const first = start(dir);
    await first.terminal.answer('Environment name', 'dev', KEY.enter);
    await first.terminal.answer('Description (optional)', KEY.enter);
    await first.terminal.answer('Database type', KEY.ctrlC);
    assert.deepEqual(await first.outcome, { status: 'cancelled' });
    assert.match(first.terminal.screen, /Cancelled: nothing was written\./);

    const second = start(dir);
    const t = second.terminal;
    await answerPgliteDefaults(t);
    await t.answer('Write these files?', KEY.left, KEY.enter);
    assert.deepEqual(await second.outcome, { status: 'cancelled' });
    assert.deepEqual(readdirSync(dir), ['package.json']);
    assert.equal(existsSync(join(dir, 'schema')), false);
  } finally {
    done();
  }
});

test('libSQL: the token is asked hidden, the connection test is skipped and says so', async () => {
  const { dir, done } = project();
  try {
    const { terminal: t, outcome } = start(dir);
    await t.answer('Environment name', 'turso', KEY.enter);
    await t.answer('Description (optional)', KEY.enter);
    await t.answer('Database type', KEY.down, KEY.down, KEY.down, KEY.enter);
    await t.answer('libSQL / Turso URL', 'libsql://app-org.turso.io', KEY.enter);
    await t.answer('Auth token', 'secret-token', KEY.enter);
    await t.waitFor('connection test skipped for libsql://app-org.turso.io');
    await t.answer('Shadow database file', KEY.enter);
    await t.answer('Where does the desired schema live', KEY.enter);
    await t.answer('Set up another environment?', KEY.enter);
    await t.answer('Write these files?', KEY.enter);
    assert.equal((await outcome).status, 'written');
    assert.doesNotMatch(t.screen, /secret-token/);
    assert.deepEqual(readEnvFile(join(dir, '.env.turso')), {
      LIBSQL_URL: 'libsql://app-org.turso.io',
      LIBSQL_AUTH_TOKEN: 'secret-token',
      SQLITE_SHADOW_DB_PATH: 'lockplane_shadow.db',
    });
  } finally {
    done();
  }
});

test('an app\'s .env.local that sets DATABASE_URL: the wizard asks before replacing Lockplane\'s keys, and keeps the rest', async () => {
  const { dir, done } = project({ '.env.local': 'SESSION_SECRET=xyz\nDATABASE_URL="postgres://app@db/app"\n' });
  try {
    const { terminal: t, outcome } = start(dir);
    await answerPgliteDefaults(t);
    await t.waitFor('.env.local already sets DATABASE_URL to something else');
    await t.answer("Replace Lockplane's keys in it?", KEY.left, KEY.enter);
    await t.answer('Write these files?', KEY.enter);
    assert.equal((await outcome).status, 'written');
    assert.equal(readFileSync(join(dir, '.env.local'), 'utf8'), 'SESSION_SECRET=xyz\nDATABASE_URL="pglite://.lockplane/pglite"\n');
    assert.equal(statSync(join(dir, '.env.local')).mode & 0o777, 0o600);
  } finally {
    done();
  }
});
