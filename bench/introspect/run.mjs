#!/usr/bin/env node
// Benchmark: lockplane introspect vs pg_dump --schema-only on a database of
// 1,000 tables, 500 views, 500 functions, 200 policies and 100 enums.
// Median wall time and peak RSS of 5 runs each; prints ratios (tool /
// pg_dump). Not a test: it asserts nothing.
// Usage: node bench/introspect/run.mjs [--runs N] [--no-build]
// Env: LOCKPLANE_BENCH_DATABASE_URL (admin URL, default the local server).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { adminQuery, buildSchema, quoteIdent, SUMMARY } from './build-schema.mjs';
import { adminUrl, benchmark, benchOptions, cliPath, printResults, root } from '../harness.mjs';

const DATABASE = 'lockplane_bench_introspect';
const { runs } = benchOptions();
const libScript = join(root, 'bench', 'introspect', 'introspect-once.mjs');
if (!existsSync(join(root, 'dist', 'dialects', 'postgres', 'introspect.js'))) {
  console.error('dist/ is missing the introspector: run `npm run build` first');
  process.exit(1);
}

console.log(`building ${SUMMARY} in database ${DATABASE} ...`);
const url = await buildSchema(adminUrl, DATABASE);

const candidates = [
  { name: 'pg_dump --schema-only', command: 'pg_dump', args: ['--schema-only', '--no-owner', url] },
  { name: 'lockplane (library)', command: process.execPath, args: [libScript, url] },
  // The floor any Node.js tool pays: startup and an empty event loop.
  { name: 'node (empty process)', command: process.execPath, args: ['-e', ''] },
];
if (existsSync(cliPath)) {
  candidates.push({ name: 'lockplane introspect (CLI)', command: process.execPath, args: [cliPath, 'introspect', '--db', url] });
} else {
  console.log('(dist/bin/lockplane.js not built: the CLI row is skipped)');
}

printResults(benchmark(candidates, runs), `median of ${runs} runs; ${SUMMARY}`);
await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(DATABASE)} WITH (FORCE)`);
