// Keys, indexes, relations and schemas, named as Prisma names them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convert, table } from './prisma-helpers.js';
import { foreignKeyName, indexName, primaryKeyName, uniqueIndexName } from '../../src/convert/prisma/names.js';

test('@id, @unique, @@unique and @@index get Prisma names; map: overrides them', () => {
  const t = table(
    convert(`model User {
      id Int @id
      email String @unique
      handle String @unique(map: "user_handle_uq")
      first String
      last String
      created DateTime
      @@unique([first, last])
      @@index([last])
      @@index([created(sort: Desc)], map: "user_recent")
    }`),
    'User',
  );
  assert.deepEqual(t.primary_key, { name: 'User_pkey', columns: ['id'] });
  assert.deepEqual(t.indexes, [
    { name: 'User_email_key', columns: ['email'], unique: true },
    { name: 'user_handle_uq', columns: ['handle'], unique: true },
    { name: 'User_first_last_key', columns: ['first', 'last'], unique: true },
    { name: 'User_last_idx', columns: ['last'], unique: false },
    { name: 'user_recent', columns: ['created'], unique: false, keys: [{ column: 'created', order: 'DESC' }] },
  ]);
});

test('@@id is a composite primary key; names use the mapped table and column names', () => {
  const t = table(
    convert(`model Member {
      orgId Int @map("org_id")
      userId Int @map("user_id")
      @@id([orgId, userId])
      @@index(fields: [userId], type: Hash)
      @@map("members")
    }`),
    'members',
  );
  assert.deepEqual(t.primary_key, { name: 'members_pkey', columns: ['org_id', 'user_id'] });
  assert.deepEqual(t.indexes, [{ name: 'members_user_id_idx', columns: ['user_id'], unique: false, method: 'hash' }]);
});

test('index type and raw operator classes', () => {
  const t = table(
    convert(`model Doc {
      id Int @id
      body Json
      @@index([body(ops: raw("jsonb_path_ops"))], type: Gin, map: "doc_body")
    }`),
    'Doc',
  );
  assert.deepEqual(t.indexes, [{ name: 'doc_body', columns: ['body'], unique: false, method: 'gin', keys: [{ column: 'body', opclass: 'jsonb_path_ops' }] }]);
});

test('relations become foreign keys with Prisma defaults: Restrict (required) or SetNull (optional) on delete, Cascade on update', () => {
  const schema = convert(`model User {
    id Int @id
    posts Post[]
    edited Post[] @relation("editor")
  }
  model Post {
    id Int @id
    authorId Int
    editorId Int?
    author User @relation(fields: [authorId], references: [id])
    editor User? @relation("editor", fields: [editorId], references: [id], onDelete: Cascade, onUpdate: NoAction, map: "post_editor")
  }`);
  assert.deepEqual(table(schema, 'Post').foreign_keys, [
    { name: 'Post_authorId_fkey', columns: ['authorId'], referenced_table: 'User', referenced_columns: ['id'], on_delete: 'RESTRICT', on_update: 'CASCADE' },
    { name: 'post_editor', columns: ['editorId'], referenced_table: 'User', referenced_columns: ['id'], on_delete: 'CASCADE', on_update: 'NO ACTION' },
  ]);
  assert.equal(table(schema, 'User').foreign_keys, undefined);
});

test('optional relation defaults to SET NULL; composite foreign keys use mapped columns', () => {
  const schema = convert(`model Parent {
    a Int
    b Int
    kids Kid[]
    @@id([a, b])
  }
  model Kid {
    id Int @id
    pa Int? @map("parent_a")
    pb Int? @map("parent_b")
    parent Parent? @relation(fields: [pa, pb], references: [a, b])
  }`);
  assert.deepEqual(table(schema, 'Kid').foreign_keys, [
    { name: 'Kid_parent_a_parent_b_fkey', columns: ['parent_a', 'parent_b'], referenced_table: 'Parent', referenced_columns: ['a', 'b'], on_delete: 'SET NULL', on_update: 'CASCADE' },
  ]);
});

