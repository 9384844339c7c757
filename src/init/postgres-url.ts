// Postgres connection URLs from fields: user, password and database name are
// URL-escaped (a password like p@ss:w/rd# must survive), and sslmode defaults
// to disable for this machine and require for anything else.
import { InputError, redact } from '../errors.js';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface PostgresFields {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslMode?: SslMode;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function defaultSslMode(host: string): SslMode {
  return LOCAL_HOSTS.has(host.toLowerCase()) ? 'disable' : 'require';
}

export function postgresUrl(fields: PostgresFields): string {
  const host = fields.host.includes(':') && !fields.host.startsWith('[') ? `[${fields.host}]` : fields.host;
  const password = fields.password ? `:${encodeURIComponent(fields.password)}` : '';
  const credentials = fields.user ? `${encodeURIComponent(fields.user)}${password}@` : '';
  const sslMode = fields.sslMode ?? defaultSslMode(fields.host);
  return `postgresql://${credentials}${host}:${fields.port}/${encodeURIComponent(fields.database)}?sslmode=${sslMode}`;
}

/** Checks a pasted or flagged URL; `label` names where it came from in the error. */
export function checkPostgresUrl(text: string, label: string): string {
  const url = text.trim();
  const problem = postgresUrlProblem(url);
  if (problem) throw new InputError(`${label}: ${problem}`);
  return url;
}

export function postgresUrlProblem(url: string): string | undefined {
  if (!/^postgres(ql)?:\/\//i.test(url)) return `expected a postgres:// or postgresql:// URL, got ${JSON.stringify(redact(url))}`;
  try {
    const parsed = new URL(url);
    if (!parsed.hostname) return `no host in ${redact(url)}`;
  } catch {
    return `invalid URL ${redact(url)}`;
  }
  return undefined;
}

/** The same server and credentials on another port, database `<database>_shadow`. */
export function shadowDatabaseUrl(url: string, port: number): string {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres';
  parsed.port = String(port);
  parsed.pathname = `/${encodeURIComponent(`${database}_shadow`)}`;
  return parsed.toString();
}

/** A URL's query with sslmode set (for --ssl-mode with --connection-string). */
export function withSslMode(url: string, sslMode: SslMode): string {
  const parsed = new URL(url);
  parsed.searchParams.set('sslmode', sslMode);
  return parsed.toString();
}

export function parsePort(text: string, label: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError(`${label}: expected a port number (1-65535), got ${JSON.stringify(text)}`);
  }
  return port;
}

/** The fields of a URL, for editing it in the wizard. */
export function fieldsOfUrl(url: string): PostgresFields | undefined {
  try {
    const parsed = new URL(url);
    const sslMode = parsed.searchParams.get('sslmode');
    return {
      host: parsed.hostname.replace(/^\[|\]$/g, ''),
      port: parsed.port ? Number(parsed.port) : 5432,
      database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      sslMode: (SSL_MODES as readonly string[]).includes(sslMode ?? '') ? (sslMode as SslMode) : undefined,
    };
  } catch {
    return undefined;
  }
}
