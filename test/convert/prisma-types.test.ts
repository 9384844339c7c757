// Scalar types, native types, lists, optionality and defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convert, table } from './prisma-helpers.js';

const columns = (models: string, name = 'T') => Object.fromEntries(table(convert(models), name).columns.map((c) => [c.name, c]));

test('scalar types map to the Postgres types Prisma Migrate uses', () => {
  const c = columns(`model T {
    id Int @id
    s String
    b Boolean
    big BigInt
    f Float
    d Decimal
    dt DateTime
    j Json
    bytes Bytes
  }`);
  assert.deepEqual(
    Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.type])),
    {
      id: 'integer',
      s: 'text',
      b: 'boolean',
      big: 'bigint',
      f: 'double precision',
      d: 'numeric(65,30)',
      dt: 'timestamp(3) without time zone',
      j: 'jsonb',
      bytes: 'bytea',
    },
  );
  assert.ok(Object.values(c).every((col) => col.nullable === false));
});

test('optional fields are nullable; lists are arrays, nullable as Prisma creates them', () => {
  const c = columns(`model T {
    id Int @id
    note String?
    tags String[]
    scores Float[]
  }`);
  assert.equal(c.note!.nullable, true);
  assert.deepEqual([c.tags!.type, c.tags!.nullable], ['text[]', true]);
  assert.equal(c.scores!.type, 'double precision[]');
});

test('@db.* native types', () => {
  const c = columns(`model T {
    id Int @id @db.SmallInt
    a String @db.VarChar(255)
    a2 String @db.VarChar
    b String @db.Text
    c String @db.Uuid
    d String @db.Char(3)
    e DateTime @db.Timestamptz(6)
    e2 DateTime @db.Timestamptz
    f DateTime @db.Timestamp(0)
    g DateTime @db.Date
    h DateTime @db.Time(3)
    i Decimal @db.Decimal(10, 2)
    j Int @db.Integer
    k BigInt @db.BigInt
    l Float @db.DoublePrecision
    m Float @db.Real
    n Json @db.Json
    o Json @db.JsonB
    p String @db.Inet
    q String @db.Citext
    r Bytes @db.ByteA
    s Decimal @db.Money
    t String[] @db.VarChar(20)
  }`);
  assert.deepEqual(
    Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.type])),
    {
      id: 'smallint',
      a: 'character varying(255)',
      a2: 'character varying',
      b: 'text',
      c: 'uuid',
      d: 'character(3)',
      e: 'timestamp(6) with time zone',
      e2: 'timestamp with time zone',
      f: 'timestamp(0) without time zone',
      g: 'date',
      h: 'time(3) without time zone',
      i: 'numeric(10,2)',
      j: 'integer',
      k: 'bigint',
      l: 'double precision',
      m: 'real',
      n: 'json',
      o: 'jsonb',
      p: 'inet',
      q: 'citext',
      r: 'bytea',
      s: 'money',
      t: 'character varying(20)[]',
    },
  );
});

test('autoincrement() is serial, bigserial or smallserial, as Prisma Migrate writes it', () => {
  const c = columns(`model T {
    id Int @id @default(autoincrement())
    b BigInt @default(autoincrement())
    s Int @default(autoincrement()) @db.SmallInt
  }`);
  assert.deepEqual([c.id!.type, c.b!.type, c.s!.type], ['serial', 'bigserial', 'smallserial']);
  assert.equal(c.id!.default, undefined);
});

test('defaults: now(), literals, enums, lists, dbgenerated; uuid() and cuid() have none in the database', () => {
  const c = columns(`enum Role {
    USER
    ADMIN @map("admin")
  }
  model T {
    id String @id @default(uuid())
    c String @default(cuid())
    created DateTime @default(now())
    updated DateTime @updatedAt
    s String @default("it's \\"quoted\\"")
    i Int @default(-3)
    f Float @default(1.5)
    d Decimal @default(0)
    b Boolean @default(true)
    j Json @default("{\\"a\\": 1}")
    bytes Bytes @default("AQID")
    role Role @default(ADMIN)
    roles Role[] @default([USER, ADMIN])
    tags String[] @default([])
    g String @default(dbgenerated("gen_random_uuid()")) @db.Uuid
    unknown String @default(dbgenerated())
  }`);
  const defaults = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v.default]));
  assert.deepEqual(defaults, {
    id: undefined,
    c: undefined,
    created: 'CURRENT_TIMESTAMP',
    updated: undefined,
    s: `'it''s "quoted"'`,
    i: '-3',
    f: '1.5',
    d: '0',
    b: 'true',
    j: `'{"a": 1}'`,
    bytes: `E'\\\\x010203'`,
    role: `'admin'`,
    roles: `ARRAY['USER', 'admin']::"public"."Role"[]`,
    tags: 'ARRAY[]::text[]',
    g: 'gen_random_uuid()',
    unknown: undefined,
  });
});

test('enums: @map on values, @@map on the type; fields use the mapped type', () => {
  const schema = convert(`enum Status {
    ACTIVE @map("active")
    GONE
    @@map("status")
  }
  model T {
    id Int @id
    s Status
    all Status[]
  }`);
  assert.deepEqual(schema.types, [{ schema: 'public', name: 'status', values: ['active', 'GONE'] }]);
  const c = Object.fromEntries(table(schema, 'T').columns.map((col) => [col.name, col.type]));
  assert.deepEqual(c, { id: 'integer', s: '"public"."status"', all: '"public"."status"[]' });
});

test('@map and @@map name columns and tables; Unsupported("…") fields keep their type', () => {
  const schema = convert(`model Account {
    id Int @id @map("account_id")
    place Unsupported("point")?
    @@map("accounts")
  }`);
  const accounts = table(schema, 'accounts');
  assert.deepEqual(accounts.columns.map((c) => [c.name, c.type, c.nullable]), [
    ['account_id', 'integer', false],
    ['place', 'point', true],
  ]);
  assert.deepEqual(accounts.primary_key, { name: 'accounts_pkey', columns: ['account_id'] });
});

test('native types use the datasource\'s name: @pg.VarChar with `datasource pg`', () => {
  const schema = convert(`datasource pg {
    provider = "postgres"
    url = env("DATABASE_URL")
  }
  model T {
    id Int @id
    name String @pg.VarChar(20)
  }`);
  assert.equal(table(schema, 'T').columns[1]!.type, 'character varying(20)');
});

test('a Prisma 7 datasource without url converts', () => {
  const schema = convert('datasource db {\n  provider = "postgresql"\n}\nmodel T {\n  id Int @id\n}\n');
  assert.deepEqual(schema.tables.map((t) => t.name), ['T']);
});
