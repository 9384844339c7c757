import { test } from 'node:test';
import assert from 'node:assert/strict';
import { introspect } from '../../../src/dialects/postgres/introspect.js';
import { buildPlan } from '../../../src/plan/index.js';
import { quoteIdent } from '../../../src/dialects/postgres/quote.js';
import type { PgSession } from '../../../src/dialects/postgres/session.js';
import type { Schema, Table } from '../../../src/schema/types.js';
import { serverTest, withPglite, withServerSession } from '../../helpers/databases.js';
import { COMMENTS_SQL, ENUMS_SQL, LONG_NAME, ODD_SCHEMA, PRELUDE_SQL, RICH_SCHEMA_SQL } from './introspect-fixture.js';

/** Registers the same test on PGlite and on the server. */
function onBoth(name: string, fn: (session: PgSession) => Promise<void>): void {
  test(`PGlite: ${name}`, () => withPglite(fn));
  serverTest(`server: ${name}`, () => withServerSession(fn));
}

function table(schema: Schema, namespace: string, name: string): Table {
  const found = schema.tables.find((t) => t.schema === namespace && t.name === name);
  assert.ok(found, `table ${namespace}.${name} not introspected`);
  return found;
}

function column(t: Table, name: string) {
  const found = t.columns.find((c) => c.name === name);
  assert.ok(found, `column ${name} not in ${t.name}`);
  return found;
}

async function richModel(session: PgSession): Promise<Schema> {
  await session.exec(PRELUDE_SQL);
  await session.exec(RICH_SCHEMA_SQL);
  return introspect(session);
}

