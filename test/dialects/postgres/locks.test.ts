// The lock analyzer, table-driven: statement → the lock, effect and risk per
// table, for each ALTER TABLE subcommand class and each other statement kind,
// including the differences between server versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSql } from '../../../src/dialects/postgres/locks-analyze.js';
import { RelationState } from '../../../src/dialects/postgres/locks-state.js';
import type { Schema } from '../../../src/schema/types.js';

const FROM: Schema = {
  tables: [
    {
      name: 'users',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'email', type: 'character varying(50)', nullable: true },
        { name: 'bio', type: 'text', nullable: true },
        { name: 'balance', type: 'numeric(10,2)', nullable: true },
        { name: 'seen_at', type: 'timestamp(3) without time zone', nullable: true },
        { name: 'tags', type: 'character varying(10)[]', nullable: true },
        { name: 'nick', type: 'text', nullable: true },
      ],
      primary_key: { name: 'users_pkey', columns: ['id'] },
      indexes: [
        { name: 'users_email_idx', columns: ['email'], unique: false },
        { name: 'users_id_key', columns: ['id'], unique: true },
        { name: 'users_nick_key', columns: ['nick'], unique: true },
      ],
      check_constraints: [{ name: 'users_nick_nn', expression: '(nick IS NOT NULL)' }],
    },
    {
      schema: 'app',
      name: 'posts',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'user_id', type: 'integer', nullable: true },
        { name: 'score', type: 'public.positive', nullable: true },
      ],
      foreign_keys: [{ name: 'posts_user_fk', columns: ['user_id'], referenced_schema: 'public', referenced_table: 'users', referenced_columns: ['id'] }],
    },
    { name: 'events', columns: [{ name: 'k', type: 'integer', nullable: true }], partition_by: 'RANGE (k)' },
    { name: 'events_old', columns: [{ name: 'k', type: 'integer', nullable: true }] },
  ],
  views: [{ name: 'active_users', definition: 'SELECT id FROM public.users', materialized: true }],
  functions: [
    { name: 'stamp', signature: '', definition: 'CREATE OR REPLACE FUNCTION public.stamp()\n RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$ select 1 $function$' },
    { name: 'ticket', signature: '', definition: 'CREATE OR REPLACE FUNCTION public.ticket()\n RETURNS integer\n LANGUAGE sql\nAS $function$ select 1 $function$' },
  ],
  domains: [
    { name: 'positive', type: 'integer' },
    { name: 'percent', type: 'integer', checks: [{ name: 'percent_check', definition: 'CHECK (VALUE <= 100)' }] },
  ],
};

const U = 'public.users';
type Case = [sql: string, expected: string[], version?: number];

