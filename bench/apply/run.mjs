#!/usr/bin/env node
// Benchmark: the cost of proving a plan and of the ledger, for a 50-step plan
// on the local server. Each row is a fresh `lockplane apply` process on a
// fresh copy of the source database (CREATE DATABASE … TEMPLATE), runs
// interleaved, medians of N. Not a test: it asserts nothing.
// Usage: node bench/apply/run.mjs [--runs N] [--no-build]
// Env: LOCKPLANE_BENCH_DATABASE_URL (admin URL, default the local server).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const adminUrl = process.env.LOCKPLANE_BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 5;
const TIME = '/usr/bin/time';
const TABLES = 10; // 10 new tables, 10 added columns, 10 indexes, 10 foreign keys, 10 comments: 50 steps
const DB = { source: 'lockplane_bench_apply_source', desired: 'lockplane_bench_apply_desired', shadow: 'lockplane_bench_apply_shadow', target: 'lockplane_bench_apply_target' };

if (!args.includes('--no-build')) spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
const cli = join(root, 'dist', 'bin', 'lockplane.js');
if (!existsSync(cli)) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
const urlOf = (name) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();

async function recreate(name, template) {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
}

async function exec(name, sql) {
  const c = new pg.Client({ connectionString: urlOf(name) });
  await c.connect();
  await c.query(sql);
  await c.end();
}

const t = (i) => `t${String(i).padStart(2, '0')}`;
const n = (i) => `n${String(i).padStart(2, '0')}`;
let base = '';
let desired = '';
for (let i = 0; i < TABLES; i++) {
  base += `CREATE TABLE ${t(i)} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);\n`;
  desired += `CREATE TABLE ${t(i)} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, extra integer);\n`;
  desired += `COMMENT ON TABLE ${t(i)} IS 'table ${i}';\n`;
  desired += `CREATE TABLE ${n(i)} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ${t(i)}_id bigint NOT NULL REFERENCES ${t(i)} (id), body text, created_at timestamptz NOT NULL DEFAULT now());\n`;
  desired += `CREATE INDEX ${n(i)}_${t(i)}_id_idx ON ${n(i)} (${t(i)}_id);\n`;
}
await recreate(DB.source);
await exec(DB.source, base);
await recreate(DB.desired);
await exec(DB.desired, desired);
await recreate(DB.shadow);

const dir = mkdtempSync(join(tmpdir(), 'lockplane-bench-apply-'));
writeFileSync(join(dir, 'package.json'), '{}');
const planned = spawnSync(process.execPath, [cli, 'plan', '--from', urlOf(DB.source), '--to', urlOf(DB.desired)], { cwd: dir, encoding: 'utf8' });
if (planned.status !== 0) throw new Error(planned.stderr);
const planPath = join(dir, 'plan.json');
writeFileSync(planPath, planned.stdout);
const steps = JSON.parse(planned.stdout).steps.length;

const env = (extra) => {
  const e = { ...process.env, NO_COLOR: '1', ...extra };
  for (const k of ['DATABASE_URL', 'SHADOW_DATABASE_URL', 'SHADOW_SCHEMA']) if (!(k in extra)) delete e[k];
  return e;
};
const apply = (extra, ...flags) => ({ command: process.execPath, args: [cli, 'apply', planPath, '--target', urlOf(DB.target), '--auto-approve', ...flags], env: env(extra) });
const once = (mode) => ({ command: process.execPath, args: [join(root, 'bench', 'apply', 'apply-once.mjs'), mode, urlOf(DB.target), planPath], env: env({}), inner: true });
const candidates = [
  { name: 'apply --skip-shadow', ...apply({}, '--skip-shadow') },
  { name: 'apply, server shadow', ...apply({ SHADOW_DATABASE_URL: urlOf(DB.shadow) }) },
  { name: 'apply, PGlite shadow', ...apply({}) },
  { name: 'steps only (executePlan)', ...once('execute') },
  { name: 'steps + lock + ledger', ...once('target') },
  { name: 'PGlite shadow start only', command: process.execPath, args: [join(root, 'bench', 'apply', 'pglite-start.mjs')], env: env({}), inner: true },
];

const useTime = existsSync(TIME);
async function measure(candidate) {
  await recreate(DB.target, DB.source);
  const [cmd, cmdArgs] = useTime ? [TIME, ['-v', candidate.command, ...candidate.args]] : [candidate.command, candidate.args];
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, cmdArgs, { cwd: dir, env: candidate.env, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${candidate.name} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  return { wallMs: candidate.inner ? Number(result.stdout.trim()) : wallMs, rssKb: rss ? Number(rss[1]) : NaN };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

for (const c of candidates) await measure(c); // warm-up: page cache, PGlite template under .lockplane/cache
const samples = candidates.map(() => []);
for (let run = 0; run < RUNS; run++) for (const [i, c] of candidates.entries()) samples[i].push(await measure(c));
const results = candidates.map((c, i) => ({ name: c.name, inner: Boolean(c.inner), wallMs: median(samples[i].map((r) => r.wallMs)), rssKb: median(samples[i].map((r) => r.rssKb)) }));

const [skip, server, pglite, stepsOnly, withLedger, pgliteStart] = results;
console.log(`\n${steps}-step plan, median of ${RUNS} runs (each on a fresh copy of the source database)\n`);
console.log(['row'.padEnd(28), 'wall ms'.padStart(9), 'peak RSS MiB'.padStart(13), 'ratio'.padStart(7)].join(' '));
for (const r of results) {
  const ratio = r === pgliteStart ? NaN : r.inner ? r.wallMs / stepsOnly.wallMs : r.wallMs / skip.wallMs;
  console.log([r.name.padEnd(28), r.wallMs.toFixed(0).padStart(9), (r.rssKb / 1024).toFixed(1).padStart(13), (Number.isNaN(ratio) ? '-' : ratio.toFixed(2)).padStart(7)].join(' '));
}
console.log('\nratios: CLI rows / apply --skip-shadow; in-process rows / steps only');
console.log(`proving on the server shadow adds ${(server.wallMs - skip.wallMs).toFixed(0)} ms; on PGlite ${(pglite.wallMs - skip.wallMs).toFixed(0)} ms, of which ${pgliteStart.wallMs.toFixed(0)} ms is starting PGlite`);
console.log(`lock + ledger + per-group hashes add ${(withLedger.wallMs - stepsOnly.wallMs).toFixed(0)} ms to the ${stepsOnly.wallMs.toFixed(0)} ms the steps take`);

for (const name of Object.values(DB)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin.end();
rmSync(dir, { recursive: true, force: true });
