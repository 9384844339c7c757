// Renames from explicit intent: `renamed_from` in schema JSON and the
// `-- lockplane: renamed from` annotation in SQL sources. On real databases:
// the plan holds only renames, the rows survive, a second plan is empty and
// the rollback renames everything back.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { connect, type PgSession } from '../../src/dialects/postgres/session.js';
import { buildPlan, rollbackPlan, stepStatements, type Plan } from '../../src/plan/index.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Schema } from '../../src/schema/types.js';
import { closeIdleScratch } from '../../src/shadow/scratch.js';
import { loadSource } from '../../src/shadow/sources.js';
import { runCli, tempProject } from '../e2e/cli.js';
import { serverTest, withPglite, withServerDatabase, withServerSession } from '../helpers/databases.js';
import { applyPlan } from './support.js';

after(closeIdleScratch);

const OLD = `
CREATE TABLE users (
  id serial PRIMARY KEY,
  email text NOT NULL,
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT email_present CHECK (email <> '')
);
CREATE INDEX users_email_lower ON users (lower(email));
CREATE TABLE posts (
  id integer PRIMARY KEY,
  author integer NOT NULL CONSTRAINT posts_author_fkey REFERENCES users (id),
  title text
);`;

const ROWS = `
INSERT INTO users (email) VALUES ('a@example.com'), ('b@example.com');
INSERT INTO posts VALUES (1, 2, 'hello');`;

/** OLD with every kind of object renamed, written as schema JSON. */
const DESIRED: Schema = {
  tables: [
    {
      name: 'people',
      renamed_from: 'users',
      columns: [
        { name: 'id', type: 'integer', nullable: false, default: "nextval('people_id_seq'::regclass)" },
        { name: 'mail', renamed_from: 'email', type: 'text', nullable: false },
      ],
      primary_key: { name: 'people_pkey', renamed_from: 'users_pkey', columns: ['id'] },
      unique_constraints: [{ name: 'people_mail_key', renamed_from: 'users_email_key', columns: ['mail'] }],
      check_constraints: [{ name: 'mail_present', renamed_from: 'email_present', expression: "mail <> ''" }],
      indexes: [{ name: 'people_mail_lower', renamed_from: 'users_email_lower', columns: [], unique: false, keys: [{ expression: 'lower(mail)' }] }],
    },
    {
      name: 'posts',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'person_id', renamed_from: 'author', type: 'integer', nullable: false },
        { name: 'title', type: 'text', nullable: true },
      ],
      primary_key: { columns: ['id'] },
      foreign_keys: [
        { name: 'posts_person_fkey', renamed_from: 'posts_author_fkey', columns: ['person_id'], referenced_table: 'people', referenced_columns: ['id'] },
      ],
    },
  ],
};

const RENAMES = [
  'ALTER TABLE "public"."users" RENAME TO "people"',
  'ALTER TABLE "public"."people" RENAME COLUMN "email" TO "mail"',
  'ALTER TABLE "public"."posts" RENAME COLUMN "author" TO "person_id"',
  'ALTER INDEX "public"."users_email_lower" RENAME TO "people_mail_lower"',
  'ALTER TABLE "public"."people" RENAME CONSTRAINT "users_pkey" TO "people_pkey"',
  'ALTER TABLE "public"."people" RENAME CONSTRAINT "users_email_key" TO "people_mail_key"',
  'ALTER TABLE "public"."people" RENAME CONSTRAINT "email_present" TO "mail_present"',
  'ALTER TABLE "public"."posts" RENAME CONSTRAINT "posts_author_fkey" TO "posts_person_fkey"',
  'ALTER SEQUENCE "public"."users_id_seq" RENAME TO "people_id_seq"',
];

function sorted(list: readonly string[]): string[] {
  return [...list].sort();
}

function planSql(plan: Plan): string[] {
  return plan.steps.flatMap(stepStatements);
}

async function desiredFromJson(model: Schema): Promise<Schema> {
  const { dir, cleanup } = tempProject({ 'schema.json': JSON.stringify(model) });
  try {
    return (await loadSource(join(dir, 'schema.json'), { cacheDir: null })).schema;
  } finally {
    cleanup();
  }
}

