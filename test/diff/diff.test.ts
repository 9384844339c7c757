// The differ: pure, deterministic, qualified names, complete (applying the
// changes to A gives B) and exactly invertible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges, diffSchemas, invertChange } from '../../src/diff/index.js';
import type { Change } from '../../src/diff/changes.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Schema, Table } from '../../src/schema/types.js';

const int = (name: string, nullable = false) => ({ name, type: 'integer', nullable });
const text = (name: string, nullable = true) => ({ name, type: 'text', nullable });

function users(extra: Partial<Table> = {}): Table {
  return { name: 'users', columns: [int('id'), text('email')], primary_key: { name: 'users_pkey', columns: ['id'] }, ...extra };
}

function posts(extra: Partial<Table> = {}): Table {
  return {
    name: 'posts',
    columns: [int('id'), int('user_id', true), text('title')],
    primary_key: { name: 'posts_pkey', columns: ['id'] },
    indexes: [{ name: 'posts_user_idx', columns: ['user_id'], unique: false }],
    foreign_keys: [
      { name: 'posts_user_fk', columns: ['user_id'], referenced_table: 'users', referenced_columns: ['id'] },
    ],
    ...extra,
  };
}

const kinds = (changes: Change[]): string[] => changes.map((c) => c.kind);

function assertComplete(a: Schema, b: Schema): void {
  const changes = diffSchemas(a, b);
  assert.equal(schemaHash(applyChanges(a, changes)), schemaHash(b), 'applying the diff to A gives B');
  const inverse = [...changes].reverse().map(invertChange);
  assert.equal(schemaHash(applyChanges(b, inverse)), schemaHash(a), 'applying the inverse to B gives A');
}

test('identical schemas have no changes; column order is ignored', () => {
  const a: Schema = { tables: [users()] };
  const b: Schema = { tables: [{ ...users(), columns: [text('email'), int('id')] }] };
  assert.deepEqual(diffSchemas(a, a), []);
  assert.deepEqual(diffSchemas(a, b), []);
});

test('deterministic: same inputs in any order give the same changes', () => {
  const a: Schema = { tables: [users()] };
  const b: Schema = { tables: [users({ columns: [int('id'), text('email'), int('age', true)] }), posts()] };
  const b2: Schema = { tables: [posts(), b.tables[0]!] };
  assert.deepEqual(diffSchemas(a, b), diffSchemas(a, b2));
  assert.deepEqual(JSON.stringify(diffSchemas(a, b)), JSON.stringify(diffSchemas(a, b)));
});

test('tables are matched by qualified name, never by bare name', () => {
  const a: Schema = { tables: [users()] };
  const b: Schema = { tables: [users({ schema: 'other' })], schemas: [{ name: 'public' }] };
  const changes = diffSchemas(a, b);
  assert.deepEqual(kinds(changes), ['create_schema', 'drop_table', 'create_table']);
  assertComplete(a, b);
});

test('create_table carries no indexes or foreign keys; they are separate changes', () => {
  const changes = diffSchemas({ tables: [users()] }, { tables: [users(), posts()] });
  assert.deepEqual(kinds(changes), ['create_table', 'create_index', 'add_foreign_key']);
  const create = changes[0] as Extract<Change, { kind: 'create_table' }>;
  assert.equal(create.table.indexes, undefined);
  assert.equal(create.table.foreign_keys, undefined);
  assertComplete({ tables: [users()] }, { tables: [users(), posts()] });
});

test('drop_table is preceded by drops of its own foreign keys and indexes', () => {
  const changes = diffSchemas({ tables: [users(), posts()] }, { tables: [users()] });
  assert.deepEqual(kinds(changes), ['drop_foreign_key', 'drop_index', 'drop_table']);
  assertComplete({ tables: [users(), posts()] }, { tables: [users()] });
});

test('columns: add, drop, alter; a generation change recreates the column', () => {
  const a: Schema = { tables: [users({ columns: [int('id'), text('email'), int('n', true), int('g', true)] })] };
  const b: Schema = {
    tables: [
      users({
        columns: [
          int('id'),
          { name: 'email', type: 'character varying(100)', nullable: false, default: "''::character varying" },
          { name: 'g', type: 'integer', nullable: true, generated: { expression: '1' } },
          text('new'),
        ],
      }),
    ],
  };
  const changes = diffSchemas(a, b);
  assert.deepEqual(kinds(changes).sort(), ['add_column', 'add_column', 'alter_column', 'drop_column', 'drop_column'].sort());
  assertComplete(a, b);
});

test('a changed definition is a drop plus an add', () => {
  const a: Schema = { tables: [users({ check_constraints: [{ name: 'c', expression: '(id > 0)' }] })] };
  const b: Schema = { tables: [users({ check_constraints: [{ name: 'c', expression: '(id > 1)' }] })] };
  assert.deepEqual(kinds(diffSchemas(a, b)), ['drop_check', 'add_check']);
  assertComplete(a, b);
});

test('changing a primary key that a foreign key references re-adds the foreign key', () => {
  const a: Schema = { tables: [users(), posts()] };
  const b: Schema = { tables: [users({ primary_key: { name: 'users_pk', columns: ['id'] } }), posts()] };
  const changes = diffSchemas(a, b);
  assert.deepEqual(kinds(changes).sort(), ['add_foreign_key', 'add_primary_key', 'drop_foreign_key', 'drop_primary_key']);
  assertComplete(a, b);
});

