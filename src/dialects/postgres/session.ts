// One interface over the two ways we reach Postgres: a server (node-postgres,
// one pinned connection) and the embedded PGlite. Everything above this file
// talks to a PgSession and never knows which one it has.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { InputError, LockplaneError, redact } from '../../errors.js';
import { lockPgliteDirectory } from './pglite-lock.js';

export interface PgSession {
  readonly kind: 'server' | 'pglite';
  /** Where it points, safe to print (no password). */
  readonly description: string;
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs one or more statements with the simple protocol. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export type PgTarget =
  | { kind: 'server'; url: string }
  | { kind: 'pglite'; path: string | null };

/** Parses a database URL; throws InputError (exit 2) for anything we cannot use. */
export function parseDatabaseUrl(url: string): PgTarget {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    try {
      new URL(trimmed);
    } catch {
      throw new InputError(`invalid database URL: ${redact(trimmed)}`);
    }
    return { kind: 'server', url: trimmed };
  }
  const pglite = /^pglite:\/\/(.*)$/i.exec(trimmed);
  if (pglite) {
    const rest = pglite[1] ?? '';
    if (rest === '' ) throw new InputError(`invalid database URL: ${trimmed} (use pglite://memory or pglite://PATH)`);
    return { kind: 'pglite', path: rest === 'memory' ? null : rest };
  }
  throw new InputError(
    `unsupported database URL: ${redact(trimmed)} (expected postgres://, postgresql://, pglite://PATH or pglite://memory)`,
  );
}

export function describeTarget(target: PgTarget): string {
  if (target.kind === 'server') return redact(target.url);
  return target.path === null ? 'pglite://memory' : `pglite://${target.path}`;
}

export async function connect(url: string): Promise<PgSession> {
  return connectTarget(parseDatabaseUrl(url));
}

export async function connectTarget(target: PgTarget): Promise<PgSession> {
  return target.kind === 'server' ? connectServer(target.url) : openPglite(target.path);
}

/**
 * node-postgres, loaded on the first server connection. At import it asks
 * whether it runs in a Cloudflare Worker: with no global `navigator` (Node.js
 * 20) by building a `Response`, which loads Node's bundled undici, ~30-90 ms
 * of start-up for nothing. A `navigator` that says Node.js, present only for
 * the import, answers it first.
 */
let pgModule: Promise<typeof pg> | undefined;
export function loadPg(): Promise<typeof pg> {
  pgModule ??= (async () => {
    const shim = !('navigator' in globalThis);
    if (shim) Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node}` }, configurable: true });
    try {
      return (await import('pg')).default;
    } finally {
      if (shim) delete (globalThis as { navigator?: unknown }).navigator;
    }
  })();
  return pgModule;
}

async function connectServer(url: string): Promise<PgSession> {
  const description = redact(url);
  const { Client } = await loadPg();
  const client = new Client({ connectionString: url, application_name: 'lockplane' });
  // An idle connection that the server drops must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new LockplaneError(`cannot connect to ${description}: ${errorText(error)}`, 1, { cause: error });
  }
  const send = inTurn(client);
  return {
    kind: 'server',
    description,
    async query<R extends object>(sql: string, params?: unknown[]) {
      return (await send(sql, params)).rows as R[];
    },
    async exec(sql: string) {
      await send(sql);
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * Runs the queries a caller sends while another is running one after the
 * other. node-pg queues them too but deprecates it (a warning on stderr, gone
 * in pg 9). The next is sent from the previous one's completion callback,
 * before its caller sees the rows: the server runs a queue back to back while
 * the client turns rows into objects (introspection sends all its queries at
 * once).
 */
function inTurn(client: pg.Client): (sql: string, params?: unknown[]) => Promise<pg.QueryResult> {
  const waiting: (() => void)[] = [];
  let running = false;
  return (sql, params) =>
    new Promise((resolve, reject) => {
      const start = (): void => {
        running = true;
        const done = (error: Error | null, result: pg.QueryResult): void => {
          running = false;
          waiting.shift()?.();
          if (error) reject(error);
          else resolve(result);
        };
        if (params === undefined) client.query(sql, done);
        else client.query(sql, params, done);
      };
      if (running) waiting.push(start);
      else start();
    });
}

export interface MemoryPglite {
  session: PgSession;
  /** A tarball of the data directory as it is now, to start later instances from. */
  dumpDataDir(): Promise<Uint8Array>;
}

/**
 * An in-memory PGlite, started from a data-directory tarball when one is
 * given: that skips initdb, which costs seconds and half the memory.
 */
export async function openMemoryPglite(template?: Uint8Array): Promise<MemoryPglite> {
  let db: PGlite;
  try {
    const PGlite = await loadPglite();
    db = template ? new PGlite({ loadDataDir: new Blob([template]) }) : new PGlite();
    await db.waitReady;
  } catch (error) {
    throw new LockplaneError(`cannot start the embedded PGlite: ${errorText(error)}`, 1, { cause: error });
  }
  return {
    session: pgliteSession(db, 'pglite://memory'),
    async dumpDataDir() {
      const blob = await db.dumpDataDir('gzip');
      return new Uint8Array(await blob.arrayBuffer());
    },
  };
}

/** PGlite's module is loaded on first use: a command that only talks to a server does not pay for it. */
async function loadPglite(): Promise<typeof PGlite> {
  return (await import('@electric-sql/pglite')).PGlite;
}

async function openPglite(path: string | null): Promise<PgSession> {
  const description = path === null ? 'pglite://memory' : `pglite://${path}`;
  let db: PGlite;
  let unlock = (): void => undefined;
  try {
    if (path !== null) {
      mkdirSync(resolve(path), { recursive: true });
      unlock = lockPgliteDirectory(resolve(path));
    }
    const PGlite = await loadPglite();
    db = path === null ? new PGlite() : new PGlite(resolve(path));
    await db.waitReady;
  } catch (error) {
    unlock();
    if (error instanceof LockplaneError) throw error;
    throw new LockplaneError(`cannot open ${description}: ${errorText(error)}`, 1, { cause: error });
  }
  return pgliteSession(db, description, unlock);
}

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || (typeof code === 'string' ? code : error.name);
    return redact(message);
  }
  return redact(String(error));
}

function pgliteSession(db: PGlite, description: string, onClose: () => void = () => undefined): PgSession {
  return {
    kind: 'pglite',
    description,
    async query<R extends object>(sql: string, params?: unknown[]) {
      const result = await db.query<R>(sql, params);
      return result.rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async close() {
      await db.close().catch(() => undefined);
      onClose();
    },
  };
}
