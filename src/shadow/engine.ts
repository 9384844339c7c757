// Identifies the engine that normalizes desired schemas, so cached results
// are never reused across engine or Lockplane versions.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { redact } from '../errors.js';
import { lockplaneVersion } from '../version.js';

let pgliteVersion: string | undefined;

/** The Postgres major version of the embedded PGlite (a test checks it against the engine itself). */
export const EMBEDDED_POSTGRES_MAJOR = 18;

/** Bumped whenever normalization changes what it produces (2: CHECKs settled, see settle.ts). */
const NORMALIZATION_REVISION = 2;

export function engineFingerprint(shadowUrl?: string): string {
  const ours = `${lockplaneVersion()}:n${NORMALIZATION_REVISION}`;
  if (shadowUrl) return `server:${redact(shadowUrl)}:${ours}`;
  return `pglite:${embeddedVersion()}:${ours}`;
}

/** The installed PGlite package version. */
export function embeddedVersion(): string {
  pgliteVersion ??= readPgliteVersion();
  return pgliteVersion;
}

function readPgliteVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const main = require.resolve('@electric-sql/pglite');
    const root = main.slice(0, main.lastIndexOf('node_modules/@electric-sql/pglite') + 'node_modules/@electric-sql/pglite'.length);
    return (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
