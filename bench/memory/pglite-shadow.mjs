// What the embedded PGlite shadow costs in memory, and what dominates it:
// process.memoryUsage() after each stage (importing PGlite, starting it from
// the saved data-directory template, running a schema's SQL, introspecting
// it), and the size of the WebAssembly linear memory that holds Postgres.
// Prints one JSON object. Run with cwd = a directory whose .lockplane/cache
// has (or will get) the template.
// Usage: node bench/memory/pglite-shadow.mjs SQL_FILE
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sqlFile = process.argv[2];
if (!sqlFile) throw new Error('usage: pglite-shadow.mjs SQL_FILE');

// Every WebAssembly memory created from here on, to read its size later.
const memories = new Set();
const remember = (result) => {
  const instance = result.instance ?? result;
  for (const value of Object.values(instance.exports ?? {})) if (value instanceof WebAssembly.Memory) memories.add(value);
  return result;
};
const Memory = WebAssembly.Memory;
WebAssembly.Memory = class extends Memory {
  constructor(descriptor) {
    super(descriptor);
    memories.add(this);
  }
};
const { instantiate, instantiateStreaming } = WebAssembly;
WebAssembly.instantiate = (...args) => instantiate(...args).then(remember);
if (instantiateStreaming) WebAssembly.instantiateStreaming = (...args) => instantiateStreaming(...args).then(remember);

const MiB = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
const stages = [];
const mark = (stage) => {
  const m = process.memoryUsage();
  stages.push({
    stage,
    rssMiB: MiB(m.rss),
    heapUsedMiB: MiB(m.heapUsed),
    externalMiB: MiB(m.external),
    arrayBuffersMiB: MiB(m.arrayBuffers),
    wasmMemoryMiB: MiB([...memories].reduce((sum, mem) => sum + mem.buffer.byteLength, 0)),
  });
};

mark('node started');
await import('@electric-sql/pglite');
mark('PGlite imported');
const { startScratchPglite } = await import(join(root, 'dist', 'shadow', 'pglite-template.js'));
const { introspect } = await import(join(root, 'dist', 'dialects', 'postgres', 'introspect.js'));
const start = process.hrtime.bigint();
const session = await startScratchPglite();
const startMs = Number(process.hrtime.bigint() - start) / 1e6;
mark('PGlite started (from the template)');
await session.exec(readFileSync(sqlFile, 'utf8'));
mark('schema SQL executed');
const schema = await introspect(session);
mark(`introspected (${schema.tables.length} tables)`);
await session.close();
process.stdout.write(`${JSON.stringify({ startMs: Math.round(startMs), stages })}\n`);
