// A scratch Postgres: a throwaway database used to normalize desired schemas
// and to try plans before the target is touched. By default it is an
// in-memory PGlite. With SHADOW_DATABASE_URL it is a brand-new database
// created on that server and dropped afterwards, so nothing that already
// exists there is ever touched.
import { randomBytes } from 'node:crypto';
import { LockplaneError } from '../errors.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import { connect, errorText, type PgSession } from '../dialects/postgres/session.js';
import { startScratchPglite } from './pglite-template.js';

export interface ScratchOptions {
  /** A Postgres server URL to create the scratch database on; PGlite when absent. */
  shadowUrl?: string;
}

export interface Scratch {
  session: PgSession;
  description: string;
  release(): Promise<void>;
}

// Starting PGlite costs seconds and hundreds of megabytes, so one process
// keeps one idle in-memory instance and empties it between uses.
let idle: PgSession | undefined;

async function emptyDatabase(session: PgSession): Promise<void> {
  await session.exec('ROLLBACK').catch(() => undefined);
  const namespaces = await session.query<{ nspname: string }>(
    `SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'`,
  );
  for (const { nspname } of namespaces) await session.exec(`DROP SCHEMA ${quoteIdent(nspname)} CASCADE`);
  await session.exec('CREATE SCHEMA public');
}

async function openPgliteScratch(): Promise<Scratch> {
  const reused = idle;
  idle = undefined;
  const session = reused ?? (await startScratchPglite());
  return {
    session,
    description: 'embedded PGlite (in memory)',
    async release() {
      try {
        await emptyDatabase(session);
      } catch {
        await session.close();
        return;
      }
      if (idle) await session.close();
      else idle = session;
    },
  };
}

/** Closes the idle scratch instance; call before the process ends. */
export async function closeIdleScratch(): Promise<void> {
  const session = idle;
  idle = undefined;
  await session?.close();
}

export async function openScratch(options: ScratchOptions = {}): Promise<Scratch> {
  if (!options.shadowUrl) return openPgliteScratch();
  const admin = await connect(options.shadowUrl);
  const name = `lockplane_scratch_${randomBytes(6).toString('hex')}`;
  try {
    await admin.exec(`CREATE DATABASE ${quoteIdent(name)}`);
  } catch (error) {
    await admin.close();
    throw new LockplaneError(
      `cannot create a scratch database on the shadow server ${admin.description}: ${errorText(error)} (the role needs CREATEDB)`,
    );
  }
  const url = new URL(options.shadowUrl);
  url.pathname = `/${name}`;
  let session: PgSession;
  try {
    session = await connect(url.toString());
  } catch (error) {
    await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`).catch(() => undefined);
    await admin.close();
    throw error;
  }
  return {
    session,
    description: `scratch database ${name} on ${admin.description}`,
    async release() {
      await session.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(() => undefined);
      await admin.close();
    },
  };
}

export async function withScratch<T>(options: ScratchOptions, fn: (session: PgSession) => Promise<T>): Promise<T> {
  const scratch = await openScratch(options);
  try {
    return await fn(scratch.session);
  } finally {
    await scratch.release();
  }
}
