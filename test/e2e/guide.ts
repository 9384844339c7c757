// Runs docs/sqlalchemy.md the way a user does: its files and commands are read
// from the guide itself, so the guide and its test cannot drift apart. The
// commands run in a shell with `lockplane` (the built CLI) and `python`
// (/usr/bin/python3, with Debian's SQLAlchemy and psycopg2) on PATH.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BIN, DATABASE_KEYS, REPO_ROOT, runProcess, type CliResult } from './cli.js';

export const GUIDE_PATH = join(REPO_ROOT, 'docs', 'sqlalchemy.md');
export const PYTHON = '/usr/bin/python3';

interface CodeBlock {
  lang: string;
  body: string;
}

export function guideBlocks(guide = GUIDE_PATH): CodeBlock[] {
  const text = readFileSync(guide, 'utf8');
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** The guide's code block that starts with `# NAME` (a file it tells you to write). */
export function guideFile(header: string, guide = GUIDE_PATH): string {
  const block = guideBlocks(guide).find((b) => b.body.startsWith(`${header}\n`));
  assert.ok(block, `${relative(REPO_ROOT, guide)} has a code block starting with "${header}"`);
  return block.body;
}

export function guideMakefile(): string {
  const block = guideBlocks().find((b) => b.lang === 'makefile');
  assert.ok(block, 'docs/sqlalchemy.md has a makefile block');
  return block.body;
}

/** A shell command as the guide's bash blocks write it (fails when the guide does not say it). */
export function guideCommand(command: string, guide = GUIDE_PATH): string {
  const lines = guideBlocks(guide)
    .filter((b) => b.lang === 'bash')
    .flatMap((b) => b.body.split('\n').map((l) => l.trim()));
  assert.ok(lines.includes(command), `${relative(REPO_ROOT, guide)} shows the command: ${command}`);
  return command;
}

/** models.py with its User class replaced by the guide's changed one. */
export function changedModels(): string {
  const models = guideFile('# models.py');
  const changed = guideFile('# models.py: the User class after the change');
  const user = changed.slice(changed.indexOf('class User(Base):'));
  const replaced = models.replace(/class User\(Base\):[\s\S]*?\n\n\n/, `${user.trimEnd()}\n\n\n`);
  assert.notEqual(replaced, models, 'the User class was replaced');
  return replaced;
}

/** A bin directory with `lockplane` and `python` for the guide's shell commands. */
export function toolDir(projectDir: string): string {
  const bin = join(projectDir, '.bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'lockplane'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, 'lockplane'), 0o755);
  symlinkSync(PYTHON, join(bin, 'python'));
  return bin;
}

/** Runs a program in the project with the tool directory first on PATH. */
export function runIn(dir: string, program: string, args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', PATH: `${join(dir, '.bin')}:${process.env.PATH ?? ''}` };
  for (const key of [...DATABASE_KEYS, 'LOCKPLANE_DEBUG']) delete env[key];
  delete env.MAKEFLAGS;
  return runProcess(program, args, { cwd: dir, env });
}

/** Runs one of the guide's shell commands; it must succeed. */
export async function shell(dir: string, command: string): Promise<CliResult> {
  const result = await runIn(dir, 'sh', ['-c', command]);
  assert.equal(result.code, 0, `${command}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** `lockplane introspect` of a lockplane.toml environment, as JSON. */
export async function introspectEnvironment<T = unknown>(dir: string, environment: string): Promise<T> {
  const result = await runIn(dir, 'lockplane', ['introspect', '--source-environment', environment]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

/**
 * Part 2 of an ORM guide: the production migration through the shadow
 * (`generate` fills it), its rollback, the deploy; `checkDeployed` looks at
 * migration.json and production; then the rollback, which drops a column:
 * refused until LP202 is allowed, and production is back where it was.
 */
export async function deployAndRollBack(dir: string, generate: string, command: (text: string) => string, checkDeployed: () => Promise<void>): Promise<void> {
  const before = await introspectEnvironment(dir, 'production');
  for (const text of [
    'lockplane shadow prepare --target-environment production > shadow.json',
    generate,
    'lockplane shadow diff --target-environment production > migration.json',
    'lockplane shadow release',
    'lockplane plan-rollback --plan migration.json --from-environment production > rollback.json',
    'lockplane apply migration.json --target-environment production --auto-approve',
  ]) {
    await shell(dir, command(text));
  }
  await checkDeployed();
  const unallowed = await runIn(dir, 'lockplane', ['apply', 'rollback.json', '--target-environment', 'production', '--auto-approve']);
  assert.equal(unallowed.code, 3, 'the rollback drops a column: LP202 must be allowed, as the guide says');
  assert.match(unallowed.stderr, /LP202/);
  await shell(dir, command('lockplane apply rollback.json --target-environment production --auto-approve --allow-hazards LP202'));
  assert.deepEqual(await introspectEnvironment(dir, 'production'), before, 'the rollback restores production');
}
