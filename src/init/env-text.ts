// Writing .env files that Node's own env-file parser reads back exactly: each
// value is quoted with the first quote character that round-trips.
import { InputError } from '../errors.js';
import { parseEnvText } from '../config/index.js';
import { MANAGED_ENV_KEYS } from './model.js';

export function envLine(key: string, value: string): string {
  for (const quote of ['"', "'", '`']) {
    if (value.includes(quote) || value.includes('\n')) continue;
    const line = `${key}=${quote}${value}${quote}`;
    if (parseEnvText(line, key)[key] === value) return line;
  }
  throw new InputError(`${key}: the value cannot be written to an env file (it contains every kind of quote or a newline)`);
}

const definesKey = (line: string, keys: ReadonlySet<string>): boolean => {
  const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
  return match !== null && keys.has(match[1]!);
};

export interface EnvFileUpdate {
  text: string;
  /** Keys whose existing value differs (or that Lockplane would no longer write), when not forced. */
  conflicts: string[];
}

/**
 * An environment's .env file with Lockplane's keys set: other keys (an app's
 * own secrets in .env.local, say) and comments are kept. Without `force`,
 * Lockplane keys already set to something else are reported, not changed.
 */
export function updateEnvText(existing: string | undefined, entries: readonly [string, string][], label: string, force: boolean): EnvFileUpdate {
  const header = '# Lockplane connection settings for this environment (see lockplane.toml). Do not commit.';
  const block = entries.map(([key, value]) => envLine(key, value));
  if (existing === undefined) return { text: [header, ...block, ''].join('\n'), conflicts: [] };
  const current = parseEnvText(existing, label);
  const wanted = new Map(entries);
  const conflicts = MANAGED_ENV_KEYS.filter((key) => current[key] !== undefined && current[key] !== wanted.get(key));
  if (conflicts.length > 0 && !force) return { text: existing, conflicts };
  // Without a conflict every Lockplane key present already has its value.
  const managed = new Set<string>(MANAGED_ENV_KEYS);
  const kept = force ? existing.split('\n').filter((line) => !definesKey(line, managed)) : existing.split('\n');
  const missing = entries.filter(([key]) => force || current[key] === undefined);
  const body = kept.join('\n').replace(/\n*$/, '');
  const text = missing.length === 0 ? `${body}\n` : `${body}${body ? '\n' : ''}${missing.map(([k, v]) => envLine(k, v)).join('\n')}\n`;
  const result = parseEnvText(text, label);
  for (const key of MANAGED_ENV_KEYS) {
    if (result[key] !== wanted.get(key)) throw new InputError(`${label}: could not update ${key} safely (a multi-line value?); edit the file by hand`);
  }
  return { text, conflicts: [] };
}

const PLACEHOLDERS: Record<string, string> = {
  DATABASE_URL: 'postgresql://USER:PASSWORD@HOST:5432/DATABASE?sslmode=disable',
  SHADOW_DATABASE_URL: 'postgresql://USER:PASSWORD@HOST:5433/DATABASE_shadow?sslmode=disable',
  SHADOW_SCHEMA: 'lockplane_shadow',
  SQLITE_SHADOW_DB_PATH: 'lockplane_shadow.db',
  LIBSQL_URL: 'libsql://DATABASE-ORG.turso.io',
  LIBSQL_AUTH_TOKEN: 'TOKEN',
};

/** .env.example with the placeholder of every key in `keys` it lacks (never a real value). */
export function updateEnvExample(existing: string | undefined, keys: readonly string[]): string | undefined {
  const present = existing === undefined ? {} : parseEnvText(existing, '.env.example');
  const missing = keys.filter((key) => present[key] === undefined);
  if (missing.length === 0) return undefined;
  const lines = missing.map((key) => envLine(key, PLACEHOLDERS[key] ?? ''));
  if (existing === undefined) {
    return ['# Lockplane: copy to .env.NAME for each environment in lockplane.toml and fill in.', ...lines, ''].join('\n');
  }
  const body = existing.replace(/\n*$/, '');
  return `${body}${body ? '\n' : ''}${lines.join('\n')}\n`;
}

export const GITIGNORE_ENTRIES = ['.env.*', '!.env.example', '.lockplane/'] as const;

/** .gitignore with Lockplane's entries it lacks appended; undefined when nothing is missing. */
export function updateGitignore(existing: string | undefined): string | undefined {
  const present = new Set((existing ?? '').split(/\r?\n/).map((line) => line.trim()));
  const missing = GITIGNORE_ENTRIES.filter((entry) => !present.has(entry));
  if (missing.length === 0) return undefined;
  const body = (existing ?? '').replace(/\n*$/, '');
  return `${body}${body ? '\n\n' : ''}# Lockplane: environment secrets and local state\n${missing.join('\n')}\n`;
}