test('implicit many-to-many relations get Prisma\'s join table', () => {
  const schema = convert(`model Post {
    id Int @id @default(autoincrement())
    tags Tag[]
  }
  model Tag {
    id String @id @db.Uuid
    posts Post[]
  }`);
  assert.deepEqual(table(schema, '_PostToTag'), {
    schema: 'public',
    name: '_PostToTag',
    columns: [
      { name: 'A', type: 'integer', nullable: false },
      { name: 'B', type: 'uuid', nullable: false },
    ],
    primary_key: { name: '_PostToTag_AB_pkey', columns: ['A', 'B'] },
    indexes: [{ name: '_PostToTag_B_index', columns: ['B'], unique: false }],
    foreign_keys: [
      { name: '_PostToTag_A_fkey', columns: ['A'], referenced_table: 'Post', referenced_columns: ['id'], on_delete: 'CASCADE', on_update: 'CASCADE' },
      { name: '_PostToTag_B_fkey', columns: ['B'], referenced_table: 'Tag', referenced_columns: ['id'], on_delete: 'CASCADE', on_update: 'CASCADE' },
    ],
  });
});

test('relationMode = "prisma": no foreign keys in the database', () => {
  const schema = convert(`datasource db {
    provider = "postgresql"
    url = env("DATABASE_URL")
    relationMode = "prisma"
  }
  model A {
    id Int @id
    bs B[]
  }
  model B {
    id Int @id
    aId Int
    a A @relation(fields: [aId], references: [id])
  }`);
  assert.ok(schema.tables.every((t) => t.foreign_keys === undefined));
});

test('@@schema places tables and enums in the datasource\'s schemas; cross-schema foreign keys name theirs', () => {
  const schema = convert(`datasource db {
    provider = "postgresql"
    url = env("DATABASE_URL")
    schemas = ["public", "billing"]
    extensions = [citext, pgcrypto(schema: "public")]
  }
  enum State {
    OPEN
    @@schema("billing")
  }
  model User {
    id Int @id
    invoices Invoice[]
    @@schema("public")
  }
  model Invoice {
    id Int @id
    state State
    userId Int
    user User @relation(fields: [userId], references: [id])
    @@schema("billing")
  }`);
  assert.deepEqual(schema.schemas, [{ name: 'public' }, { name: 'billing' }]);
  assert.deepEqual(schema.extensions, [{ name: 'citext' }, { name: 'pgcrypto', schema: 'public' }]);
  assert.deepEqual(schema.types, [{ schema: 'billing', name: 'State', values: ['OPEN'] }]);
  const invoice = table(schema, 'Invoice');
  assert.equal(invoice.schema, 'billing');
  assert.equal(invoice.columns.find((c) => c.name === 'state')?.type, '"billing"."State"');
  assert.deepEqual(invoice.foreign_keys?.[0], {
    name: 'Invoice_userId_fkey',
    columns: ['userId'],
    referenced_schema: 'public',
    referenced_table: 'User',
    referenced_columns: ['id'],
    on_delete: 'RESTRICT',
    on_update: 'CASCADE',
  });
});

test('default names are truncated to 63 bytes the way Prisma truncates them', () => {
  const long = 'a'.repeat(70);
  assert.equal(primaryKeyName(long), `${'a'.repeat(58)}_pkey`);
  assert.equal(uniqueIndexName(long, ['x']), `${'a'.repeat(59)}_key`);
  assert.equal(indexName('t', ['b'.repeat(70)]), `t_${'b'.repeat(57)}_idx`);
  assert.equal(foreignKeyName('t', ['c'.repeat(70)]), `t_${'c'.repeat(56)}_fkey`);
  assert.equal(indexName('t', ['short']), 't_short_idx');
  for (const name of [primaryKeyName(long), uniqueIndexName(long, ['x']), foreignKeyName(long, ['y'])]) assert.equal(name.length, 63);
});
