// Where a SQLite or libSQL database is, from what a user writes: `sqlite:PATH`,
// `file:PATH`, a plain `*.db` / `*.sqlite` / `*.sqlite3` path, `:memory:`, or
// `libsql://…` with its auth token (`?authToken=` or LIBSQL_AUTH_TOKEN).
// The token never reaches `description`.
import { resolve } from 'node:path';
import { InputError, redact } from '../../errors.js';

export interface SqliteLocation {
  /** What @libsql/client opens: `file:/abs/path`, `:memory:`, or the remote URL without its token. */
  clientUrl: string;
  authToken?: string;
  /** For people: the path or URL, without any token. */
  description: string;
  remote: boolean;
}

const SQLITE_FILE = /\.(db|sqlite|sqlite3)$/i;
const SCHEMES = /^(sqlite3?|file|libsql|https?|wss?):/i;

/** True for every spelling of a SQLite/libSQL database this module understands. */
export function isSqliteSpec(spec: string): boolean {
  const s = spec.trim();
  if (s === ':memory:') return true;
  if (/^(sqlite3?|file|libsql):/i.test(s)) return true;
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) && SQLITE_FILE.test(s.split('?')[0]!);
}

export function locate(spec: string, env: NodeJS.ProcessEnv = process.env): SqliteLocation {
  const s = spec.trim();
  if (s === ':memory:' || /^(sqlite3?|file):(\/\/)?:memory:$/i.test(s)) return { clientUrl: ':memory:', description: ':memory:', remote: false };
  const scheme = SCHEMES.exec(s)?.[1]?.toLowerCase();
  if (scheme === 'libsql' || scheme === 'https' || scheme === 'http' || scheme === 'wss' || scheme === 'ws') return remote(s, env);
  const path = scheme ? s.slice(scheme.length + 1).replace(/^\/\/(?=\/)/, '') : s;
  if (!path) throw new InputError(`${redact(s)}: no SQLite file path after "${scheme}:"`);
  const absolute = resolve(path.split('?')[0]!);
  return { clientUrl: `file:${absolute}`, description: path.split('?')[0]!, remote: false };
}

function remote(spec: string, env: NodeJS.ProcessEnv): SqliteLocation {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new InputError(`${redact(spec)}: not a valid libSQL URL`);
  }
  const fromQuery = url.searchParams.get('authToken') ?? url.searchParams.get('auth_token') ?? undefined;
  url.searchParams.delete('authToken');
  url.searchParams.delete('auth_token');
  const token = fromQuery ?? (env.LIBSQL_AUTH_TOKEN?.trim() || undefined);
  const clientUrl = url.toString();
  return { clientUrl, ...(token ? { authToken: token } : {}), description: clientUrl, remote: true };
}