function assertRichModel(schema: Schema): void {
  assert.equal(schema.dialect, 'postgres');
  assert.deepEqual(schema.schemas, [{ name: ODD_SCHEMA }, { name: 'app' }, { name: 'public' }, { name: 'ünïcødé' }]);
  assert.deepEqual(
    schema.tables.map((t) => `${t.schema}.${t.name}`),
    [`${ODD_SCHEMA}.select`, 'app.orders', 'app.users', 'public.plain', `ünïcødé.${LONG_NAME}`],
  );

  const users = table(schema, 'app', 'users');
  assert.deepEqual(
    users.columns.map((c) => [c.name, c.type]),
    [
      ['id', 'bigint'],
      ['email', 'character varying(255)'],
      ['name', 'text'],
      ['balance', 'numeric(10,2)'],
      ['tags', 'integer[]'],
      ['matrix', 'text[]'],
      ['profile', 'jsonb'],
      ['created_at', 'timestamp with time zone'],
      ['updated_at', 'timestamp(3) without time zone'],
      ['motto', 'text'],
      ['email_lower', 'text'],
      ['manager_id', 'bigint'],
      ['deleted_at', 'timestamp with time zone'],
    ],
  );
  assert.deepEqual(column(users, 'id'), {
    name: 'id',
    type: 'bigint',
    nullable: false,
    is_primary_key: true,
    identity: { generation: 'ALWAYS', start: '100', increment: '5', max_value: '1000000', cache: '10', cycle: true },
  });
  assert.deepEqual(column(users, 'name'), { name: 'name', type: 'text', nullable: true, is_primary_key: false, collation: 'C' });
  assert.equal(column(users, 'balance').default, '0');
  assert.equal(column(users, 'balance').nullable, false);
  assert.equal(column(users, 'created_at').default, 'now()');
  assert.equal(column(users, 'motto').default, "'it''s fine'::text");
  assert.equal(column(users, 'profile').default, "'{}'::jsonb");
  assert.deepEqual(column(users, 'email_lower'), {
    name: 'email_lower',
    type: 'text',
    nullable: true,
    is_primary_key: false,
    generated: { expression: 'lower((email)::text)' },
  });
  assert.deepEqual(users.primary_key, { name: 'users_pkey', columns: ['id'] });
  assert.deepEqual(users.unique_constraints, [
    { name: 'users_email_key', columns: ['email'], nulls_not_distinct: true },
    { name: 'users_name_motto_key', columns: ['name', 'motto'], deferrable: true, initially_deferred: true },
  ]);
  assert.deepEqual(users.check_constraints, [{ name: 'users_balance_check', expression: '(balance >= (0)::numeric)' }]);
  assert.deepEqual(users.foreign_keys, [
    {
      name: 'users_manager_id_fkey',
      columns: ['manager_id'],
      referenced_schema: 'app',
      referenced_table: 'users',
      referenced_columns: ['id'],
      on_delete: 'SET NULL',
    },
  ]);
  assert.deepEqual(users.indexes, [
    { name: 'users_active_email_idx', columns: ['email'], unique: true, where: '(deleted_at IS NULL)' },
    {
      name: 'users_created_desc_idx',
      columns: ['created_at', 'id'],
      unique: false,
      keys: [{ column: 'created_at', order: 'DESC', nulls: 'LAST' }, { column: 'id' }],
    },
    { name: 'users_email_lower_idx', columns: [], unique: false, keys: [{ expression: 'lower(email::text)' }] },
    {
      name: 'users_email_pattern_idx',
      columns: ['email'],
      unique: false,
      keys: [{ column: 'email', opclass: 'varchar_pattern_ops' }],
    },
    { name: 'users_motto_collate_idx', columns: ['motto'], unique: false, keys: [{ column: 'motto', collation: 'POSIX' }] },
    {
      name: 'users_name_include_idx',
      columns: ['name'],
      unique: false,
      include: ['email', 'balance'],
      with: ['fillfactor=90'],
    },
    { name: 'users_profile_gin_idx', columns: ['profile'], unique: false, method: 'gin' },
    { name: 'users_tags_gin_idx', columns: ['tags'], unique: false, method: 'gin' },
  ]);

  const orders = table(schema, 'app', 'orders');
  assert.deepEqual(orders.primary_key, { name: 'orders_pkey', columns: ['order_no', 'tenant_id'] });
  assert.deepEqual(
    orders.columns.filter((c) => c.is_primary_key).map((c) => c.name),
    ['tenant_id', 'order_no'],
  );
  assert.equal(column(orders, 'order_no').default, "nextval('app.orders_order_no_seq'::regclass)");
  assert.deepEqual(column(orders, 'small_id').identity, { generation: 'BY DEFAULT' });
  assert.equal(column(orders, 'small_id').default, undefined);
  assert.deepEqual(orders.check_constraints, [{ name: 'orders_total_check', expression: '(total > (0)::numeric)' }]);
  assert.deepEqual(orders.foreign_keys, [
    {
      name: 'orders_user_fk',
      columns: ['user_id'],
      referenced_schema: 'app',
      referenced_table: 'users',
      referenced_columns: ['id'],
      on_delete: 'CASCADE',
      on_update: 'RESTRICT',
      deferrable: true,
      initially_deferred: true,
    },
  ]);
  assert.equal(orders.indexes, undefined, 'constraint-backing indexes are not listed as indexes');

  const select = table(schema, ODD_SCHEMA, 'select');
  assert.deepEqual(
    select.columns.map((c) => c.name),
    ['Group', 'order no', 'from', 'ключ'],
  );
  assert.deepEqual(select.primary_key, { name: 'select_pkey', columns: ['Group', 'order no'] });
  assert.deepEqual(select.check_constraints, [
    { name: 'from not empty', expression: `("from" <> ''::text)`, no_inherit: true },
  ]);
  assert.deepEqual(select.foreign_keys, [
    {
      name: 'select orders fk',
      columns: ['order no', 'Group'],
      referenced_schema: 'app',
      referenced_table: 'orders',
      referenced_columns: ['order_no', 'tenant_id'],
      on_delete: 'SET DEFAULT',
      on_update: 'CASCADE',
      match: 'FULL',
    },
  ]);

  const long = table(schema, 'ünïcødé', LONG_NAME);
  assert.equal(Buffer.byteLength(long.name), 63);
  assert.deepEqual(long.foreign_keys, [
    {
      name: 'self_fk',
      columns: ['parent'],
      referenced_schema: 'ünïcødé',
      referenced_table: LONG_NAME,
      referenced_columns: ['ídentifïer'],
    },
  ]);

  const plain = table(schema, 'public', 'plain');
  assert.deepEqual(plain.columns, [
    { name: 'id', type: 'integer', nullable: false, is_primary_key: false },
    { name: 'note', type: 'character varying', nullable: true, is_primary_key: false, collation: '"public"."my coll"' },
  ]);
  assert.deepEqual(plain.indexes, [
    { name: 'plain_id_ops_idx', columns: ['id'], unique: false, keys: [{ column: 'id', opclass: 'public.int4_plain_ops' }] },
    {
      name: 'plain_note_idx',
      columns: ['note'],
      unique: false,
      keys: [
        { column: 'note', collation: 'POSIX' },
        { expression: `(note::text || 'x'::text)`, collation: '"public"."my coll"' },
      ],
    },
  ]);
}

