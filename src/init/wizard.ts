// The interactive `lockplane init`, with @clack/prompts. Every prompt reads
// and writes the streams it is given, so tests drive it with keystrokes.
// Cancelling any prompt (Ctrl-C, Esc) throws WizardCancelled: nothing is written.
import type { Readable, Writable } from 'node:stream';
import * as p from '@clack/prompts';
import {
  DB_TYPE_LABELS,
  DB_TYPES,
  DEFAULT_ENVIRONMENT,
  DEFAULT_PGLITE_PATH,
  DEFAULT_SHADOW_SCHEMA,
  environmentNameProblem,
  sqliteShadowPath,
  type DbType,
  type EnvironmentSetup,
  type ShadowSetup,
} from './model.js';
import { defaultSslMode, fieldsOfUrl, postgresUrl, postgresUrlProblem, shadowDatabaseUrl, SSL_MODES, type PostgresFields, type SslMode } from './postgres-url.js';
import type { ConnectionCheck } from './connection.js';
import { EnvFileConflict, type InitFilesPlan } from './files.js';
import { summaryText } from './summary.js';

export interface WizardIo {
  input: Readable;
  output: Writable;
}

export interface WizardOptions {
  io: WizardIo;
  /** Environments lockplane.toml already defines. */
  existing: ReadonlySet<string>;
  /** Replacing an existing environment is allowed. */
  force: boolean;
  defaultSchemaPath: string;
  suggestedName?: string;
  test: (setup: EnvironmentSetup) => Promise<ConnectionCheck>;
  plan: (setups: readonly EnvironmentSetup[], force: boolean) => InitFilesPlan;
}

export class WizardCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'WizardCancelled';
  }
}

export interface WizardResult {
  setups: EnvironmentSetup[];
  plan: InitFilesPlan;
}

type Connection = Pick<EnvironmentSetup, 'databaseUrl' | 'authToken'>;

export async function runWizard(options: WizardOptions): Promise<WizardResult> {
  const { io } = options;
  p.intro('lockplane init', io);
  if (options.existing.size > 0) {
    p.log.info(`lockplane.toml defines: ${[...options.existing].join(', ')}. New environments are added to it.`, io);
  }
  const setups: EnvironmentSetup[] = [];
  do {
    const taken = new Set([...setups.map((setup) => setup.name), ...(options.force ? [] : options.existing)]);
    const previous = setups[setups.length - 1];
    const defaults = { ...options, defaultSchemaPath: previous?.schemaPath ?? options.defaultSchemaPath };
    setups.push(await askEnvironment(defaults, taken, previous ? undefined : options.suggestedName));
  } while (await ask(p.confirm({ ...io, message: 'Set up another environment?', initialValue: false })));
  const plan = await planWithConsent(options, setups);
  p.note(summaryText(setups, plan), 'Summary', io);
  if (!(await ask(p.confirm({ ...io, message: 'Write these files?', initialValue: true })))) throw new WizardCancelled();
  return { setups, plan };
}

/** A .env.NAME that already sets Lockplane's keys (an app's .env.local, say): replace them only when the user agrees. */
async function planWithConsent(options: WizardOptions, setups: readonly EnvironmentSetup[]): Promise<InitFilesPlan> {
  try {
    return options.plan(setups, options.force);
  } catch (error) {
    if (!(error instanceof EnvFileConflict)) throw error;
    p.log.warn(error.message.replace(/; pass --force.*$/, ''), options.io);
    const replace = await ask(
      p.confirm({ ...options.io, message: "Replace Lockplane's keys in it? (its other lines are kept)", initialValue: false }),
    );
    if (!replace) throw new WizardCancelled();
    return options.plan(setups, true);
  }
}

async function ask<T>(answer: Promise<T>): Promise<Exclude<T, symbol>> {
  const value = await answer;
  if (p.isCancel(value)) throw new WizardCancelled();
  return value as Exclude<T, symbol>;
}

