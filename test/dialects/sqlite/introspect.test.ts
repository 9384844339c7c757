// Introspection of each SQLite feature into the Schema IR (dialect "sqlite").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSqliteDdl, sqliteSchemaHash } from '../../../src/dialects/sqlite/index.js';
import type { Table } from '../../../src/schema/types.js';
import { introspected } from './support.js';

const table = (tables: Table[], name: string): Table => {
  const t = tables.find((x) => x.name === name);
  assert.ok(t, `table ${name}`);
  return t;
};

test('columns: declared type, NOT NULL, defaults, collation, generated', async (t) => {
  const s = await introspected(t, [
    `CREATE TABLE t (a INTEGER NOT NULL, b varchar(20) COLLATE NOCASE DEFAULT 'x', c REAL DEFAULT (1+2), d TEXT DEFAULT CURRENT_TIMESTAMP, e INT DEFAULT -1,
       f TEXT GENERATED ALWAYS AS (b || '!') STORED, g TEXT AS (lower(b)), h)`,
  ]);
  assert.equal(s.dialect, 'sqlite');
  const cols = table(s.tables, 't').columns;
  assert.deepEqual(cols.map((c) => c.name), ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  assert.deepEqual(cols[0], { name: 'a', type: 'INTEGER', nullable: false });
  assert.deepEqual(cols[1], { name: 'b', type: 'varchar(20)', nullable: true, default: "'x'", collation: 'NOCASE' });
  assert.equal(cols[2]!.default, '1 + 2');
  assert.equal(cols[3]!.default, 'CURRENT_TIMESTAMP');
  assert.equal(cols[4]!.default, '-1');
  assert.deepEqual(cols[5]!.generated, { expression: "b || '!'", kind: 'stored' });
  assert.deepEqual(cols[6]!.generated, { expression: 'lower(b)', kind: 'virtual' });
  assert.equal(cols[7]!.type, '');
});

test('tables: STRICT, WITHOUT ROWID, primary keys with AUTOINCREMENT and names', async (t) => {
  const s = await introspected(t, [
    'CREATE TABLE s (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT) STRICT',
    'CREATE TABLE w (k TEXT, j INT, CONSTRAINT w_pk PRIMARY KEY (j, k)) WITHOUT ROWID',
    'CREATE TABLE p (id INTEGER PRIMARY KEY, v TEXT)',
  ]);
  const strict = table(s.tables, 's');
  assert.equal(strict.strict, true);
  assert.deepEqual(strict.primary_key, { columns: ['id'], autoincrement: true });
  const w = table(s.tables, 'w');
  assert.equal(w.without_rowid, true);
  assert.deepEqual(w.primary_key, { columns: ['j', 'k'], name: 'w_pk' });
  assert.deepEqual(table(s.tables, 'p').primary_key, { columns: ['id'] });
  assert.equal(table(s.tables, 'p').strict, undefined);
  assert.ok(!s.tables.some((x) => x.name.startsWith('sqlite_')), 'sqlite_sequence is internal');
});

test('unique and check constraints, named and unnamed', async (t) => {
  const s = await introspected(t, [
    'CREATE TABLE u (a INT UNIQUE, b INT CHECK (b>0), c INT, d INT, CONSTRAINT cd_key UNIQUE (c, d), CONSTRAINT c_pos CHECK (c >= 0 AND  d >= 0))',
  ]);
  const u = table(s.tables, 'u');
  assert.deepEqual(u.unique_constraints, [{ name: 'cd_key', columns: ['c', 'd'] }, { name: 'u_a_key', columns: ['a'] }]);
  assert.deepEqual(u.check_constraints, [{ name: 'c_pos', expression: 'c >= 0 AND d >= 0' }, { name: 'u_b_check', expression: 'b > 0' }]);
});

test('foreign keys with actions, deferrable, implicit referenced key', async (t) => {
  const s = await introspected(t, [
    'CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE)',
    `CREATE TABLE child (id INT, pid INT REFERENCES parent ON DELETE CASCADE ON UPDATE SET NULL, code TEXT,
       CONSTRAINT child_code_fk FOREIGN KEY (code) REFERENCES parent (code) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED)`,
  ]);
  assert.deepEqual(table(s.tables, 'child').foreign_keys, [
    { name: 'child_code_fk', columns: ['code'], referenced_table: 'parent', referenced_columns: ['code'], on_delete: 'RESTRICT', deferrable: true, initially_deferred: true },
    { name: 'child_pid_fkey', columns: ['pid'], referenced_table: 'parent', referenced_columns: ['id'], on_delete: 'CASCADE', on_update: 'SET NULL' },
  ]);
});

test('indexes: unique, partial, expression, collation and order', async (t) => {
  const s = await introspected(t, [
    'CREATE TABLE t (a TEXT, b INT)',
    'CREATE UNIQUE INDEX t_a ON t (a)',
    'CREATE INDEX t_expr ON t (lower(a), b DESC) WHERE b IS NOT NULL',
    'CREATE INDEX t_coll ON t (a COLLATE NOCASE)',
  ]);
  assert.deepEqual(table(s.tables, 't').indexes, [
    { name: 't_a', columns: ['a'], unique: true },
    { name: 't_coll', columns: ['a'], unique: false, keys: [{ collation: 'NOCASE', column: 'a' }] },
    { name: 't_expr', columns: ['b'], unique: false, keys: [{ expression: 'lower(a)' }, { order: 'DESC', column: 'b' }], where: 'b IS NOT NULL' },
  ]);
});

test('views and triggers (on tables and views)', async (t) => {
  const s = await introspected(t, [
    'CREATE TABLE t (a INT)',
    'CREATE VIEW v AS SELECT a FROM t  WHERE a > 1',
    'CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN SELECT 1; END',
    'CREATE TRIGGER v_ins INSTEAD OF INSERT ON v BEGIN INSERT INTO t VALUES (new.a); END',
  ]);
  assert.deepEqual(s.views?.map((v) => [v.name, v.definition]), [['v', 'SELECT a FROM t WHERE a > 1']]);
  assert.deepEqual(table(s.tables, 't').triggers?.map((x) => x.name), ['t_ins']);
  assert.deepEqual(s.views?.[0]?.triggers?.map((x) => x.name), ['v_ins']);
});

test('the rendered DDL reads back to the same schema (round trip)', async (t) => {
  const statements = [
    'CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE COLLATE NOCASE) STRICT',
    "CREATE TABLE child (k TEXT PRIMARY KEY, pid INT REFERENCES parent(id) ON DELETE CASCADE, n INT DEFAULT 0 CHECK (n >= 0), g INT AS (n * 2)) WITHOUT ROWID",
    'CREATE INDEX child_n ON child (n) WHERE n > 0',
    'CREATE VIEW pv AS SELECT code FROM parent',
    'CREATE TRIGGER tr AFTER DELETE ON parent BEGIN DELETE FROM child WHERE pid = old.id; END',
  ];
  const s = await introspected(t, statements);
  const again = await introspected(t, renderSqliteDdl(s));
  assert.deepEqual(again, s);
  assert.equal(sqliteSchemaHash(again), sqliteSchemaHash(s));
});

test('Lockplane internal tables are not introspected', async (t) => {
  const s = await introspected(t, ['CREATE TABLE _lockplane_applies (id INT)', 'CREATE TABLE real_one (id INT)']);
  assert.deepEqual(s.tables.map((x) => x.name), ['real_one']);
});

test('virtual tables and their shadow tables are left out; a trigger on `users` belongs to table "uSERs"', async (t) => {
  const s = await introspected(t, [
    'CREATE TABLE "uSERs" (id INTEGER PRIMARY KEY, name TEXT)',
    'CREATE VIRTUAL TABLE users_fts USING fts5(name)',
    'CREATE TRIGGER t AFTER INSERT ON users BEGIN SELECT 1; END',
  ]);
  assert.deepEqual(s.tables.map((x) => [x.name, x.triggers?.map((tr) => tr.name)]), [['uSERs', ['t']]]);
});
