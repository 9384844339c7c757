// The shadow workflow for ORMs: `prepare` hands out a clean shadow database
// (an ORM creates its tables there), `diff` plans from the environment's
// database to that shadow, `release` gives it back. The shadow is either the
// environment's SHADOW_DATABASE_URL, reset under the rules of
// server-shadow.ts, or the embedded PGlite served by a background process.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, LockplaneError } from '../errors.js';
import { checkPgliteServer, pgliteServerUrl, startPgliteServer, stopPgliteServer, type PgliteServer } from './pglite-server.js';
import { readReservation, removeReservation, reservationPath, writeReservation, type Reservation } from './reservation.js';
import { openServerShadow } from './server-shadow.js';

export interface PrepareOptions {
  /** The directory holding `.lockplane/` (lockplane.toml's, else the current one). */
  projectDir: string;
  environment: string;
  /** The environment's database: the shadow must never be it. */
  databaseUrl: string;
  /** SHADOW_DATABASE_URL; the embedded shadow when absent. */
  shadowUrl?: string;
  /** Replace an existing reservation. */
  force?: boolean;
}

export interface ReleaseResult {
  reservation?: Reservation;
  /** Set when the reservation had a background server: whether it was still running. */
  serverWasRunning?: boolean;
}

export async function prepareShadow(options: PrepareOptions): Promise<Reservation> {
  const existing = readReservation(options.projectDir);
  if (existing && !options.force) {
    const hung = existing.server ? await hungReason(existing.server) : undefined;
    throw new LockplaneError(
      `a shadow is already reserved for environment "${existing.environment}" since ${existing.created_at} ` +
        `(${reservationPath(options.projectDir)})${hung ? `, and ${hung}` : ''}; ` +
        'run `lockplane shadow release` first, or pass --force to replace it',
    );
  }
  if (existing) await releaseShadow(options.projectDir);
  const created_at = new Date().toISOString();
  const base = { environment: options.environment, created_at };
  let reservation: Reservation;
  if (options.shadowUrl) {
    const session = await openServerShadow(options.shadowUrl, [options.databaseUrl]);
    await session.close();
    reservation = { shadow_url: options.shadowUrl, ...base };
  } else {
    const server = await startPgliteServer(stateDir(options.projectDir));
    reservation = { shadow_url: pgliteServerUrl(server.port), ...base, server };
  }
  writeReservation(options.projectDir, reservation);
  return reservation;
}

/** The reservation `shadow diff` works on; fails clearly when there is none or its server died. */
export async function reservedShadow(projectDir: string): Promise<Reservation> {
  const reservation = readReservation(projectDir);
  if (!reservation) {
    throw new InputError(`no shadow is reserved (${reservationPath(projectDir)} does not exist): run \`lockplane shadow prepare\` first`);
  }
  const hung = reservation.server ? await hungReason(reservation.server) : undefined;
  if (hung) {
    throw new LockplaneError(
      `the embedded shadow reserved for environment "${reservation.environment}" at ${reservation.created_at} is gone: ${hung}; ` +
        'run `lockplane shadow release`, then `lockplane shadow prepare` again',
    );
  }
  return reservation;
}

/** Removes the reservation and stops its background server; nothing to do is fine. */
export async function releaseShadow(projectDir: string): Promise<ReleaseResult> {
  let reservation: Reservation | undefined;
  try {
    reservation = readReservation(projectDir);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    removeReservation(projectDir); // unreadable: nothing in it can be stopped
    return {};
  }
  if (!reservation) return {};
  let serverWasRunning: boolean | undefined;
  if (reservation.server) {
    serverWasRunning = await stopPgliteServer(reservation.server);
    rmSync(reservation.server.data_dir, { recursive: true, force: true });
  }
  removeReservation(projectDir);
  return { reservation, ...(serverWasRunning === undefined ? {} : { serverWasRunning }) };
}

/** Why the reservation's background server cannot be used, or undefined when it can. */
export async function hungReason(server: PgliteServer): Promise<string | undefined> {
  const health = await checkPgliteServer(server);
  return health.ok ? undefined : `its background server died (${health.reason})`;
}

function stateDir(projectDir: string): string {
  return join(projectDir, '.lockplane');
}