async function askText(io: WizardIo, message: string, fallback: string | undefined, check?: (value: string) => string | undefined): Promise<string> {
  const value = await ask(
    p.text({
      ...io,
      message,
      ...(fallback ? { placeholder: fallback, defaultValue: fallback } : {}),
      validate: (raw) => {
        const text = (raw ?? '').trim() || fallback || '';
        if (!text) return 'Required';
        return check?.(text);
      },
    }),
  );
  return value.trim() || fallback || '';
}

async function askEnvironment(options: WizardOptions, taken: ReadonlySet<string>, suggested: string | undefined): Promise<EnvironmentSetup> {
  const { io } = options;
  const fallbackName = suggested ?? (taken.has(DEFAULT_ENVIRONMENT) ? undefined : DEFAULT_ENVIRONMENT);
  const name = await askText(io, 'Environment name', fallbackName, (value) => {
    if (taken.has(value)) return `"${value}" already exists${options.force ? '' : ' (run with --force to replace it)'}`;
    return environmentNameProblem(value);
  });
  const description = (
    await ask(p.text({ ...io, message: 'Description (optional)', ...(name === DEFAULT_ENVIRONMENT ? { placeholder: 'Local development', defaultValue: 'Local development' } : {}) }))
  ).trim();
  const dbType = await ask(
    p.select<DbType>({ ...io, message: 'Database type', options: DB_TYPES.map((value) => ({ value, label: DB_TYPE_LABELS[value], ...hint(value) })) }),
  );
  let connection = await askConnection(io, dbType, undefined);
  for (;;) {
    p.log.step('Testing the connection…', io);
    const check = await options.test({ name, schemaPath: '', dbType, ...connection, shadow: { strategy: 'embedded' } });
    if (check.status === 'ok') p.log.success(check.message, io);
    else if (check.status === 'skipped') p.log.warn(check.message, io);
    if (check.status !== 'failed') break;
    p.log.error(check.message, io);
    const next = await ask(
      p.select({
        ...io,
        message: 'The connection test failed. What now?',
        options: [
          { value: 'retry', label: 'Retry' },
          { value: 'edit', label: 'Edit the connection' },
          { value: 'keep', label: 'Keep these settings anyway' },
        ],
      }),
    );
    if (next === 'keep') break;
    if (next === 'edit') connection = await askConnection(io, dbType, connection);
  }
  const shadow = await askShadow(io, dbType, connection.databaseUrl);
  const schemaPath = await askText(io, 'Where does the desired schema live (relative to lockplane.toml)?', options.defaultSchemaPath);
  return { name, ...(description ? { description } : {}), schemaPath: schemaPath.replace(/\/+$/, '') || '.', dbType, ...connection, shadow };
}

function hint(dbType: DbType): { hint?: string } {
  if (dbType === 'sqlite') return { hint: 'a database file' };
  if (dbType === 'libsql') return { hint: 'Turso or a libSQL server' };
  if (dbType === 'pglite') return { hint: 'no server needed' };
  return {};
}

