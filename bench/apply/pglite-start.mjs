// How long the default shadow takes to start: an in-memory PGlite from the
// saved data-directory template (.lockplane/cache, made on first use), then
// closed. Prints the milliseconds of the start alone.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { startScratchPglite } = await import(join(root, 'dist', 'shadow', 'pglite-template.js'));
const start = process.hrtime.bigint();
const session = await startScratchPglite();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
await session.close();
process.stdout.write(`${ms}\n`);
