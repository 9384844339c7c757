// The shadow reservation `.lockplane/shadow.json` (mode 0600: it holds the
// shadow's URL, with its credentials). Written by `shadow prepare`, read by
// `shadow diff`, removed by `shadow release`.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { PgliteServer } from './pglite-server.js';

export const RESERVATION_FILE = join('.lockplane', 'shadow.json');

/** What `shadow prepare` prints: the original's reservation fields. */
export interface ShadowHandle {
  shadow_url: string;
  shadow_schema?: string;
  environment: string;
  created_at: string;
}

export interface Reservation extends ShadowHandle {
  /** The background server of the embedded shadow, when that is the shadow. */
  server?: PgliteServer;
}

export function reservationPath(projectDir: string): string {
  return join(projectDir, RESERVATION_FILE);
}

export function readReservation(projectDir: string): Reservation | undefined {
  const path = reservationPath(projectDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON (${(error as Error).message}); remove it with \`lockplane shadow release\``);
  }
  if (!isReservation(value)) throw new InputError(`${path}: not a shadow reservation; remove it with \`lockplane shadow release\``);
  return value;
}

export function writeReservation(projectDir: string, reservation: Reservation): void {
  const path = reservationPath(projectDir);
  mkdirSync(join(projectDir, '.lockplane'), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(reservation, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

export function removeReservation(projectDir: string): void {
  rmSync(reservationPath(projectDir), { force: true });
}

export function handleOf(reservation: Reservation): ShadowHandle {
  const { shadow_url, shadow_schema, environment, created_at } = reservation;
  return { shadow_url, ...(shadow_schema ? { shadow_schema } : {}), environment, created_at };
}

function isReservation(value: unknown): value is Reservation {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const server = r.server as Record<string, unknown> | undefined;
  return (
    typeof r.shadow_url === 'string' &&
    typeof r.environment === 'string' &&
    typeof r.created_at === 'string' &&
    (r.shadow_schema === undefined || typeof r.shadow_schema === 'string') &&
    (server === undefined || (typeof server === 'object' && typeof server.pid === 'number' && typeof server.port === 'number'))
  );
}