async function renameRoundTrip(session: PgSession): Promise<void> {
  await session.exec(OLD + ROWS);
  const before = await introspect(session);
  const desired = await desiredFromJson(DESIRED);
  const plan = buildPlan(before, desired);
  assert.deepEqual(sorted(planSql(plan)), sorted(RENAMES), 'the plan holds exactly the renames');
  assert.ok(planSql(plan).indexOf(RENAMES[0]!) < planSql(plan).indexOf(RENAMES[1]!), 'the table is renamed before its column');
  for (const step of plan.steps) assert.deepEqual(step.hazards, ['LP209'], step.description);

  await applyPlan(session, plan);
  assert.deepEqual(await session.query('SELECT id, mail FROM people ORDER BY id'), [
    { id: 1, mail: 'a@example.com' },
    { id: 2, mail: 'b@example.com' },
  ]);
  assert.deepEqual(await session.query('SELECT person_id, title FROM posts'), [{ person_id: 2, title: 'hello' }]);
  // The serial's sequence kept its position: the next row does not collide.
  assert.deepEqual(await session.query("INSERT INTO people (mail) VALUES ('c@example.com') RETURNING id"), [{ id: 3 }]);

  const reached = await introspect(session);
  assert.equal(schemaHash(reached), plan.target_hash, 'target_hash is the hash of what the database became');
  assert.deepEqual(buildPlan(reached, desired).steps, [], 'a second plan is empty');

  const back = rollbackPlan(plan, before);
  assert.deepEqual(sorted(planSql(back)), sorted(RENAMES.map(reverseRename)));
  await applyPlan(session, back);
  assert.equal(schemaHash(await introspect(session)), schemaHash(before), 'the rollback restores the old names');
  assert.deepEqual(await session.query('SELECT email FROM users ORDER BY id'), [
    { email: 'a@example.com' },
    { email: 'b@example.com' },
    { email: 'c@example.com' },
  ]);
}

/** `… RENAME TO b` and `… RENAME COLUMN|CONSTRAINT a TO b` with the names swapped (the table keeps its new name meanwhile). */
function reverseRename(sql: string): string {
  const m = /^(ALTER \w+ "public"\.)"([^"]+)"( RENAME (?:COLUMN |CONSTRAINT )?)(?:"([^"]+)" TO "([^"]+)"|TO "([^"]+)")$/.exec(sql);
  if (!m) throw new Error(`not a rename: ${sql}`);
  if (m[6] !== undefined) return `${m[1]}"${m[6]}"${m[3]}TO "${m[2]}"`;
  return `${m[1]}"${m[2]}"${m[3]}"${m[5]}" TO "${m[4]}"`;
}

test('renamed_from in schema JSON: only renames, rows kept, second plan empty, rollback renames back (PGlite)', { timeout: 120_000 }, async () => {
  await withPglite(renameRoundTrip);
});

serverTest('renamed_from in schema JSON: only renames, rows kept, second plan empty, rollback renames back (server)', async () => {
  await withServerSession(renameRoundTrip);
});

test('a rename combined with a type change is a rename, then an alter', { timeout: 120_000 }, async () => {
  await withPglite(async (session) => {
    await session.exec("CREATE TABLE t (n integer); INSERT INTO t VALUES (7);");
    const desired = await desiredFromJson({ tables: [{ name: 't', columns: [{ name: 'big', renamed_from: 'n', type: 'bigint', nullable: true }] }] });
    const plan = buildPlan(await introspect(session), desired);
    assert.deepEqual(planSql(plan), ['ALTER TABLE "public"."t" RENAME COLUMN "n" TO "big"', 'ALTER TABLE "public"."t" ALTER COLUMN "big" TYPE bigint USING "big"::bigint']);
    await applyPlan(session, plan);
    assert.deepEqual(await session.query('SELECT big::text AS big FROM t'), [{ big: '7' }]);
  });
});

