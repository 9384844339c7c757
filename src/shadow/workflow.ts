// The shadow workflow for ORMs: `prepare` hands out a clean shadow database
// (an ORM creates its tables there), `diff` plans from the environment's
// database to that shadow, `release` gives it back. The shadow is either the
// environment's SHADOW_DATABASE_URL, reset under the rules of
// server-shadow.ts, or the embedded PGlite served by a background process.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, LockplaneError, redact } from '../errors.js';
import { connect } from '../dialects/postgres/session.js';
import type { Schema } from '../schema/types.js';
import { checkPgliteServer, pgliteServerUrl, startPgliteServer, stopPgliteServer, type PgliteServer } from './pglite-server.js';
import { readReservation, removeReservation, reservationPath, writeReservation, type Reservation } from './reservation.js';
import { openServerShadow } from './server-shadow.js';
import { checkShadowSchemaName, rehomeSchema, resetShadowSchema, shadowSchemaUrl } from './shadow-schema.js';
import { loadSource } from './sources.js';

export interface PrepareOptions {
  /** The directory holding `.lockplane/` (lockplane.toml's, else the current one). */
  projectDir: string;
  environment: string;
  /** The environment's database: the shadow must never be it. */
  databaseUrl: string;
  /** SHADOW_DATABASE_URL; the embedded shadow when absent (and no shadowSchema). */
  shadowUrl?: string;
  /** SHADOW_SCHEMA: the shadow is this schema in shadowUrl's database, else in the environment's. */
  shadowSchema?: string;
  /** The schemas the environment manages (lockplane.toml `schemas`). */
  managedSchemas?: string[];
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
  if (options.shadowSchema) {
    reservation = { ...(await prepareSchemaShadow(options, options.shadowSchema)), ...base };
  } else if (options.shadowUrl) {
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

async function prepareSchemaShadow(options: PrepareOptions, name: string): Promise<Pick<Reservation, 'shadow_url' | 'shadow_schema'>> {
  const databaseUrl = options.shadowUrl ?? options.databaseUrl;
  if (!/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    throw new InputError(`SHADOW_SCHEMA ${name}: a shadow schema needs a Postgres server database an ORM can reach, not ${redact(databaseUrl)}`);
  }
  const managed = options.managedSchemas ?? [];
  checkShadowSchemaName(name, managed);
  if (!options.shadowUrl && managed.length === 0) {
    throw new InputError(
      `SHADOW_SCHEMA ${name} lives in the environment's own database: list the schemas it manages in lockplane.toml ` +
        '(schemas = ["public"]) so the shadow schema is never read as part of it',
    );
  }
  const session = await connect(databaseUrl);
  try {
    await resetShadowSchema(session, name);
  } finally {
    await session.close();
  }
  return { shadow_url: shadowSchemaUrl(databaseUrl, name), shadow_schema: name };
}

/** The reserved shadow's schema as `shadow diff` compares it: a shadow schema is read as the managed one. */
export async function loadReservedShadow(reservation: Reservation, targetSide: Schema, schemas?: string[]): Promise<Schema> {
  const name = reservation.shadow_schema;
  if (!name) return (await loadSource(reservation.shadow_url, schemas ? { schemas } : {})).schema;
  const shadow = (await loadSource(reservation.shadow_url, { schemas: [name] })).schema;
  return rehomeSchema(shadow, name, schemas?.length === 1 ? schemas[0]! : 'public', targetSide);
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
      `the embedded shadow reserved for environment "${reservation.environment}" at ${reservation.created_at} cannot be used: ${hung}; ` +
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
  return health.ok ? undefined : `its background server ${health.reason}`;
}

function stateDir(projectDir: string): string {
  return join(projectDir, '.lockplane');
}
