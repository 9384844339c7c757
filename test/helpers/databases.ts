// Real databases for tests: the local Postgres server and in-process PGlite.
// Server tests run when the server is reachable; when it is not they are
// skipped with a visible notice, except under CI=true where they fail.
import { test, type TestContext } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, type PgSession } from '../../src/dialects/postgres/session.js';

export const SERVER_URL = process.env.LOCKPLANE_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

let reachable: Promise<string | null> | undefined;

/** null when reachable, else the reason. */
export function serverProblem(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return null;
    } catch (error) {
      return error instanceof Error ? error.message || String((error as { code?: string }).code) : String(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

let noticePrinted = false;

/** A test that needs the Postgres server. */
export function serverTest(name: string, fn: (t: TestContext) => Promise<void>, options: { timeout?: number } = {}): void {
  test(name, { timeout: options.timeout ?? 120_000 }, async (t) => {
    const problem = await serverProblem();
    if (problem !== null) {
      const message = `Postgres server not reachable at ${SERVER_URL} (${problem}); set LOCKPLANE_TEST_DATABASE_URL`;
      if (process.env.CI === 'true') throw new Error(`${message}. Under CI=true server tests must run.`);
      if (!noticePrinted) {
        noticePrinted = true;
        process.stderr.write(`\n*** NOTICE: ${message}. Server tests are SKIPPED. ***\n\n`);
      }
      t.skip(message);
      return;
    }
    await fn(t);
  });
}

/** URL of the server with another database name. */
export function serverUrlFor(database: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates a fresh database on the server, passes its URL, drops it afterwards. */
export async function withServerDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `lp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  try {
    return await fn(serverUrlFor(name));
  } finally {
    const dropper = new pg.Client({ connectionString: SERVER_URL });
    await dropper.connect();
    try {
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await dropper.end();
    }
  }
}

/** Opens a session on a fresh server database. */
export async function withServerSession<T>(fn: (session: PgSession, url: string) => Promise<T>): Promise<T> {
  return withServerDatabase(async (url) => {
    const session = await connect(url);
    try {
      return await fn(session, url);
    } finally {
      await session.close();
    }
  });
}

/** Opens a fresh in-memory PGlite. */
export async function withPglite<T>(fn: (session: PgSession) => Promise<T>): Promise<T> {
  const session = await connect('pglite://memory');
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