onBoth('reads the rich schema into the exact IR', async (session) => {
  assertRichModel(await richModel(session));
});

serverTest('PGlite and the server give deep-equal models of the same schema', async () => {
  const fromPglite = await withPglite(richModel);
  const fromServer = await withServerSession(richModel);
  assertRichModel(fromServer);
  assert.deepEqual(fromPglite, fromServer);
});

onBoth('output does not depend on the caller search_path, which is reset afterwards', async (session) => {
  await session.exec(PRELUDE_SQL);
  await session.exec(RICH_SCHEMA_SQL);
  const plain = await introspect(session);
  const [before] = await session.query<{ search_path: string }>('SHOW search_path');
  await session.exec(`SET search_path = app, "ünïcødé", public`);
  const withPath = await introspect(session);
  assert.deepEqual(withPath, plain);
  const [after] = await session.query<{ search_path: string }>('SHOW search_path');
  assert.deepEqual(after, before);
});

onBoth('skips system, Lockplane, extension-owned and temp objects; reads partitions', async (session) => {
  await session.exec(`
    CREATE TABLE public.kept (id integer PRIMARY KEY);
    CREATE TABLE public.owned_by_ext (a integer);
    ALTER EXTENSION plpgsql ADD TABLE public.owned_by_ext;
    CREATE SCHEMA ext_schema;
    CREATE TABLE ext_schema.t (a integer);
    ALTER EXTENSION plpgsql ADD SCHEMA ext_schema;
    CREATE SCHEMA lockplane;
    CREATE TABLE lockplane.ledger (id integer);
    CREATE TEMP TABLE scratch (a integer);
    CREATE TABLE public.measurements (id integer, at date NOT NULL) PARTITION BY RANGE (at);
    CREATE TABLE public.measurements_2024 PARTITION OF public.measurements
      FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE public.refs (m integer);
  `);
  const schema = await introspect(session);
  assert.deepEqual(schema.schemas, [{ name: 'public' }]);
  assert.deepEqual(
    schema.tables.map((t) => t.name),
    ['kept', 'measurements', 'measurements_2024', 'refs'],
  );
  assert.equal(table(schema, 'public', 'measurements').partition_by, 'RANGE (at)');
  assert.deepEqual(table(schema, 'public', 'measurements_2024').partition_of, {
    schema: 'public',
    table: 'measurements',
    bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
  });
  assert.deepEqual(table(schema, 'public', 'measurements').columns, [
    { name: 'id', type: 'integer', nullable: true, is_primary_key: false },
    { name: 'at', type: 'date', nullable: false, is_primary_key: false },
  ]);
});

onBoth('options.schemas restricts to the given namespaces', async (session) => {
  await session.exec(PRELUDE_SQL);
  await session.exec(RICH_SCHEMA_SQL);
  const schema = await introspect(session, { schemas: ['app', ODD_SCHEMA, 'does_not_exist'] });
  assert.deepEqual(schema.schemas, [{ name: ODD_SCHEMA }, { name: 'app' }]);
  assert.deepEqual(
    schema.tables.map((t) => t.name),
    ['select', 'orders', 'users'],
  );
  const none = await introspect(session, { schemas: [] });
  assert.deepEqual(none, { dialect: 'postgres', schemas: [], tables: [] });
});