test('renamed_from naming an object that is already gone is a no-op; both names existing is an error', { timeout: 120_000 }, async () => {
  await withPglite(async (session) => {
    await session.exec('CREATE TABLE people (id integer)');
    const desired = await desiredFromJson({ tables: [{ name: 'people', renamed_from: 'users', columns: [{ name: 'id', renamed_from: 'uid', type: 'integer', nullable: true }] }] });
    assert.deepEqual(buildPlan(await introspect(session), desired).steps, []);
    await session.exec('CREATE TABLE users (id integer)');
    const both = await introspect(session);
    assert.throws(() => buildPlan(both, desired), {
      name: 'InputError',
      message: 'table people: renamed_from "users", but both users and people exist in the database; drop one of them or remove renamed_from',
    });
  });
});

const ANNOTATED = `-- lockplane: renamed from users
CREATE TABLE people (
  id serial PRIMARY KEY,
  -- lockplane: renamed from email
  mail text NOT NULL,
  -- lockplane: renamed from users_email_key
  CONSTRAINT people_mail_key UNIQUE (mail)
);

-- lockplane: renamed from users_email_lower
CREATE INDEX people_mail_lower ON people (lower(mail));
`;

async function withRenamedDatabase(fn: (url: string) => Promise<void>): Promise<void> {
  await withServerDatabase(async (url) => {
    await withServerSessionAt(url, "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, CONSTRAINT users_email_key UNIQUE (email)); CREATE INDEX users_email_lower ON users (lower(email)); INSERT INTO users (email) VALUES ('a@example.com');");
    await fn(url);
  });
}

async function withServerSessionAt(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const session = await connect(url);
  try {
    return await session.query(sql);
  } finally {
    await session.close();
  }
}

serverTest('SQL annotations through the CLI: plan holds renames, apply keeps rows, second plan empty', async () => {
  await withRenamedDatabase(async (url) => {
    const { dir, cleanup } = tempProject({ 'schema/001_people.sql': ANNOTATED });
    try {
      const result = await runCli(['plan', '--from', url, '--to', 'schema', '--validate'], { cwd: dir });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /LP209/, 'each rename is reported as a warning');
      assert.match(result.stderr, /✓ All validations passed/);
      const plan = JSON.parse(result.stdout) as Plan;
      // The README's example, in its order.
      assert.deepEqual(planSql(plan), [
        'ALTER TABLE "public"."users" RENAME TO "people"',
        'ALTER TABLE "public"."people" RENAME COLUMN "email" TO "mail"',
        'ALTER TABLE "public"."people" RENAME CONSTRAINT "users_email_key" TO "people_mail_key"',
        'ALTER INDEX "public"."users_email_lower" RENAME TO "people_mail_lower"',
        'ALTER TABLE "public"."people" RENAME CONSTRAINT "users_pkey" TO "people_pkey"',
        'ALTER SEQUENCE "public"."users_id_seq" RENAME TO "people_id_seq"',
      ]);
      writeFileSync(join(dir, 'plan.json'), result.stdout);
      const applied = await runCli(['apply', 'plan.json', '--target', url, '--auto-approve'], { cwd: dir });
      assert.equal(applied.code, 0, applied.stderr);
      assert.deepEqual(await withServerSessionAt(url, 'SELECT id, mail FROM people'), [{ id: 1, mail: 'a@example.com' }]);
      const again = await runCli(['plan', '--from', url, '--to', 'schema'], { cwd: dir });
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual((JSON.parse(again.stdout) as Plan).steps, []);
    } finally {
      cleanup();
    }
  });
});

serverTest('SQL annotations: both names existing is exit 2 naming the object; an unknown old name is a no-op', async () => {
  await withRenamedDatabase(async (url) => {
    await withServerSessionAt(url, 'CREATE TABLE people (id integer)');
    const { dir, cleanup } = tempProject({ 'schema.sql': ANNOTATED, 'fresh.sql': '-- lockplane: renamed from nothing_here\nCREATE TABLE fresh (id integer);\n' });
    try {
      const both = await runCli(['plan', '--from', url, '--to', 'schema.sql'], { cwd: dir });
      assert.equal(both.code, 2, both.stderr);
      assert.match(both.stderr, /schema\.sql: table people: renamed_from "users", but both users and people exist in the database/);
      const none = await runCli(['plan', '--from', 'fresh.sql', '--to', 'fresh.sql'], { cwd: dir });
      assert.equal(none.code, 0, none.stderr);
      assert.deepEqual((JSON.parse(none.stdout) as Plan).steps, []);
    } finally {
      cleanup();
    }
  });
});

