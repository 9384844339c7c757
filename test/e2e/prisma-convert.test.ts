// `lockplane convert` as a user runs it: stdout or --output, formats, and
// errors that name the file and line, with their exit codes, writing nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject } from './cli.js';

const SCHEMA = `datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
`;

test('convert prints the schema JSON, or writes it with --output; --format sql prints DDL', async () => {
  const { dir, cleanup } = tempProject({ 'schema.prisma': SCHEMA });
  try {
    const printed = await runCli(['convert', '--from', 'prisma', 'schema.prisma'], { cwd: dir });
    assert.equal(printed.code, 0, printed.stderr);
    const schema = JSON.parse(printed.stdout) as { tables: { name: string; indexes: { name: string }[] }[] };
    assert.deepEqual(schema.tables.map((t) => [t.name, t.indexes.map((i) => i.name)]), [['User', ['User_email_key']]]);

    const written = await runCli(['convert', '--from', 'prisma', 'schema.prisma', '--output', 'schema.json'], { cwd: dir });
    assert.equal(written.code, 0, written.stderr);
    assert.equal(written.stdout, '');
    assert.equal(readFileSync(join(dir, 'schema.json'), 'utf8'), printed.stdout);

    const sql = await runCli(['convert', '--from', 'prisma', 'schema.prisma', '--format', 'sql'], { cwd: dir });
    assert.equal(sql.code, 0, sql.stderr);
    assert.match(sql.stdout, /^CREATE TABLE "public"\."User" \("id" serial NOT NULL, "email" text NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY \("id"\)\);\n\nCREATE UNIQUE INDEX "User_email_key" ON "public"\."User" \("email"\);\n$/);
  } finally {
    cleanup();
  }
});

test('an unsupported construct: exit 1, one line with file and line, nothing written', async () => {
  const { dir, cleanup } = tempProject({ 'schema.prisma': `${SCHEMA}\nview ActiveUser {\n  id Int @unique\n}\n` });
  try {
    const result = await runCli(['convert', '--from', 'prisma', 'schema.prisma', '--output', 'out.json'], { cwd: dir });
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'Error: schema.prisma:11: view ActiveUser is not supported by lockplane convert (Prisma views are a preview feature; declare views in SQL)\n');
    assert.equal(existsSync(join(dir, 'out.json')), false);
  } finally {
    cleanup();
  }
});

test('invalid schemas and usage errors exit 2', async () => {
  const { dir, cleanup } = tempProject({ 'schema.prisma': SCHEMA.replace('String @unique', 'Strin @unique') });
  try {
    const invalid = await runCli(['convert', '--from', 'prisma', 'schema.prisma', '--output', 'out.json'], { cwd: dir });
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /^Error: schema\.prisma:8: field email: unknown type Strin\n$/);
    assert.equal(existsSync(join(dir, 'out.json')), false);
    for (const args of [
      ['convert', '--from', 'drizzle', 'schema.prisma'],
      ['convert', '--from', 'prisma', 'schema.prisma', '--format', 'yaml'],
      ['convert', 'schema.prisma'],
      ['convert', '--from', 'prisma', 'missing.prisma'],
    ]) {
      const result = await runCli(args, { cwd: dir });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    }
  } finally {
    cleanup();
  }
});

test('a multi-file schema: the folder converts as one schema; problems name the file they are in', async () => {
  const datasource = SCHEMA.slice(0, SCHEMA.indexOf('model User'));
  const post = 'model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n';
  const user = 'model User {\n  id    Int    @id @default(autoincrement())\n  email String @unique\n  posts Post[]\n}\n';
  const { dir, cleanup } = tempProject({
    'prisma/schema/schema.prisma': datasource,
    'prisma/schema/models/user.prisma': user,
    'prisma/schema/models/post.prisma': post,
    'prisma/schema/README.md': 'not a schema file',
    'single.prisma': `${datasource}${post}${user}`,
  });
  try {
    const folder = await runCli(['convert', '--from', 'prisma', 'prisma/schema'], { cwd: dir });
    assert.equal(folder.code, 0, folder.stderr);
    const single = await runCli(['convert', '--from', 'prisma', 'single.prisma'], { cwd: dir });
    assert.equal(folder.stdout, single.stdout);
    assert.match(folder.stdout, /"Post_authorId_fkey"/);

    const broken = tempProject({ 'schema/a.prisma': datasource, 'schema/b.prisma': '\n\nmodel T {\n  id Int @id\n  @@fulltext([id])\n}\n' });
    try {
      const result = await runCli(['convert', '--from', 'prisma', 'schema'], { cwd: broken.dir });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^Error: schema\/b\.prisma:5: @@fulltext is not supported/);
    } finally {
      broken.cleanup();
    }
  } finally {
    cleanup();
  }
});