onBoth('identity options: defaults omitted per type and direction', async (session) => {
  await session.exec(`
    CREATE TABLE seqs (
      a smallint GENERATED ALWAYS AS IDENTITY (MAXVALUE 32767 MINVALUE 1 START 1 CACHE 1 NO CYCLE),
      b integer GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY -1),
      c integer GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY -2 MINVALUE -50 MAXVALUE -10),
      d bigint GENERATED ALWAYS AS IDENTITY (MINVALUE 5),
      e bigint GENERATED ALWAYS AS IDENTITY (START 7 MAXVALUE 9223372036854775806)
    );
  `);
  const t = table(await introspect(session), 'public', 'seqs');
  assert.deepEqual(
    t.columns.map((c) => c.identity),
    [
      { generation: 'ALWAYS' },
      { generation: 'BY DEFAULT', increment: '-1' },
      { generation: 'BY DEFAULT', increment: '-2', min_value: '-50', max_value: '-10' },
      { generation: 'ALWAYS', min_value: '5' },
      { generation: 'ALWAYS', start: '7', max_value: '9223372036854775806' },
    ],
  );
});

onBoth('check constraints: NOT VALID and inherited copies', async (session) => {
  await session.exec(`
    CREATE TABLE parent (id integer, CONSTRAINT parent_id_check CHECK (id > 0));
    CREATE TABLE child (extra text) INHERITS (parent);
    ALTER TABLE child ADD CONSTRAINT child_extra_check CHECK (extra IS NOT NULL AND extra <> 'x') NOT VALID;
    CREATE TABLE odd (v integer, CONSTRAINT "odd"")check" CHECK ((v > 0) AND (v < 10)) NO INHERIT);
    ALTER TABLE odd ADD CONSTRAINT both_flags CHECK (v <> 5) NO INHERIT NOT VALID;
  `);
  const schema = await introspect(session);
  assert.deepEqual(table(schema, 'public', 'child').check_constraints, [
    { name: 'child_extra_check', expression: "((extra IS NOT NULL) AND (extra <> 'x'::text))", not_valid: true },
  ]);
  assert.deepEqual(table(schema, 'public', 'odd').check_constraints, [
    { name: 'both_flags', expression: '(v <> 5)', no_inherit: true, not_valid: true },
    { name: 'odd")check', expression: '((v > 0) AND (v < 10))', no_inherit: true },
  ]);
});

onBoth('expression index keys round-trip through CREATE INDEX', async (session) => {
  await session.exec(`
    CREATE TABLE e (a integer, b integer, c text, n text COLLATE "C");
    CREATE INDEX e_sum ON e ((a + b));
    CREATE INDEX e_multi ON e ((c || 'x'), (a::text) DESC, b);
    CREATE INDEX e_coll ON e ((lower(c)) COLLATE "POSIX" text_pattern_ops);
    CREATE INDEX e_fn ON e (lower(n), (a * 2 + 1) NULLS FIRST);
  `);
  const first = table(await introspect(session), 'public', 'e').indexes ?? [];
  assert.deepEqual(first, [
    { name: 'e_coll', columns: [], unique: false, keys: [{ expression: 'lower(c)', collation: 'POSIX', opclass: 'text_pattern_ops' }] },
    { name: 'e_fn', columns: [], unique: false, keys: [{ expression: 'lower(n)', collation: 'C' }, { expression: '(a * 2 + 1)', nulls: 'FIRST' }] },
    {
      name: 'e_multi',
      columns: ['b'],
      unique: false,
      keys: [{ expression: "(c || 'x'::text)" }, { expression: '(a::text)', order: 'DESC' }, { column: 'b' }],
    },
    { name: 'e_sum', columns: [], unique: false, keys: [{ expression: '(a + b)' }] },
  ]);
  // Re-create each index from its IR keys on a copy of the table: same IR.
  await session.exec('CREATE TABLE e2 (a integer, b integer, c text, n text COLLATE "C")');
  for (const index of first) {
    const keys = (index.keys ?? []).map((k) =>
      [
        k.column !== undefined ? quoteIdent(k.column) : `(${k.expression ?? ''})`,
        k.collation ? `COLLATE ${quoteIdent(k.collation)}` : '',
        k.opclass ?? '',
        k.order ?? '',
        k.nulls ? `NULLS ${k.nulls}` : '',
      ].join(' '),
    );
    await session.exec(`CREATE INDEX ${quoteIdent(`${index.name}_2`)} ON e2 (${keys.join(', ')})`);
  }
  const second = table(await introspect(session), 'public', 'e2').indexes ?? [];
  assert.deepEqual(
    second,
    first.map((i) => ({ ...i, name: `${i.name}_2` })),
  );
});