test('SQL annotations: a misplaced or malformed annotation is exit 2 at its line', { timeout: 120_000 }, async () => {
  const { dir, cleanup } = tempProject({
    'misplaced.sql': 'CREATE TABLE t (id integer);\n-- lockplane: renamed from old\n\nCOMMENT ON TABLE t IS $$x$$;\n',
    'malformed.sql': 'CREATE TABLE t (\n  -- lockplane: renamed from\n  id integer\n);\n',
  });
  try {
    const misplaced = await runCli(['plan', '--from', 'misplaced.sql', '--to', 'misplaced.sql'], { cwd: dir });
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /misplaced\.sql:2:1: a rename annotation must be on the line before CREATE TABLE, CREATE INDEX, a column or a CONSTRAINT line/);
    const malformed = await runCli(['plan', '--from', 'malformed.sql', '--to', 'malformed.sql'], { cwd: dir });
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /malformed\.sql:2:3: malformed annotation/);
  } finally {
    cleanup();
  }
});

test('a view over a renamed table and column: recreated around the renames, and back by the rollback', { timeout: 120_000 }, async () => {
  await withPglite(async (session) => {
    await session.exec("CREATE TABLE users (id integer, email text); CREATE VIEW contacts AS SELECT id, email FROM users; INSERT INTO users VALUES (1, 'a@example.com');");
    const { dir, cleanup } = tempProject({
      'schema.sql': '-- lockplane: renamed from users\nCREATE TABLE people (\n  id integer,\n  -- lockplane: renamed from email\n  mail text\n);\nCREATE VIEW contacts AS SELECT id, mail FROM people;\n',
    });
    try {
      const desired = (await loadSource(join(dir, 'schema.sql'), { cacheDir: null })).schema;
      const before = await introspect(session);
      const plan = buildPlan(before, desired);
      assert.deepEqual(plan.steps.map((s) => s.change?.kind), ['drop_view', 'rename_table', 'rename_column', 'create_view'], 'the view is dropped before the renames, so the rollback recreates it after renaming back');
      await applyPlan(session, plan);
      assert.deepEqual(await session.query('SELECT id, mail FROM contacts'), [{ id: 1, mail: 'a@example.com' }]);
      assert.deepEqual(buildPlan(await introspect(session), desired).steps, []);
      await applyPlan(session, rollbackPlan(plan, before));
      assert.equal(schemaHash(await introspect(session)), schemaHash(before));
      assert.deepEqual(await session.query('SELECT id, email FROM contacts'), [{ id: 1, email: 'a@example.com' }]);
    } finally {
      cleanup();
    }
  });
});

