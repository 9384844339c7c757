// Starting an in-memory PGlite runs initdb: ~2 s and ~400 MB more than
// starting from a saved data directory. The first start saves a pristine data
// directory under .lockplane/cache/; later ones load it.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openMemoryPglite, type PgSession } from '../dialects/postgres/session.js';
import { embeddedVersion } from './engine.js';

export const TEMPLATE_DIR = join('.lockplane', 'cache');

function templatePath(): string {
  return join(TEMPLATE_DIR, `pglite-${embeddedVersion()}-datadir.tar.gz`);
}

export async function startScratchPglite(): Promise<PgSession> {
  const file = templatePath();
  const template = readOptional(file);
  if (template) {
    try {
      return (await openMemoryPglite(template)).session;
    } catch {
      // An unusable template is rebuilt below.
    }
  }
  const fresh = await openMemoryPglite();
  try {
    const data = await fresh.dumpDataDir();
    mkdirSync(TEMPLATE_DIR, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch {
    // Without a writable cache every start pays initdb; nothing else changes.
  }
  return fresh.session;
}

function readOptional(file: string): Uint8Array | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
