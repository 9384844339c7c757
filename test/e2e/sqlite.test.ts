// Every command on SQLite files, driven through the built CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject } from './cli.js';

const V1 = 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\nCREATE INDEX users_email ON users (email);\n';
const V2 = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT DEFAULT 'anon');\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INT REFERENCES users(id) ON DELETE CASCADE, title TEXT);\n-- a trigger: one statement with its own semicolons\nCREATE TRIGGER posts_touch AFTER INSERT ON posts BEGIN UPDATE users SET name = name WHERE id = new.user_id; END;\n";

test('SQLite end to end: apply, introspect, diff, plan, validate, apply a plan file, rollback', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempProject({ 'v1.sql': V1, 'v2.sql': V2 });
  const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env });
  try {
    const first = await run(['apply', '--schema', 'v1.sql', '--target', 'sqlite:app.db', '--auto-approve']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Applied 1 step to app\.db/);
    assert.match(first.stderr, /Plan proven on the shadow \(:memory:\)[\s\S]*Rollback proven on the shadow/);
    const unchanged = await run(['apply', '--schema', 'v1.sql', '--target', 'app.db', '--auto-approve']);
    assert.match(unchanged.stdout, /No changes: the database already matches v1\.sql/);

    const json = await run(['introspect', '--db', 'app.db']);
    assert.equal(json.code, 0, json.stderr);
    const schema = JSON.parse(json.stdout);
    assert.equal(schema.dialect, 'sqlite');
    assert.deepEqual(schema.tables.map((t: { name: string }) => t.name), ['users']);
    const ddl = await run(['introspect', '--db', 'file:app.db', '--format', 'sql']);
    assert.match(ddl.stdout, /CREATE INDEX "users_email" ON "users" \("email"\);/);

    writeFileSync(join(dir, 'current.json'), json.stdout);
    const fromJson = await run(['plan', '--from', 'app.db', '--to', 'current.json', '--output', 'text']);
    assert.equal(fromJson.code, 0, fromJson.stderr);
    assert.equal(fromJson.stdout, 'No changes.\n', 'a schema JSON with "dialect": "sqlite" is normalized through SQLite');
    const mixed = await run(['plan', '--from', 'postgres://u:pw@127.0.0.1:1/x', '--to', 'current.json']);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x is not a SQLite\/libSQL database/);

    const diff = await run(['diff', 'app.db', 'v2.sql']);
    assert.equal(diff.code, 0, diff.stderr);
    assert.deepEqual(JSON.parse(diff.stdout).changes.map((c: { description: string }) => c.description), ['Create table posts', 'Rebuild table users (add name, change email)', 'Create trigger posts_touch on posts']);

    const blocked = await run(['plan', '--from', 'app.db', '--to', 'v2.sql', '--validate']);
    assert.equal(blocked.code, 0, blocked.stderr);
    assert.match(blocked.stderr, /All validations passed/);
    writeFileSync(join(dir, 'v3.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, must TEXT NOT NULL);\n');
    const notNull = await run(['plan', '--from', 'app.db', '--to', 'v3.sql', '--validate']);
    assert.equal(notNull.code, 3, notNull.stderr);
    assert.match(notNull.stderr, /column users\.must is NOT NULL without a DEFAULT/);

    const plan = await run(['plan', '--from', 'app.db', '--to', 'v2.sql']);
    writeFileSync(join(dir, 'plan.json'), plan.stdout);
    assert.equal(JSON.parse(plan.stdout).dialect, 'sqlite');
    const valid = await run(['validate', 'plan', 'plan.json']);
    assert.equal(valid.code, 0, valid.stderr);

    // Rows written by the application, to survive the rebuild (the source hash is about the schema only).
    const { openSqlite } = await import('../../src/dialects/sqlite/index.js');
    const db = await openSqlite(join(dir, 'app.db'));
    await db.exec("INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x')");
    await db.close();

    const applied = await run(['apply', 'plan.json', '--target', 'app.db', '--auto-approve']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Applied 3 steps to app\.db/);
    const again = await run(['apply', 'plan.json', '--target', 'app.db', '--auto-approve']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Already applied: apply #2 applied this plan/);
    writeFileSync(join(dir, 'v1b.sql'), V1.replace('email TEXT', 'email TEXT, extra INT'));
    // A SQLite plan made for another state of the schema (v1, where app.db is at v2 now).
    assert.equal((await run(['apply', '--schema', 'v1.sql', '--target', 'other.db', '--auto-approve'])).code, 0);
    const other = await run(['plan', '--from', 'other.db', '--to', 'v1b.sql']);
    writeFileSync(join(dir, 'other.json'), other.stdout);
    const stale = await run(['apply', 'other.json', '--target', 'app.db', '--auto-approve']);
    assert.equal(stale.code, 3, stale.stderr);
    assert.match(stale.stderr, /other\.json: the target is not in the state this plan was made for/);
    const empty = await run(['plan', '--from', 'app.db', '--to', 'v2.sql', '--output', 'text']);
    assert.equal(empty.stdout, 'No changes.\n');

    const check = await openSqlite(join(dir, 'app.db'));
    assert.deepEqual(await check.query('SELECT id, email, name FROM users ORDER BY id'), [{ id: 1n, email: 'a@x', name: 'anon' }, { id: 2n, email: 'b@x', name: 'anon' }]);
    await check.close();

    const rollback = await run(['rollback', '--plan', 'plan.json', '--from', 'v1.sql']);
    assert.equal(rollback.code, 0, rollback.stderr);
    writeFileSync(join(dir, 'rollback.json'), rollback.stdout);
    const refused = await run(['apply', 'rollback.json', '--target', 'app.db', '--auto-approve']);
    assert.equal(refused.code, 3, 'dropping a table and a column needs approval');
    assert.match(refused.stderr, /--allow-hazards LP202,LP201/);
    const back = await run(['apply', 'rollback.json', '--target', 'app.db', '--auto-approve', '--allow-hazards', 'LP201,LP202']);
    assert.equal(back.code, 0, back.stderr);
    const same = await run(['plan', '--from', 'app.db', '--to', 'v1.sql', '--output', 'text']);
    assert.equal(same.stdout, 'No changes.\n');
  } finally {
    cleanup();
  }
});

