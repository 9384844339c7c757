// What the converter refuses: one line naming the file, the line and the construct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failure } from './prisma-helpers.js';

const UNSUPPORTED = 1;
const INVALID = 2;

test('unsupported constructs: exit 1, file:line and the construct', () => {
  const cases: [string, RegExp][] = [
    ['datasource db {\n  provider = "mongodb"\n  url = env("X")\n}\n', /^schema\.prisma:2: provider "mongodb" is not supported/],
    ['datasource db {\n  provider = "mysql"\n  url = env("X")\n}\n', /^schema\.prisma:2: provider "mysql" is not supported/],
    ['view Active {\n  id Int @unique\n}\n', /^schema\.prisma:\d+: view Active is not supported/],
    ['model T {\n  id Int @id\n  body String\n  @@fulltext([body])\n}\n', /^schema\.prisma:\d+: @@fulltext is not supported/],
    ['model T {\n  id Int @id\n  a String\n  @@index([a(length: 10)])\n}\n', /length: on an index key is not supported/],
    ['model T {\n  id Int @id\n  a Json\n  @@index([a(ops: JsonbPathOps)], type: Gin)\n}\n', /ops: JsonbPathOps is not supported .*raw/],
    ['model T {\n  id Int @id @default(sequence())\n}\n', /@default\(sequence\(\)\) is not supported/],
    ['model T {\n  id Int @id\n  a String @db.Geometry\n}\n', /@db\.Geometry is not supported/],
    ['type Address {\n  street String\n}\n', /composite type Address is not supported/],
  ];
  for (const [text, pattern] of cases) {
    const { message, exitCode } = failure(text);
    assert.match(message, pattern, text);
    assert.equal(exitCode, UNSUPPORTED, text);
    assert.ok(!message.includes('\n'), 'one line');
  }
});

test('the line named is the construct\'s own', () => {
  const { message } = failure('model T {\n  id Int @id\n  a String\n\n  @@fulltext([a])\n}\n');
  assert.match(message, /^schema\.prisma:9: /); // the datasource the helper adds is 4 lines
});

test('invalid schemas: exit 2 with file and line', () => {
  const cases: [string, RegExp][] = [
    ['model T {\n  id Int @id @@@\n}\n', /^schema\.prisma:\d+:\d+: Prisma schema syntax error/],
    ['model T {\n  id Int @id $\n}\n', /^schema\.prisma:6:14: Prisma schema syntax error near "\$"/],
    ['model T {\n  id Int @id\n}\nmodel T {\n  id Int @id\n}\n', /^schema\.prisma:8: T is defined twice/],
    ['model T {\n  id Int @id\n  x Nope\n}\n', /unknown type Nope/],
    ['model T {\n  id Int @id\n  a Int @db.VarChar(3)\n}\n', /@db\.VarChar cannot be used on a field of type Int/],
    ['model T {\n  id String @id @default(autoincrement())\n}\n', /autoincrement\(\) needs an Int or BigInt field/],
    ['model T {\n  id Int @id\n  @@index([missing])\n}\n', /missing is not a scalar field/],
    ['model T {\n  id Int @id\n  other U[]\n}\nmodel U {\n  id Int @id\n}\n', /has no opposite relation field/],
  ];
  for (const [text, pattern] of cases) {
    const { message, exitCode } = failure(text);
    assert.match(message, pattern, text);
    assert.equal(exitCode, INVALID, text);
  }
  const noDatasource = failure('datasource x {\n}\n');
  assert.match(noDatasource.message, /the datasource has no provider/);
});

test('@@schema needs the datasource schemas list, and a listed schema', () => {
  const withList = 'datasource db {\n  provider = "postgresql"\n  url = env("X")\n  schemas = ["a"]\n}\n';
  assert.match(failure(`${withList}model T {\n  id Int @id\n  @@schema("b")\n}\n`).message, /schema "b" is not in the datasource's schemas list/);
  assert.match(failure(`${withList}model T {\n  id Int @id\n}\n`).message, /model T has no @@schema attribute/);
  assert.match(failure('model T {\n  id Int @id\n  @@schema("b")\n}\n').message, /@@schema needs the schemas list/);
});
