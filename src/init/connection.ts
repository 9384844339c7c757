// The connection test of init: a Postgres server is connected to (SELECT 1);
// an embedded PGlite directory or a SQLite file only needs a writable place;
// libSQL is not reached (Lockplane has no libSQL driver yet).
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { connect } from '../dialects/postgres/session.js';
import { redact } from '../errors.js';
import type { EnvironmentSetup } from './model.js';

export interface ConnectionCheck {
  status: 'ok' | 'failed' | 'skipped';
  message: string;
}

const CONNECT_TIMEOUT_MS = 10_000;

export async function testConnection(setup: EnvironmentSetup, configDir: string): Promise<ConnectionCheck> {
  switch (setup.dbType) {
    case 'postgres':
      return testServer(setup.databaseUrl);
    case 'pglite':
      return testWritable(resolve(configDir, setup.databaseUrl.replace(/^pglite:\/\//i, '')), 'directory');
    case 'sqlite':
      return testWritable(resolve(configDir, setup.databaseUrl.replace(/^sqlite:/i, '')), 'file');
    case 'libsql':
      return { status: 'skipped', message: `connection test skipped for ${redact(setup.databaseUrl)}: Lockplane cannot reach libSQL yet` };
  }
}

async function testServer(url: string): Promise<ConnectionCheck> {
  const where = redact(url);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
  });
  const attempt = connect(url);
  try {
    const session = await Promise.race([attempt, timeout]);
    try {
      const [row] = await session.query<{ version: string }>('SELECT current_setting(\'server_version\') AS version');
      return { status: 'ok', message: `connected to ${where} (Postgres ${row?.version ?? '?'})` };
    } finally {
      await session.close();
    }
  } catch (error) {
    // A connection that answers after the timeout is closed, not leaked.
    attempt.then((session) => session.close(), () => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 'failed', message: redact(reason.startsWith('cannot connect') ? reason : `cannot connect to ${where}: ${reason}`) };
  } finally {
    clearTimeout(timer);
  }
}

function testWritable(path: string, kind: 'directory' | 'file'): ConnectionCheck {
  if (existsSync(path)) {
    const isDirectory = statSync(path).isDirectory();
    if (isDirectory !== (kind === 'directory')) return { status: 'failed', message: `${path} exists and is not a ${kind}` };
    return writable(path) ? { status: 'ok', message: `${path} is writable` } : { status: 'failed', message: `${path} is not writable` };
  }
  let parent = dirname(path);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  return writable(parent)
    ? { status: 'ok', message: `${path} will be created (${parent} is writable)` }
    : { status: 'failed', message: `cannot create ${path}: ${parent} is not writable` };
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