test('a type change of a referenced column re-adds the foreign key', () => {
  const a: Schema = { tables: [users(), posts()] };
  const b: Schema = {
    tables: [
      users({ columns: [{ name: 'id', type: 'bigint', nullable: false }, text('email')] }),
      posts({ columns: [int('id'), { name: 'user_id', type: 'bigint', nullable: true }, text('title')] }),
    ],
  };
  const changes = diffSchemas(a, b);
  assert.deepEqual(kinds(changes).sort(), ['add_foreign_key', 'alter_column', 'alter_column', 'drop_foreign_key']);
  assertComplete(a, b);
});

test('namespaces are created and dropped, public never', () => {
  const a: Schema = { tables: [users({ schema: 'old' })] };
  const b: Schema = { tables: [users({ schema: 'new' })], schemas: [{ name: 'public' }] };
  const changes = diffSchemas(a, b);
  assert.ok(changes.some((c) => c.kind === 'create_schema' && c.schema === 'new'));
  assert.ok(changes.some((c) => c.kind === 'drop_schema' && c.schema === 'old'));
  assert.ok(!changes.some((c) => (c.kind === 'create_schema' || c.kind === 'drop_schema') && c.schema === 'public'));
});

test('every change inverts exactly', () => {
  for (const change of diffSchemas({ tables: [users()] }, { tables: [posts({ schema: 's' })] })) {
    assert.deepEqual(invertChange(invertChange(change)), change);
  }
});

test('comments: a change is set_comment (not a recreate), inverted by swapping from and to', () => {
  const a: Schema = {
    schemas: [{ name: 'public' }],
    tables: [users({ comment: 'people', indexes: [{ name: 'users_email_idx', columns: ['email'], unique: false }] })],
  };
  const b: Schema = {
    schemas: [{ name: 'public', comment: 'main' }],
    tables: [
      users({
        columns: [int('id'), { ...text('email'), comment: "it's the email" }],
        primary_key: { name: 'users_pkey', columns: ['id'], comment: 'pk' },
        indexes: [{ name: 'users_email_idx', columns: ['email'], unique: false, comment: 'lookup' }],
      }),
    ],
  };
  const changes = diffSchemas(a, b);
  assert.deepEqual(kinds(changes), ['set_comment', 'set_comment', 'set_comment', 'set_comment', 'set_comment']);
  const email = changes.find((c) => c.kind === 'set_comment' && c.target.kind === 'column');
  const target = { kind: 'column', table: { schema: 'public', name: 'users' }, column: 'email' };
  assert.deepEqual(email, { kind: 'set_comment', target, to: "it's the email" });
  assert.deepEqual(invertChange(email!), { kind: 'set_comment', target, from: "it's the email" });
  assertComplete(a, b);
  assertComplete(b, a);
});

test('comments: a created object brings its comment; no separate set_comment', () => {
  const a: Schema = { tables: [] };
  const b: Schema = { schemas: [{ name: 'app', comment: 'application' }], tables: [users({ schema: 'app', comment: 'people' })] };
  const changes = diffSchemas(a, b);
  assert.deepEqual(kinds(changes), ['create_schema', 'create_table']);
  assert.deepEqual(changes[0], { kind: 'create_schema', schema: 'app', comment: 'application' });
  assertComplete(a, b);
  assertComplete(b, a);
});

test('enums: create, drop, add labels, recreate — complete and exactly invertible', () => {
  const t = (type: string, def?: string): Table => ({
    name: 't',
    columns: [int('id'), { name: 'm', type, nullable: true, ...(def ? { default: def } : {}) }],
  });
  const a: Schema = { types: [{ name: 'mood', values: ['a', 'b'] }, { name: 'old', values: [] }], tables: [t('public.mood', "'b'::public.mood")] };
  const added: Schema = { types: [{ name: 'mood', values: ['a', 'x', 'b'] }, { name: 'new', values: ['n'] }], tables: [t('public.mood', "'b'::public.mood")] };
  assert.deepEqual(kinds(diffSchemas(a, added)).sort(), ['add_enum_values', 'create_enum', 'drop_enum']);
  assertComplete(a, added);
  const removed: Schema = { types: [{ name: 'mood', values: ['b', 'c'] }], tables: [t('public.mood', "'c'::public.mood")] };
  const changes = diffSchemas(a, removed);
  assert.deepEqual(kinds(changes), ['drop_enum', 'recreate_enum']);
  const recreate = changes[1]!;
  assert.ok(recreate.kind === 'recreate_enum');
  assert.deepEqual(recreate.columns, [
    { table: { schema: 'public', name: 't' }, column: 'm', type: 'public.mood', from_default: "'b'::public.mood", to_default: "'c'::public.mood" },
  ]);
  assertComplete(a, removed);
  assertComplete(removed, a);
  // Undoing an addition is a recreate (Postgres cannot drop a label).
  const add = diffSchemas(a, added).find((c) => c.kind === 'add_enum_values')!;
  assert.equal(invertChange(add).kind, 'recreate_enum');
});