test('PGlite (Postgres 18): virtual generated columns and NOT NULL constraints', async () => {
  await withPglite(async (session) => {
    await session.exec(`
      CREATE TABLE v (
        id integer NOT NULL,
        doubled integer GENERATED ALWAYS AS (id * 2) VIRTUAL,
        stored integer GENERATED ALWAYS AS (id * 3) STORED
      );
    `);
    const t = table(await introspect(session), 'public', 'v');
    assert.deepEqual(t.columns, [
      { name: 'id', type: 'integer', nullable: false, is_primary_key: false },
      { name: 'doubled', type: 'integer', nullable: true, is_primary_key: false, generated: { expression: '(id * 2)', kind: 'virtual' } },
      { name: 'stored', type: 'integer', nullable: true, is_primary_key: false, generated: { expression: '(id * 3)' } },
    ]);
    assert.equal(t.check_constraints, undefined, 'PG18 contype n rows are not check constraints');
  });
});

/** Counts round trips on a real session. */
function counting(session: PgSession): { session: PgSession; count: () => number } {
  let n = 0;
  const wrapped: PgSession = {
    kind: session.kind,
    description: session.description,
    query: (sql, params) => {
      n++;
      return session.query(sql, params);
    },
    exec: (sql) => {
      n++;
      return session.exec(sql);
    },
    close: () => session.close(),
  };
  return { session: wrapped, count: () => n };
}

onBoth('a fixed number of round trips whatever the schema size', async (session) => {
  await session.exec('CREATE TABLE only_one (id integer PRIMARY KEY)');
  const small = counting(session);
  await introspect(small.session);
  const ddl: string[] = [];
  for (let i = 0; i < 60; i++) {
    ddl.push(`CREATE SCHEMA s${i}; CREATE TABLE s${i}.t (id integer PRIMARY KEY, v text UNIQUE, w integer REFERENCES only_one (id) CHECK (w > 0));`);
    ddl.push(`CREATE INDEX ON s${i}.t (lower(v));`);
  }
  await session.exec(ddl.join('\n'));
  const large = counting(session);
  const schema = await introspect(large.session);
  assert.equal(schema.tables.length, 61);
  assert.equal(large.count(), small.count());
  // 21: one per object kind (range types are the 21st).
  assert.ok(small.count() <= 21, `expected at most 21 round trips, got ${small.count()}`);
});

async function commentedModel(session: PgSession): Promise<Schema> {
  await session.exec(PRELUDE_SQL);
  await session.exec(RICH_SCHEMA_SQL + COMMENTS_SQL);
  return introspect(session);
}