test('SQLite from lockplane.toml and .env: dialect, SQLITE_SHADOW_DB_PATH, validate schema, bad SQL names its file and line', { timeout: 60_000 }, async () => {
  const { dir, cleanup } = tempProject({
    'lockplane.toml': 'dialect = "sqlite"\ndefault_environment = "local"\nschema_path = "schema"\n\n[environments.local]\n',
    '.env.local': 'DATABASE_URL=sqlite:data/app.db\nSQLITE_SHADOW_DB_PATH=data/shadow.db\n',
    'schema/01.sql': V1,
    'data/.keep': '',
  });
  try {
    const applied = await runCli(['apply', '--auto-approve'], { cwd: dir });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, /Plan proven on the shadow \(data\/shadow\.db\)/);
    const valid = await runCli(['validate', 'schema', 'schema'], { cwd: dir });
    assert.equal(valid.code, 0, valid.stderr);
    writeFileSync(join(dir, 'schema', '02.sql'), '\nCREATE TABLE broken (id INTEGER PRIMARY KEY,);\n');
    const bad = await runCli(['plan'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /schema\/02\.sql:2: SQLite rejected it: .*syntax error/);
    const invalid = await runCli(['validate', 'schema', 'schema'], { cwd: dir });
    assert.equal(invalid.code, 2);
  } finally {
    cleanup();
  }
});

test('SQLITE_DB_PATH, and libSQL URL handling in the client\'s local-file mode: LIBSQL_URL=file:… with a token that is never printed', async () => {
  const { dir, cleanup } = tempProject({ 'v1.sql': V1 });
  try {
    const byPath = await runCli(['introspect'], { cwd: dir, env: { SQLITE_DB_PATH: './plain.db' } });
    assert.equal(byPath.code, 0, byPath.stderr);
    assert.match(byPath.stderr, /\.\/plain\.db from SQLITE_DB_PATH in the environment/);
    const env = { LIBSQL_URL: 'file:turso-local.db', LIBSQL_AUTH_TOKEN: 'S3CRET-T0KEN' };
    const applied = await runCli(['apply', '--schema', 'v1.sql', '--auto-approve'], { cwd: dir, env });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stderr, /file:turso-local\.db\?authToken=\*\*\* from LIBSQL_URL in the environment/);
    const introspected = await runCli(['introspect'], { cwd: dir, env });
    assert.deepEqual(JSON.parse(introspected.stdout).tables.map((t: { name: string }) => t.name), ['users']);
    const status = await runCli(['status'], { cwd: dir, env });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^Target: turso-local\.db\nLast apply: #1 /);
    for (const r of [applied, introspected, status]) assert.doesNotMatch(r.stdout + r.stderr, /S3CRET/);
  } finally {
    cleanup();
  }
});
