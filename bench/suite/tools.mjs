// The command line of every tool the suite runs, as harness candidates
// (`{ name, command, args, ... }`): Lockplane from the repository's dist/,
// the peers from bench/node_modules, pg_dump from the PATH.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, root } from '../harness.mjs';

export const benchDir = join(root, 'bench');
export const workDir = join(benchDir, '.work');

const packageDir = (pkg) => join(benchDir, 'node_modules', pkg);
/** A package's bin script, run with this Node (npx would add ~300 ms of its own). */
const bin = (pkg, script) => join(packageDir(pkg), script);

export function peersInstalled() {
  return existsSync(join(benchDir, 'node_modules', '@supabase', 'pg-delta'));
}

const node = process.execPath;
const pgdeltaBin = () => bin('@supabase/pg-delta', 'dist/cli/main.js');
const migraBin = () => bin('@pgkit/migra', 'dist/command.js');
const drizzleBin = () => bin('drizzle-kit', 'bin.cjs');

export const lockplane = (args, extra = {}) => ({ command: node, args: [cliPath, ...args], ...extra });
export const pgDump = (url) => ({ command: 'pg_dump', args: ['--schema-only', '--no-owner', url] });
export const pgdelta = (args) => ({ command: node, args: [pgdeltaBin(), ...args] });
export const migra = (from, to) => ({ command: node, args: [migraBin(), from, to, '--unsafe'] });
export const migraInspect = (url) => ({ command: node, args: [join(benchDir, 'peers', 'migra-inspect.cjs'), url] });
export const drizzleKit = (args) => ({ command: node, args: [drizzleBin(), ...args] });
export const nodeFloor = () => ({ command: node, args: ['-e', '0'] });
export const pgliteShadow = (sqlFile) => ({ command: node, args: [join(benchDir, 'memory', 'pglite-shadow.mjs'), sqlFile] });

/** The version of an installed peer, for the report. */
export function peerVersion(pkg) {
  try {
    return JSON.parse(readFileSync(join(packageDir(pkg), 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}
