// A scratch Postgres: the shadow used to normalize desired schemas and to
// prove plans before the target is touched. By default an in-memory PGlite;
// with SHADOW_DATABASE_URL, that database, reset under the rules of
// server-shadow.ts.
import { quoteIdent } from '../dialects/postgres/quote.js';
import type { PgSession } from '../dialects/postgres/session.js';
import { startScratchPglite } from './pglite-template.js';
import { openServerShadow, releaseServerShadow } from './server-shadow.js';
import { recreatePublicSchema, resetDefaultPrivileges } from './roles.js';
import { dropSchemaInBatches } from './drop-schema.js';

export interface ScratchOptions {
  /** The shadow database on a Postgres server (SHADOW_DATABASE_URL); in-memory PGlite when absent. */
  shadowUrl?: string;
  /** Databases the command works on: the shadow must be none of them. */
  protect?: readonly string[];
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
  for (const { nspname } of namespaces) await dropSchemaInBatches(session, nspname);
  await recreatePublicSchema(session);
  await resetDefaultPrivileges(session);
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
  const session = await openServerShadow(options.shadowUrl, options.protect ?? []);
  return {
    session,
    description: `shadow database ${session.description}`,
    release: () => releaseServerShadow(session),
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
