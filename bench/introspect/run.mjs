#!/usr/bin/env node
// Benchmark: lockplane introspect vs pg_dump --schema-only on a 1,000-table
// database. Median wall time and peak RSS of 5 runs each; prints ratios
// (lockplane / pg_dump). Not a test: it asserts nothing.
// Usage: node bench/introspect/run.mjs [--runs N] [--no-build]
// Env: LOCKPLANE_BENCH_DATABASE_URL (admin URL, default the local server).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, FOREIGN_KEYS, TABLES } from './build-schema.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const adminUrl = process.env.LOCKPLANE_BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'lockplane_bench_introspect';
const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 5;
const TIME = '/usr/bin/time';

if (!args.includes('--no-build')) {
  // tsc emits even when some unrelated file fails to typecheck; we only need our files.
  spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
}
const libScript = join(root, 'bench', 'introspect', 'introspect-once.mjs');
if (!existsSync(join(root, 'dist', 'dialects', 'postgres', 'introspect.js'))) {
  console.error('dist/ is missing the introspector: run `npm run build` first');
  process.exit(1);
}

console.log(`building ${TABLES} tables, ${FOREIGN_KEYS} foreign keys in database ${DATABASE} ...`);
const url = await buildSchema(adminUrl, DATABASE);

const candidates = [
  { name: 'pg_dump --schema-only', command: 'pg_dump', args: ['--schema-only', '--no-owner', url] },
  { name: 'lockplane (library)', command: process.execPath, args: [libScript, url] },
];
// The floor any Node.js tool pays: startup and an empty event loop.
candidates.push({ name: 'node (empty process)', command: process.execPath, args: ['-e', ''] });
const cli = join(root, 'dist', 'cli', 'main.js');
if (existsSync(cli)) {
  candidates.push({ name: 'lockplane introspect (CLI)', command: process.execPath, args: [cli, 'introspect', '--db', url] });
} else {
  console.log('(dist/cli/main.js not built: the CLI row is skipped)');
}

const useTime = existsSync(TIME);
if (!useTime) console.log(`(${TIME} not found: peak RSS is not measured)`);

/** One run: wall ms and peak RSS in KiB (from GNU time -v). */
function measure(candidate) {
  const [cmd, cmdArgs] = useTime
    ? [TIME, ['-v', candidate.command, ...candidate.args]]
    : [candidate.command, candidate.args];
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, cmdArgs, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${candidate.name} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  }
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  return { wallMs, rssKb: rss ? Number(rss[1]) : NaN, outBytes: result.stdout.length };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Interleaved, so that a change in machine load hits every tool alike.
for (const candidate of candidates) measure(candidate); // warm-up: page cache, server caches
const samples = candidates.map(() => []);
for (let run = 0; run < RUNS; run++) {
  candidates.forEach((candidate, i) => samples[i].push(measure(candidate)));
}
const results = candidates.map((candidate, i) => ({
  name: candidate.name,
  wallMs: median(samples[i].map((r) => r.wallMs)),
  rssKb: median(samples[i].map((r) => r.rssKb)),
  outBytes: samples[i][0].outBytes,
}));

const base = results[0];
console.log(`\nmedian of ${RUNS} runs, ${TABLES} tables x 10 columns, ${TABLES} secondary indexes, ${FOREIGN_KEYS} FKs\n`);
console.log(['tool'.padEnd(28), 'wall ms'.padStart(9), 'peak RSS MiB'.padStart(13), 'output KiB'.padStart(11), 'wall ratio'.padStart(11), 'RSS ratio'.padStart(10)].join(' '));
for (const r of results) {
  console.log(
    [
      r.name.padEnd(28),
      r.wallMs.toFixed(0).padStart(9),
      (r.rssKb / 1024).toFixed(1).padStart(13),
      (r.outBytes / 1024).toFixed(0).padStart(11),
      (r.wallMs / base.wallMs).toFixed(2).padStart(11),
      (r.rssKb / base.rssKb).toFixed(2).padStart(10),
    ].join(' '),
  );
}
console.log('\nratios are tool / pg_dump: below 1.00 means lockplane is faster / smaller.');

const admin = (await import('pg')).default;
const client = new admin.Client({ connectionString: adminUrl });
await client.connect();
await client.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
await client.end();
