// `lockplane init` through the built CLI: --yes for every database type, the
// commands that use what it wrote, docker-compose, and the wizard in a real
// terminal (tmux).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/dialects/postgres/session.js';
import { readEnvFile } from '../../src/config/index.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { BIN, runCli, tempProject, type CliResult } from './cli.js';

const databaseName = (url: string): string => new URL(url).pathname.slice(1);

function tables(result: CliResult): string[] {
  assert.equal(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { tables: { name: string }[] }).tables.map((table) => table.name).sort();
}

serverTest('init --yes against the server, then introspect --source-environment local reads that database', async () => {
  await withServerDatabase(async (url) => {
    const session = await connect(url);
    await session.exec('CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL)');
    await session.close();
    const { dir, cleanup } = tempProject({ 'package.json': '{}' });
    try {
      const init = await runCli(
        ['init', '--yes', '--host', '127.0.0.1', '--database', databaseName(url), '--user', 'postgres', '--password', 'p@ss:w/rd#'],
        { cwd: dir },
      );
      assert.equal(init.code, 0, init.stderr);
      assert.match(init.stderr, /✓ connected to postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/lp_test_\w+\?sslmode=disable/);
      assert.doesNotMatch(init.stderr + init.stdout, /p@ss|p%40ss/);
      assert.equal(readEnvFile(join(dir, '.env.local'))?.DATABASE_URL, `postgresql://postgres:p%40ss%3Aw%2Frd%23@127.0.0.1:5432/${databaseName(url)}?sslmode=disable`);
      assert.equal(statSync(join(dir, '.env.local')).mode & 0o777, 0o600);

      const introspected = await runCli(['introspect', '--source-environment', 'local'], { cwd: dir });
      assert.deepEqual(tables(introspected), ['accounts']);
      assert.match(introspected.stderr, /Environment local \(Local development\): postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/lp_test_\w+\?sslmode=disable from DATABASE_URL in \.env\.local/);
      assert.deepEqual(tables(await runCli(['introspect'], { cwd: dir })), ['accounts'], 'local is the default environment');
    } finally {
      cleanup();
    }
  });
});

serverTest('init --yes with a wrong port: exit 1, a clear error, nothing written', async () => {
  const { dir, cleanup } = tempProject({ 'package.json': '{}' });
  try {
    const result = await runCli(['init', '--yes', '--host', '127.0.0.1', '--port', '5439', '--database', 'test', '--password', 'hunter2'], { cwd: dir });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^Error: cannot connect to postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:5439\/test\?sslmode=disable: .*Nothing was written; check the connection flags, or pass --skip-connection-test/m);
    assert.doesNotMatch(result.stderr, /hunter2/);
    assert.deepEqual(readdirSync(dir), ['package.json']);
  } finally {
    cleanup();
  }
});

test('init --yes --db-type pglite: apply and introspect use the environment it wrote', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = tempProject({ 'package.json': '{}' });
  try {
    const init = await runCli(['init', '--yes', '--db-type', 'pglite', '--file-path', 'data/dev'], { cwd: dir });
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stderr, /data\/dev will be created/);
    writeFileSync(join(dir, 'schema', 'users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY, name text);\n');
    const applied = await runCli(['apply', '--auto-approve'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, /Using schema_path schema from lockplane\.toml/);
    assert.deepEqual(tables(await runCli(['introspect', '--source-environment', 'local'], { cwd: dir })), ['users']);
    assert.ok(existsSync(join(dir, 'data', 'dev')), 'the PGlite directory is beside lockplane.toml');
  } finally {
    cleanup();
  }
});