onBoth('reads comments on schemas, tables, columns, indexes and constraints', async (session) => {
  const schema = await commentedModel(session);
  assert.deepEqual(schema.schemas, [
    { name: ODD_SCHEMA, comment: "it's odd" },
    { name: 'app', comment: 'application data' },
    { name: 'public', comment: 'not the default' },
    { name: 'ünïcødé' },
  ]);
  const users = table(schema, 'app', 'users');
  assert.equal(users.comment, 'people\nwho sign in \\ (backslash)');
  assert.equal(column(users, 'email').comment, 'contact – ünïcødé');
  assert.equal(column(users, 'name').comment, undefined);
  assert.equal(users.indexes?.find((i) => i.name === 'users_email_lower_idx')?.comment, 'case-insensitive lookups');
  assert.equal(users.indexes?.find((i) => i.name === 'users_tags_gin_idx')?.comment, undefined);
  assert.equal(users.primary_key?.comment, 'pk');
  assert.equal(users.unique_constraints?.find((u) => u.name === 'users_email_key')?.comment, 'unique email');
  assert.equal(users.check_constraints?.[0]?.comment, 'never negative');
  assert.equal(table(schema, 'app', 'orders').foreign_keys?.[0]?.comment, 'owner');
  const select = table(schema, ODD_SCHEMA, 'select');
  assert.equal(column(select, 'order no').comment, 'quoted "column"');
  assert.equal(select.foreign_keys?.[0]?.comment, 'fk with spaces');
});

onBoth("public's default comment is not part of the model", async (session) => {
  await session.exec(`COMMENT ON SCHEMA public IS 'standard public schema'`);
  const schema = await introspect(session);
  assert.deepEqual(schema.schemas?.find((s) => s.name === 'public'), { name: 'public' });
});

serverTest('PGlite and the server read the same comments', async () => {
  assert.deepEqual(await withPglite(commentedModel), await withServerSession(commentedModel));
});

async function enumModel(session: PgSession): Promise<Schema> {
  await session.exec(PRELUDE_SQL);
  await session.exec(RICH_SCHEMA_SQL + ENUMS_SQL);
  return introspect(session);
}

onBoth('reads enum types with labels in sort order, and columns by their catalog spelling', async (session) => {
  const schema = await enumModel(session);
  assert.deepEqual(schema.types, [
    { schema: ODD_SCHEMA, name: 'Odd Type', values: ['Ünï', 'a b'] },
    { schema: 'app', name: 'mood', values: ['happy', 'ok', 'sad', "it's complicated"], comment: 'how it feels' },
    { schema: 'public', name: 'nothing', values: [] },
  ]);
  const feelings = table(schema, 'app', 'feelings');
  assert.deepEqual(
    feelings.columns.map((c) => [c.name, c.type, c.default]),
    [
      ['id', 'integer', undefined],
      ['mood', 'app.mood', "'happy'::app.mood"],
      ['history', 'app.mood[]', undefined],
      ['odd', '"My ""Odd"" Schema"."Odd Type"', undefined],
    ],
  );
});

serverTest('PGlite and the server read the same enum types', async () => {
  assert.deepEqual(await withPglite(enumModel), await withServerSession(enumModel));
});

serverTest('server: an index left INVALID by a failed concurrent build is read as invalid, and a plan rebuilds it', async () => {
  await withServerSession(async (session) => {
    await session.exec(`CREATE TABLE public.dup (v integer); INSERT INTO public.dup VALUES (1), (1);`);
    await assert.rejects(session.exec('CREATE UNIQUE INDEX CONCURRENTLY dup_v ON public.dup (v)'));
    const before = await introspect(session);
    const index = table(before, 'public', 'dup').indexes?.[0];
    assert.equal(index?.name, 'dup_v');
    assert.equal(index?.invalid, true);
    const desired = structuredClone(before);
    delete table(desired, 'public', 'dup').indexes![0]!.invalid;
    const online = buildPlan(before, desired).steps.map((s) => s.description);
    assert.deepEqual(online, ['Create index lp_new_dup_v concurrently', 'Drop index dup_v concurrently', 'Rename index lp_new_dup_v to dup_v']);
    const plain = buildPlan(before, desired, { online: false }).steps.map((s) => s.description);
    assert.deepEqual(plain, ['Drop index dup_v', 'Create index dup_v']);
  });
});
