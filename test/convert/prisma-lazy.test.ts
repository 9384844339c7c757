// The Prisma parser is loaded by `lockplane convert` only: building the
// program (what --version and --help do) leaves it out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const loadedPrismaAst = (): boolean => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('prisma-ast'));

test('building the CLI program does not load @mrleebo/prisma-ast; the converter does', async () => {
  const { buildProgram } = await import('../../src/cli/program.js');
  const program = buildProgram();
  assert.ok(program.commands.some((c) => c.name() === 'convert'), 'convert is registered');
  assert.equal(loadedPrismaAst(), false, 'not loaded at startup');
  await import('../../src/convert/prisma/index.js');
  assert.equal(loadedPrismaAst(), true, 'loaded by the converter (this check can see it)');
});