async function askConnection(io: WizardIo, dbType: DbType, previous: Connection | undefined): Promise<Connection> {
  switch (dbType) {
    case 'postgres':
      return { databaseUrl: await askPostgres(io, previous?.databaseUrl) };
    case 'pglite': {
      const path = await askText(io, 'PGlite data directory', previous?.databaseUrl.replace(/^pglite:\/\//, '') ?? DEFAULT_PGLITE_PATH);
      return { databaseUrl: `pglite://${path}` };
    }
    case 'sqlite': {
      const path = await askText(io, 'SQLite database file', previous?.databaseUrl.replace(/^sqlite:/, '') ?? 'app.db');
      return { databaseUrl: `sqlite:${path}` };
    }
    case 'libsql': {
      const url = await askText(io, 'libSQL / Turso URL', previous?.databaseUrl, (value) =>
        /^(libsql|https?|wss?):\/\//i.test(value) ? undefined : 'Expected a libsql://, https:// or wss:// URL',
      );
      const token = await ask(p.password({ ...io, message: 'Auth token (Enter for none)' }));
      return { databaseUrl: url, ...(token ? { authToken: token } : previous?.authToken ? { authToken: previous.authToken } : {}) };
    }
  }
}

async function askPostgres(io: WizardIo, previousUrl: string | undefined): Promise<string> {
  const method = await ask(
    p.select({
      ...io,
      message: 'How do you want to give the connection?',
      options: [
        { value: 'fields', label: 'Host, port, database, user, password' },
        { value: 'url', label: 'Paste a connection URL' },
      ],
    }),
  );
  if (method === 'url') {
    const url = await ask(
      p.password({ ...io, message: 'Connection URL (postgres://…, hidden: it may hold a password)', validate: (value) => postgresUrlProblem((value ?? '').trim()) }),
    );
    return url.trim();
  }
  const before: Partial<PostgresFields> = (previousUrl && fieldsOfUrl(previousUrl)) || {};
  const host = await askText(io, 'Host', before.host ?? 'localhost');
  const port = Number(await askText(io, 'Port', String(before.port ?? 5432), portProblem));
  const database = await askText(io, 'Database', before.database ?? 'postgres');
  const user = await askText(io, 'User', before.user ?? 'postgres');
  const typed = await ask(p.password({ ...io, message: before.password ? 'Password (Enter keeps the current one)' : 'Password (Enter for none)' }));
  const password = typed || before.password || '';
  const sslDefault = defaultSslMode(host);
  const sslMode = await ask(
    p.select<SslMode>({
      ...io,
      message: 'SSL mode',
      initialValue: before.sslMode ?? sslDefault,
      options: SSL_MODES.map((value) => ({ value, ...(value === sslDefault ? { hint: 'default for this host' } : {}) })),
    }),
  );
  return postgresUrl({ host, port, database, user, ...(password ? { password } : {}), sslMode });
}

async function askShadow(io: WizardIo, dbType: DbType, databaseUrl: string): Promise<ShadowSetup> {
  if (dbType === 'sqlite' || dbType === 'libsql') {
    const fallback = dbType === 'sqlite' ? sqliteShadowPath(databaseUrl.replace(/^sqlite:/, '')) : 'lockplane_shadow.db';
    return { strategy: 'file', path: await askText(io, 'Shadow database file', fallback) };
  }
  const options: { value: 'embedded' | 'port' | 'url' | 'schema'; label: string; hint: string }[] = [
    { value: 'embedded', label: 'Embedded', hint: 'an in-memory PGlite: nothing to set up' },
    ...(dbType === 'postgres'
      ? [{ value: 'port' as const, label: 'A separate database on the same server', hint: 'another port, database <name>_shadow' }]
      : []),
    { value: 'url', label: 'A separate Postgres database at a URL', hint: 'SHADOW_DATABASE_URL' },
    { value: 'schema', label: 'A schema in the same database', hint: 'SHADOW_SCHEMA' },
  ];
  const strategy = await ask(p.select({ ...io, message: 'Shadow database (where plans are proven before they touch this database)', options }));
  if (strategy === 'embedded') return { strategy };
  if (strategy === 'schema') return { strategy, schema: await askText(io, 'Shadow schema', DEFAULT_SHADOW_SCHEMA) };
  if (strategy === 'port') {
    const port = await askText(io, 'Shadow database port (same host and credentials)', '5433', portProblem);
    return { strategy: 'database', url: shadowDatabaseUrl(databaseUrl, Number(port)) };
  }
  const url = await ask(
    p.password({ ...io, message: 'Shadow database URL (hidden: it may hold a password)', validate: (value) => postgresUrlProblem((value ?? '').trim()) }),
  );
  return { strategy: 'database', url: url.trim() };
}

function portProblem(value: string): string | undefined {
  return /^\d+$/.test(value) && Number(value) > 0 && Number(value) < 65536 ? undefined : 'A port number, 1-65535';
}