test('init --yes for sqlite and libsql writes their settings; commands then use them', async () => {
  const { dir, cleanup } = tempProject({ 'package.json': '{}' });
  try {
    const sqlite = await runCli(['init', '--yes', '--db-type', 'sqlite', '--file-path', 'app.db'], { cwd: dir });
    assert.equal(sqlite.code, 0, sqlite.stderr);
    assert.match(sqlite.stderr, /lockplane plan --from-environment local/);
    assert.deepEqual(readEnvFile(join(dir, '.env.local')), { DATABASE_URL: 'sqlite:app.db', SQLITE_SHADOW_DB_PATH: 'app_shadow.db' });
    const introspect = await runCli(['introspect'], { cwd: dir });
    assert.equal(introspect.code, 0, introspect.stderr);
    assert.match(introspect.stderr, /sqlite:app\.db from DATABASE_URL in \.env\.local/);
    assert.deepEqual(JSON.parse(introspect.stdout), { dialect: 'sqlite', tables: [] });

    const libsql = await runCli(['init', '--yes', '--env-name', 'turso', '--db-type', 'libsql', '--url', 'libsql://app-org.turso.io', '--auth-token', 'tok3n'], { cwd: dir });
    assert.equal(libsql.code, 0, libsql.stderr);
    assert.match(libsql.stderr, /! connection test skipped for libsql:\/\/app-org\.turso\.io/);
    assert.doesNotMatch(libsql.stderr, /tok3n/);
    assert.deepEqual(readEnvFile(join(dir, '.env.turso')), { LIBSQL_URL: 'libsql://app-org.turso.io', LIBSQL_AUTH_TOKEN: 'tok3n', SQLITE_SHADOW_DB_PATH: 'lockplane_shadow.db' });
    assert.match(readFileSync(join(dir, '.env.example'), 'utf8'), /^LIBSQL_AUTH_TOKEN="TOKEN"$/m);
    const turso = await runCli(['introspect', '--source-environment', 'turso'], { cwd: dir });
    assert.notEqual(turso.code, 0);
    assert.match(turso.stderr, /libsql:\/\/app-org\.turso\.io\?authToken=\*\*\* from LIBSQL_URL in \.env\.turso/);
    assert.doesNotMatch(turso.stderr, /tok3n/);
  } finally {
    cleanup();
  }
});

test('init --supabase: the local Supabase preset; a second init keeps it; same name refused; errors name the flag', async () => {
  const { dir, cleanup } = tempProject({ 'package.json': '{}', '.gitignore': 'node_modules/\n' });
  try {
    const supabase = await runCli(['init', '--supabase', '--skip-connection-test'], { cwd: dir });
    assert.equal(supabase.code, 0, supabase.stderr);
    assert.match(supabase.stderr, /Connection test skipped \(--skip-connection-test\)/);
    assert.deepEqual(readEnvFile(join(dir, '.env.supabase')), {
      DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:54322/postgres?sslmode=disable',
      SHADOW_SCHEMA: 'lockplane_shadow',
    });
    assert.ok(statSync(join(dir, 'supabase', 'schema')).isDirectory());
    const toml = readFileSync(join(dir, 'lockplane.toml'), 'utf8');
    assert.match(toml, /^default_environment = "supabase"$/m);
    assert.match(toml, /^schema_path = "supabase\/schema"$/m);
    assert.match(toml, /\[environments\.supabase\]\ndescription = "Local Supabase"\nschema_path = "supabase\/schema"\npreset = "supabase"\n/, 'platform schemas filtered');

    const second = await runCli(['init', '--yes', '--env-name', 'production', '--description', 'Production', '--connection-string', 'postgresql://app:s3cret@db.example.com/app', '--skip-connection-test'], { cwd: dir });
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /s3cret/);
    const after = readFileSync(join(dir, 'lockplane.toml'), 'utf8');
    assert.ok(after.startsWith(toml), 'the existing file, comments and all, is kept');
    assert.match(after, /\[environments\.production\]\ndescription = "Production"\nschema_path = "schema"\n$/);
    assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), 'node_modules/\n\n# Lockplane: environment secrets and local state\n.env.*\n!.env.example\n.lockplane/\n');

    const again = await runCli(['init', '--supabase', '--skip-connection-test'], { cwd: dir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^Error: lockplane\.toml: environment "supabase" already exists; pass --force to replace it/);
    assert.equal(readFileSync(join(dir, 'lockplane.toml'), 'utf8'), after);

    const missing = await runCli(['init', '--yes', '--env-name', 'ci'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^Error: --database is required with --yes/);
    const misplaced = await runCli(['init', '--yes', '--db-type', 'sqlite', '--file-path', 'a.db', '--password', 'x'], { cwd: dir });
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /^Error: --password does not apply to --db-type sqlite/);
    const noTerminal = await runCli(['init'], { cwd: dir });
    assert.equal(noTerminal.code, 2);
    assert.match(noTerminal.stderr, /the wizard needs a terminal/);
  } finally {
    cleanup();
  }
});