/** `table MODE effect [risk]` per lock, in order. */
const CASES: Case[] = [
  // ADD COLUMN: a default is stored in the catalog since PG11, unless it is volatile.
  ['ALTER TABLE users ADD COLUMN a integer', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ADD COLUMN a integer DEFAULT 0', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ADD COLUMN a integer DEFAULT 0', [`${U} ACCESS EXCLUSIVE rewrite rewrite`], 100000],
  ['ALTER TABLE users ADD COLUMN a integer DEFAULT NULL', [`${U} ACCESS EXCLUSIVE catalog`], 100000],
  ['ALTER TABLE users ADD COLUMN a timestamptz DEFAULT now()', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ADD COLUMN a timestamptz DEFAULT clock_timestamp()', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ADD COLUMN a uuid DEFAULT gen_random_uuid()', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ADD COLUMN a integer DEFAULT public.ticket()', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ADD COLUMN a integer DEFAULT public.stamp()', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ADD COLUMN a serial', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ADD COLUMN a integer GENERATED ALWAYS AS IDENTITY', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ADD COLUMN a integer GENERATED ALWAYS AS (id * 2) STORED', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ADD COLUMN a integer NOT NULL', [`${U} ACCESS EXCLUSIVE scan`]],
  ['ALTER TABLE users ADD COLUMN a integer UNIQUE', [`${U} ACCESS EXCLUSIVE catalog`, `${U} ACCESS EXCLUSIVE scan index_build`]],
  ['ALTER TABLE users ADD COLUMN a integer CHECK (a > 0)', [`${U} ACCESS EXCLUSIVE catalog`, `${U} ACCESS EXCLUSIVE scan scan`]],
  // A new column is NULL everywhere: its foreign key holds without a check, unless it has a default.
  ['ALTER TABLE users ADD COLUMN a integer REFERENCES app.posts (id)', [`${U} ACCESS EXCLUSIVE catalog`, `${U} SHARE ROW EXCLUSIVE catalog`, 'app.posts SHARE ROW EXCLUSIVE catalog']],
  ['ALTER TABLE users ADD COLUMN a integer DEFAULT 1 REFERENCES app.posts (id)', [`${U} ACCESS EXCLUSIVE catalog`, `${U} SHARE ROW EXCLUSIVE scan scan`, 'app.posts SHARE ROW EXCLUSIVE scan scan']],
  // A domain with constraints is checked row by row: a rewrite; one without is not.
  ['ALTER TABLE users ADD COLUMN a public.percent', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ADD COLUMN a percent', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ADD COLUMN a positive', [`${U} ACCESS EXCLUSIVE catalog`]],
  // DROP COLUMN, defaults, NOT NULL.
  ['ALTER TABLE users DROP COLUMN bio', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN bio SET DEFAULT \'x\'', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN bio DROP DEFAULT', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN bio DROP NOT NULL', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN bio SET NOT NULL', [`${U} ACCESS EXCLUSIVE scan scan`]],
  // A valid CHECK (nick IS NOT NULL) lets PG12+ skip the scan.
  ['ALTER TABLE users ALTER COLUMN nick SET NOT NULL', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN nick SET NOT NULL', [`${U} ACCESS EXCLUSIVE scan scan`], 110000],
  // ALTER COLUMN TYPE: binary-coercible changes keep the file.
  ['ALTER TABLE users ALTER COLUMN email TYPE varchar(100)', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN email TYPE character varying(100) USING email::character varying(100)', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN email TYPE varchar', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN email TYPE text', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN email TYPE varchar(20)', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ALTER COLUMN email TYPE varchar(100) USING lower(email)', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ALTER COLUMN bio TYPE varchar', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN bio TYPE varchar(10)', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ALTER COLUMN balance TYPE numeric(12,2)', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN balance TYPE numeric', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN balance TYPE numeric(12,3)', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ALTER COLUMN seen_at TYPE timestamp(6)', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ALTER COLUMN seen_at TYPE timestamp(0)', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ALTER COLUMN seen_at TYPE timestamptz', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ALTER COLUMN id TYPE bigint', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ALTER COLUMN tags TYPE varchar(20)[]', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ALTER COLUMN missing TYPE text', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  // Constraints.
  ['ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0)', [`${U} ACCESS EXCLUSIVE scan scan`]],
  ['ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0) NOT VALID', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users VALIDATE CONSTRAINT c', [`${U} SHARE UPDATE EXCLUSIVE scan`]],
  [
    'ALTER TABLE app.posts ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES public.users (id)',
    ['app.posts SHARE ROW EXCLUSIVE scan scan', `${U} SHARE ROW EXCLUSIVE scan scan`],
  ],
  [
    'ALTER TABLE app.posts ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES public.users (id) NOT VALID',
    ['app.posts SHARE ROW EXCLUSIVE catalog', `${U} SHARE ROW EXCLUSIVE catalog`],
  ],
  ['ALTER TABLE app.posts VALIDATE CONSTRAINT posts_user_fk', ['app.posts SHARE UPDATE EXCLUSIVE scan', `${U} ROW SHARE scan`]],
  ['ALTER TABLE app.posts DROP CONSTRAINT posts_user_fk', ['app.posts ACCESS EXCLUSIVE catalog', `${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users DROP CONSTRAINT users_nick_nn', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ADD CONSTRAINT u UNIQUE (email)', [`${U} ACCESS EXCLUSIVE scan index_build`]],
  ['ALTER TABLE users ADD CONSTRAINT u UNIQUE USING INDEX users_email_idx', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ADD PRIMARY KEY (id)', [`${U} ACCESS EXCLUSIVE scan index_build`]],
  // A primary key over an index sets its columns NOT NULL: a scan unless they are, or a valid CHECK proves them (PG12+).
  ['ALTER TABLE users ADD CONSTRAINT pk PRIMARY KEY USING INDEX users_email_idx', [`${U} ACCESS EXCLUSIVE scan scan`]],
  ['ALTER TABLE users ADD CONSTRAINT pk PRIMARY KEY USING INDEX users_id_key', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ADD CONSTRAINT pk PRIMARY KEY USING INDEX users_nick_key', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ADD CONSTRAINT pk PRIMARY KEY USING INDEX users_nick_key', [`${U} ACCESS EXCLUSIVE scan scan`], 110000],
  ['ALTER TABLE users ALTER COLUMN id SET NOT NULL', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ADD CONSTRAINT x EXCLUDE USING gist (id WITH =)', [`${U} ACCESS EXCLUSIVE scan index_build`]],
  // Other subcommands.
  ['ALTER TABLE users ENABLE ROW LEVEL SECURITY', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users FORCE ROW LEVEL SECURITY', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users DISABLE TRIGGER t', [`${U} SHARE ROW EXCLUSIVE catalog`]],
  ['ALTER TABLE users SET UNLOGGED', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users SET LOGGED', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users SET TABLESPACE pg_default', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['ALTER TABLE users ALTER COLUMN id SET STATISTICS 500', [`${U} SHARE UPDATE EXCLUSIVE catalog`]],
  ['ALTER TABLE users SET (fillfactor = 70, autovacuum_enabled = false)', [`${U} SHARE UPDATE EXCLUSIVE catalog`]],
  ['ALTER TABLE users SET (user_catalog_table = true)', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users REPLICA IDENTITY FULL', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users OWNER TO someone', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users ADD COLUMN a int, ALTER COLUMN id TYPE bigint', [`${U} ACCESS EXCLUSIVE catalog`, `${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  // Partitions: ATTACH takes SHARE UPDATE EXCLUSIVE on the parent since PG12; DETACH CONCURRENTLY exists since PG14.
  ['ALTER TABLE events ATTACH PARTITION events_old FOR VALUES FROM (0) TO (10)', ['public.events SHARE UPDATE EXCLUSIVE catalog', 'public.events_old ACCESS EXCLUSIVE scan scan']],
  ['ALTER TABLE events ATTACH PARTITION events_old FOR VALUES FROM (0) TO (10)', ['public.events ACCESS EXCLUSIVE catalog', 'public.events_old ACCESS EXCLUSIVE scan scan'], 110000],
  ['ALTER TABLE events DETACH PARTITION events_old', ['public.events ACCESS EXCLUSIVE catalog', 'public.events_old ACCESS EXCLUSIVE catalog']],
  ['ALTER TABLE events DETACH PARTITION events_old CONCURRENTLY', ['public.events SHARE UPDATE EXCLUSIVE catalog', 'public.events_old SHARE UPDATE EXCLUSIVE catalog']],
  ['ALTER TABLE events DETACH PARTITION events_old CONCURRENTLY', ['public.events ACCESS EXCLUSIVE unknown unknown'], 130000],
  // Indexes.
  ['CREATE INDEX i ON users (bio)', [`${U} SHARE scan index_build`]],
  ['CREATE UNIQUE INDEX CONCURRENTLY i ON users (bio)', [`${U} SHARE UPDATE EXCLUSIVE scan`]],
  ['DROP INDEX public.users_email_idx', [`${U} ACCESS EXCLUSIVE catalog index_drop`]],
  ['REINDEX INDEX public.users_email_idx', [`${U} SHARE scan index_build`]],
  ['REINDEX TABLE CONCURRENTLY users', [`${U} SHARE UPDATE EXCLUSIVE scan`]],
  ['DROP INDEX CONCURRENTLY public.users_email_idx', [`${U} SHARE UPDATE EXCLUSIVE catalog`]],
  ['ALTER INDEX public.users_email_idx RENAME TO e', ['public.users_email_idx SHARE UPDATE EXCLUSIVE catalog']],
  ['ALTER INDEX public.users_email_idx RENAME TO e', ['public.users_email_idx ACCESS EXCLUSIVE catalog'], 110000],
  // Tables, views, triggers, policies, comments, grants, renames.
  ['CREATE TABLE t (id int REFERENCES users (id))', ['public.t ACCESS EXCLUSIVE catalog', `${U} SHARE ROW EXCLUSIVE catalog`]],
  ['CREATE TABLE events_9 PARTITION OF events FOR VALUES FROM (90) TO (99)', ['public.events_9 ACCESS EXCLUSIVE catalog', 'public.events ACCESS EXCLUSIVE catalog']],
  ['CREATE TABLE child (x int) INHERITS (events_old)', ['public.child ACCESS EXCLUSIVE catalog', 'public.events_old SHARE UPDATE EXCLUSIVE catalog']],
  ['DROP TABLE app.posts', ['app.posts ACCESS EXCLUSIVE catalog', `${U} ACCESS EXCLUSIVE catalog`]],
  ['TRUNCATE users', [`${U} ACCESS EXCLUSIVE rewrite rewrite`]],
  ['CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f()', [`${U} SHARE ROW EXCLUSIVE catalog`]],
  ['DROP TRIGGER t ON users', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['CREATE POLICY p ON users USING (true)', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER POLICY p ON users USING (false)', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['DROP POLICY p ON users', [`${U} ACCESS EXCLUSIVE catalog`]],
  ["COMMENT ON TABLE users IS 'x'", [`${U} SHARE UPDATE EXCLUSIVE catalog`]],
  ["COMMENT ON COLUMN app.posts.user_id IS 'x'", ['app.posts SHARE UPDATE EXCLUSIVE catalog']],
  ["COMMENT ON CONSTRAINT users_nick_nn ON users IS 'x'", [`${U} SHARE UPDATE EXCLUSIVE catalog`]],
  ['GRANT SELECT ON users TO public', []],
  ['REVOKE ALL ON users FROM public', []],
  ['ALTER TABLE users RENAME TO people', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users RENAME COLUMN bio TO about', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['ALTER TABLE users RENAME CONSTRAINT users_pkey TO pk', [`${U} ACCESS EXCLUSIVE catalog`]],
  ['CREATE VIEW v AS SELECT id FROM users', ['public.v ACCESS EXCLUSIVE catalog', `${U} ACCESS SHARE catalog`]],
  ['CREATE OR REPLACE VIEW active_users AS SELECT id FROM users', ['public.active_users ACCESS EXCLUSIVE catalog', `${U} ACCESS SHARE catalog`]],
  ['CREATE MATERIALIZED VIEW mv AS SELECT id FROM users', ['public.mv ACCESS EXCLUSIVE write', `${U} ACCESS SHARE scan`]],
  ['REFRESH MATERIALIZED VIEW active_users', ['public.active_users ACCESS EXCLUSIVE rewrite rewrite']],
  ['REFRESH MATERIALIZED VIEW CONCURRENTLY active_users', ['public.active_users EXCLUSIVE write']],
  ['DROP MATERIALIZED VIEW active_users', ['public.active_users ACCESS EXCLUSIVE catalog']],
  ['ALTER DOMAIN positive ADD CONSTRAINT p CHECK (VALUE > 0)', ['app.posts SHARE scan scan']],
  ['ALTER DOMAIN positive ADD CONSTRAINT p CHECK (VALUE > 0) NOT VALID', []],
  // Statements that lock no table.
  ['CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ select 1 $$', []],
  ["CREATE TYPE mood AS ENUM ('a')", []],
  ["ALTER TYPE mood ADD VALUE 'b'", []],
  ['CREATE SCHEMA s', []],
  ['CREATE EXTENSION IF NOT EXISTS pgcrypto', []],
  ['CREATE SEQUENCE s1', []],
  ['SET lock_timeout = 1000', []],
  // DML and explicit locks.
  ['UPDATE users SET bio = NULL WHERE id BETWEEN 1 AND 1000', [`${U} ROW EXCLUSIVE write`]],
  ['LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE', [`${U} SHARE ROW EXCLUSIVE catalog`]],
  // Unknown: assumed ACCESS EXCLUSIVE on whatever it touches.
  ['DO $$ BEGIN PERFORM 1; END $$', ['* ACCESS EXCLUSIVE unknown unknown']],
  ['CLUSTER users USING users_pkey', ['* ACCESS EXCLUSIVE unknown unknown']],
  ['this is not sql', ['* ACCESS EXCLUSIVE unknown unknown']],
];

const show = (l: { table: string; mode: string; effect: string; risk?: string }): string => `${l.table} ${l.mode} ${l.effect}${l.risk ? ` ${l.risk}` : ''}`;

test('each statement class takes the documented lock, on the right tables, with the right effect', async () => {
  const wrong: string[] = [];
  for (const [sql, expected, version = 150000] of CASES) {
    const actual = (await analyzeSql(sql, { state: new RelationState(FROM), version })).map(show);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${sql} (v${version})\n  expected ${JSON.stringify(expected)}\n  got      ${JSON.stringify(actual)}`);
  }
  assert.deepEqual(wrong, []);
});

test('facts follow the statements before them: new columns, validated checks, created tables, renamed indexes', async () => {
  const ctx = { state: new RelationState(FROM), version: 150000 };
  const run = async (sql: string): Promise<string[]> => (await analyzeSql(sql, ctx)).map(show);
  // A column added earlier has a known type: widening it is binary coercible.
  await run('ALTER TABLE users ADD COLUMN code varchar(5)');
  assert.deepEqual(await run('ALTER TABLE users ALTER COLUMN code TYPE varchar(9)'), [`${U} ACCESS EXCLUSIVE catalog`]);
  // CHECK (col IS NOT NULL) NOT VALID, VALIDATE, then SET NOT NULL without a scan.
  await run('ALTER TABLE users ADD CONSTRAINT bio_nn CHECK (bio IS NOT NULL) NOT VALID');
  assert.deepEqual(await run('ALTER TABLE users ALTER COLUMN bio SET NOT NULL'), [`${U} ACCESS EXCLUSIVE scan scan`]);
  await run('ALTER TABLE users VALIDATE CONSTRAINT bio_nn');
  assert.deepEqual(await run('ALTER TABLE users ALTER COLUMN bio SET NOT NULL'), [`${U} ACCESS EXCLUSIVE catalog`]);
  // A foreign key added NOT VALID earlier: VALIDATE reads the referenced table too.
  await run('ALTER TABLE app.posts ADD CONSTRAINT p2 FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID');
  assert.deepEqual(await run('ALTER TABLE app.posts VALIDATE CONSTRAINT p2'), ['app.posts SHARE UPDATE EXCLUSIVE scan', `${U} ROW SHARE scan`]);
  // A table created earlier: its FOREIGN KEY has nothing to validate; the state knows it is new.
  await run('CREATE TABLE fresh (id int, user_id int)');
  assert.equal(ctx.state.isNew('public.fresh'), true);
  assert.deepEqual(await run('ALTER TABLE fresh ADD CONSTRAINT ff FOREIGN KEY (user_id) REFERENCES users (id)'), [
    'public.fresh SHARE ROW EXCLUSIVE catalog',
    `${U} SHARE ROW EXCLUSIVE catalog`,
  ]);
  // An index built earlier knows its columns; SET NOT NULL earlier spares the primary key its scan.
  await run('CREATE UNIQUE INDEX CONCURRENTLY users_bio_key ON users (bio)');
  assert.deepEqual(await run('ALTER TABLE users ADD CONSTRAINT pk PRIMARY KEY USING INDEX users_bio_key'), [`${U} ACCESS EXCLUSIVE catalog`]);
  // An index renamed earlier is still found under its new name.
  await run('ALTER INDEX public.users_email_idx RENAME TO users_mail_idx');
  assert.deepEqual(await run('DROP INDEX public.users_mail_idx'), [`${U} ACCESS EXCLUSIVE catalog index_drop`]);
});
