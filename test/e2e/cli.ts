// Drives the built `lockplane` binary the way a user does: a child process in
// a temporary directory, with stdout, stderr and the exit code checked.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The bundled CLI that package.json's bin names (scripts/bundle-cli.mjs). */
export const BIN = join(REPO_ROOT, 'dist', 'bin', 'lockplane.js');
/** The same CLI as tsc compiled it, a module per source file: for tests of what loads when. */
export const UNBUNDLED_BIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

/** Variables of the test runner's environment that would change which databases a command uses. */
export const DATABASE_KEYS = ['DATABASE_URL', 'SHADOW_DATABASE_URL', 'SHADOW_SCHEMA', 'POSTGRES_URL', 'POSTGRES_SHADOW_URL', 'SQLITE_DB_PATH', 'SQLITE_SHADOW_DB_PATH', 'LIBSQL_URL', 'LIBSQL_AUTH_TOKEN'];

export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of DATABASE_KEYS) delete env[key];
  delete env.LOCKPLANE_DEBUG;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return runProcess(process.execPath, [BIN, ...args], { cwd: options.cwd, env, input: options.input });
}

/** Runs a program to its end, collecting stdout, stderr and the exit code. */
export function runProcess(program: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    // A child that exits before reading its input (a quick `exit 1`) closes the pipe: not an error of the test.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error);
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A temporary project directory with the given files; removed by the returned cleanup. */
export function tempProject(files: Record<string, string> = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lockplane-e2e-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