test('checks, generated columns, triggers and policies over a renamed table and column follow it: only renames', { timeout: 120_000 }, async () => {
  const body = (table: string, column: string, id: string): string => `
CREATE TABLE ${table} (
  ${id} integer PRIMARY KEY,
  ${column} text CHECK (${column} <> ''),
  twice integer GENERATED ALWAYS AS (${id} * 2) STORED
);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER touch_${table} BEFORE UPDATE OF ${column} ON ${table} FOR EACH ROW WHEN (NEW.${column} IS NOT NULL) EXECUTE FUNCTION touch();
ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON ${table} USING (${column} = current_user);`;
  await withPglite(async (session) => {
    await session.exec(`${body('users', 'email', 'id')}\nINSERT INTO users VALUES (4, 'a@example.com');`);
    const annotated = body('people', 'mail', '"Key"')
      .replace('CREATE TABLE people (', '-- lockplane: renamed from users\nCREATE TABLE people (')
      .replace('  "Key" integer', '  -- lockplane: renamed from id\n  "Key" integer')
      .replace('  mail text', '  -- lockplane: renamed from email\n  mail text');
    const { dir, cleanup } = tempProject({ 'schema.sql': annotated });
    try {
      const desired = (await loadSource(join(dir, 'schema.sql'), { cacheDir: null })).schema;
      const before = await introspect(session);
      const plan = buildPlan(before, desired);
      const renames = plan.steps.filter((s) => s.change?.kind.startsWith('rename_'));
      assert.deepEqual(sorted(renames.flatMap(stepStatements)), sorted([
        'ALTER TABLE "public"."users" RENAME TO "people"',
        'ALTER TABLE "public"."people" RENAME COLUMN "id" TO "Key"',
        'ALTER TABLE "public"."people" RENAME COLUMN "email" TO "mail"',
        'ALTER TABLE "public"."people" RENAME CONSTRAINT "users_pkey" TO "people_pkey"',
        'ALTER TABLE "public"."people" RENAME CONSTRAINT "users_email_check" TO "people_mail_check"',
      ]));
      // Triggers are not renamed (no intent for them): the differently named trigger is replaced, nothing else.
      assert.deepEqual(plan.steps.filter((s) => !renames.includes(s)).map((s) => s.change?.kind), ['drop_trigger', 'create_trigger']);
      await applyPlan(session, plan);
      assert.deepEqual(await session.query('SELECT "Key", mail, twice FROM people'), [{ Key: 4, mail: 'a@example.com', twice: 8 }]);
      assert.deepEqual(buildPlan(await introspect(session), desired).steps, []);
      await applyPlan(session, rollbackPlan(plan, before));
      assert.equal(schemaHash(await introspect(session)), schemaHash(before));
      assert.deepEqual(await session.query('SELECT id, email, twice FROM users'), [{ id: 4, email: 'a@example.com', twice: 8 }]);
    } finally {
      cleanup();
    }
  });
});

test('an index of a materialized view is renamed from an annotation', { timeout: 120_000 }, async () => {
  await withPglite(async (session) => {
    const view = 'CREATE TABLE t (n integer);\nCREATE MATERIALIZED VIEW totals AS SELECT sum(n) AS total FROM t;\n';
    await session.exec(`${view}CREATE INDEX totals_idx ON totals (total);`);
    const { dir, cleanup } = tempProject({ 'schema.sql': `${view}-- lockplane: renamed from totals_idx\nCREATE INDEX totals_total_idx ON totals (total);\n` });
    try {
      const desired = (await loadSource(join(dir, 'schema.sql'), { cacheDir: null })).schema;
      const plan = buildPlan(await introspect(session), desired);
      assert.deepEqual(planSql(plan), ['ALTER INDEX "public"."totals_idx" RENAME TO "totals_total_idx"']);
      await applyPlan(session, plan);
      assert.deepEqual(buildPlan(await introspect(session), desired).steps, []);
    } finally {
      cleanup();
    }
  });
});

test('renames in another namespace and of names that need quoting', { timeout: 120_000 }, async () => {
  await withPglite(async (session) => {
    await session.exec('CREATE SCHEMA app; CREATE TABLE app."Users" (id serial PRIMARY KEY, "E Mail" text); INSERT INTO app."Users" ("E Mail") VALUES (\'x\');');
    const sql = 'CREATE SCHEMA app;\n-- lockplane: renamed from "Users"\nCREATE TABLE app."User Accounts" (\n  id serial PRIMARY KEY,\n  -- lockplane: renamed from "E Mail"\n  email text\n);\n';
    const { dir, cleanup } = tempProject({ 'schema.sql': sql });
    try {
      const desired = (await loadSource(join(dir, 'schema.sql'), { cacheDir: null })).schema;
      const plan = buildPlan(await introspect(session), desired);
      assert.deepEqual(sorted(planSql(plan)), sorted([
        'ALTER TABLE "app"."Users" RENAME TO "User Accounts"',
        'ALTER TABLE "app"."User Accounts" RENAME COLUMN "E Mail" TO "email"',
        'ALTER TABLE "app"."User Accounts" RENAME CONSTRAINT "Users_pkey" TO "User Accounts_pkey"',
        'ALTER SEQUENCE "app"."Users_id_seq" RENAME TO "User Accounts_id_seq"',
      ]));
      await applyPlan(session, plan);
      assert.deepEqual(await session.query('SELECT id, email FROM app."User Accounts"'), [{ id: 1, email: 'x' }]);
      assert.deepEqual(buildPlan(await introspect(session), desired).steps, []);
    } finally {
      cleanup();
    }
  });
});
