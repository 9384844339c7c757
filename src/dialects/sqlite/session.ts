// One open SQLite / libSQL database through @libsql/client: file, :memory:
// or remote. One connection (concurrency 1), so a PRAGMA set before a
// transaction holds inside it, and a busy timeout so a concurrent writer makes
// us wait a bounded time and then fail with SQLITE_BUSY.
import type { Client, InValue, Transaction } from '@libsql/client';
import { LockplaneError, redact } from '../../errors.js';
import { locate, type SqliteLocation } from './connection.js';

export type Row = Record<string, unknown>;

export interface SqliteSession {
  readonly description: string;
  readonly location: SqliteLocation;
  query(sql: string, args?: InValue[]): Promise<Row[]>;
  exec(sql: string): Promise<void>;
  /**
   * PRAGMA foreign_keys=OFF, then the statements in one transaction, then
   * foreign keys on again — all on one connection or stream, which is how a
   * remote libSQL server can run a table rebuild.
   */
  runWithoutForeignKeys(statements: string[]): Promise<void>;
  /** Runs `body` in BEGIN IMMEDIATE … COMMIT (rolled back when it throws). */
  transaction<T>(body: (tx: SqliteQueries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SqliteQueries {
  query(sql: string, args?: InValue[]): Promise<Row[]>;
  exec(sql: string): Promise<void>;
}

export interface OpenOptions {
  /** How long to wait for another writer's lock (ms); default 5000. */
  busyTimeoutMs?: number;
}

export async function openSqlite(spec: string, options: OpenOptions = {}): Promise<SqliteSession> {
  const location = locate(spec);
  const connect = async (): Promise<Client> => {
    try {
      // Loaded when a SQLite database is opened: Postgres commands never pay for the native module.
      const { createClient } = await import('@libsql/client');
      const client = createClient({
        url: location.clientUrl,
        ...(location.authToken ? { authToken: location.authToken } : {}),
        concurrency: 1,
        intMode: 'bigint',
        timeout: options.busyTimeoutMs ?? 5000,
      });
      await client.execute('SELECT 1');
      return client;
    } catch (error) {
      throw new LockplaneError(`${location.description}: cannot open: ${sqliteErrorText(error)}`, undefined, { cause: error });
    }
  };
  let client = await connect();
  return {
    description: location.description,
    location,
    query: (sql, args) => queriesOf(client).query(sql, args),
    exec: (sql) => queriesOf(client).exec(sql),
    async runWithoutForeignKeys(statements) {
      await client.migrate(statements.map((sql) => ({ sql, args: [] })));
    },
    async transaction(body) {
      let tx: Transaction;
      try {
        tx = await client.transaction('write');
      } catch (error) {
        // A BEGIN that timed out on SQLITE_BUSY leaves the connection unable to commit later: start afresh.
        if (isBusy(error)) {
          client.close();
          client = await connect();
        }
        throw error;
      }
      try {
        const result = await body(queriesOf(tx));
        await tx.commit();
        return result;
      } catch (error) {
        await tx.rollback().catch(() => undefined);
        throw error;
      } finally {
        tx.close();
      }
    },
    async close() {
      client.close();
    },
  };
}

function queriesOf(target: Client | Transaction): SqliteQueries {
  return {
    query: async (sql, args = []) => (await target.execute({ sql, args })).rows.map((r) => ({ ...r }) as Row),
    exec: async (sql) => {
      await target.execute(sql);
    },
  };
}

/** The driver's message without the token and without its wrapping noise. */
export function sqliteErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redact(message.replace(/^SQLITE_[A-Z_]+: /, ''));
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: string; rawCode?: number } | undefined)?.code ?? '';
  return /SQLITE_BUSY|SQLITE_LOCKED/.test(code) || /database is locked/i.test(String((error as Error)?.message));
}