test('init docker-compose: adds the shadow service once, keeps the comments, prints the URL without the password', async () => {
  const compose = '# dev stack\nservices:\n  db:\n    image: postgres:16  # the app database\n    environment:\n      POSTGRES_PASSWORD: pw\n    ports:\n      - "5432:5432"\n      - "5433:5433"\n';
  const { dir, cleanup } = tempProject({ 'compose.yaml': compose });
  try {
    const first = await runCli(['init', 'docker-compose'], { cwd: dir });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /Added service shadow \(a copy of db, without its volumes\) on host port 5434 to compose\.yaml/);
    assert.equal(first.stdout, 'SHADOW_DATABASE_URL="postgresql://postgres:***@localhost:5434/postgres_shadow?sslmode=disable"\n');
    const written = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    assert.ok(written.startsWith(compose));
    assert.match(written, /^ {4}image: postgres:16 {2}# the app database$/m);
    const second = await runCli(['init', 'docker-compose', '--file', 'compose.yaml'], { cwd: dir });
    assert.equal(second.code, 0);
    assert.match(second.stderr, /compose\.yaml already has a shadow service: nothing changed/);
    assert.equal(readFileSync(join(dir, 'compose.yaml'), 'utf8'), written);
  } finally {
    cleanup();
  }
  const empty = tempProject();
  try {
    const none = await runCli(['init', 'docker-compose'], { cwd: empty.dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no compose file in .* \(looked for docker-compose\.yml, docker-compose\.yaml, compose\.yml, compose\.yaml\); pass --file/);
  } finally {
    empty.cleanup();
  }
});

// The wizard in a real terminal: tmux runs the CLI in a pseudo-terminal, keys go in with send-keys.
class Tmux {
  private readonly seen = new Map<string, number>();
  /** Our own tmux server's socket and the CLI's exit code live here, removed by close(). */
  private readonly dir = mkdtempSync(join(tmpdir(), 'lockplane-tmux-'));
  private readonly exitFile = join(this.dir, 'exit');

  constructor(cwd: string) {
    const clean = ['DATABASE_URL', 'SHADOW_DATABASE_URL', 'SHADOW_SCHEMA', 'POSTGRES_URL'].map((key) => `-u ${key}`).join(' ');
    const command = `env ${clean} NO_COLOR=1 ${process.execPath} ${BIN} init; echo $? > ${this.exitFile}`;
    this.tmux('new-session', '-d', '-s', 'init', '-x', '120', '-y', '60', '-c', cwd, command);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', join(this.dir, 'socket'), ...args], { encoding: 'utf8' });
  }

  /** Waits until `text` is on the screen once more than before. */
  async waitFor(text: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const before = this.seen.get(text) ?? 0;
    for (;;) {
      const screen = existsSync(this.exitFile) ? '' : this.capture();
      const count = screen.split(text).length - 1;
      if (count > before) {
        this.seen.set(text, count);
        return;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}; screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  capture(): string {
    try {
      return this.tmux('capture-pane', '-p', '-t', 'init', '-S', '-200');
    } catch {
      return '';
    }
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'init', ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'init', '-l', text);
  }

  async exitCode(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(this.exitFile) || readFileSync(this.exitFile, 'utf8').trim() === '') {
      if (Date.now() > deadline) throw new Error(`the CLI did not exit; screen:\n${this.capture()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return Number(readFileSync(this.exitFile, 'utf8').trim());
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const hasTmux = ((): boolean => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

test('the wizard in a terminal (tmux): PGlite environment, files written, exit 0', { skip: !hasTmux && 'tmux is not installed', timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempProject({ 'package.json': '{}' });
  const term = new Tmux(dir);
  try {
    await term.waitFor('Environment name');
    term.type('dev');
    term.keys('Enter');
    await term.waitFor('Description (optional)');
    term.type('My laptop');
    term.keys('Enter');
    await term.waitFor('Database type');
    term.keys('Down', 'Enter');
    await term.waitFor('PGlite data directory');
    term.keys('Enter');
    await term.waitFor('will be created');
    await term.waitFor('Shadow database');
    term.keys('Enter');
    await term.waitFor('Where does the desired schema live');
    term.keys('Enter');
    await term.waitFor('Set up another environment?');
    term.keys('Enter');
    await term.waitFor('Write these files?');
    assert.match(term.capture(), /create {2}\.env\.dev {2}\(mode 0600\)/);
    term.keys('Enter');
    assert.equal(await term.exitCode(), 0);
    assert.deepEqual(readEnvFile(join(dir, '.env.dev')), { DATABASE_URL: 'pglite://.lockplane/pglite' });
    assert.equal(statSync(join(dir, '.env.dev')).mode & 0o777, 0o600);
    assert.match(readFileSync(join(dir, 'lockplane.toml'), 'utf8'), /\[environments\.dev\]\ndescription = "My laptop"\nschema_path = "schema"\n/);
    assert.deepEqual(tables(await runCli(['introspect'], { cwd: dir })), []);
  } finally {
    term.close();
    cleanup();
  }
});

test('the wizard in a terminal (tmux): Ctrl-C exits 130 and writes nothing', { skip: !hasTmux && 'tmux is not installed', timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempProject({ 'package.json': '{}' });
  const term = new Tmux(dir);
  try {
    await term.waitFor('Environment name');
    term.keys('Enter');
    await term.waitFor('Description (optional)');
    term.keys('C-c');
    assert.equal(await term.exitCode(), 130);
    assert.deepEqual(readdirSync(dir), ['package.json']);
  } finally {
    term.close();
    cleanup();
  }
});
