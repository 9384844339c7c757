#!/usr/bin/env node
// Benchmark: `lockplane plan --from A --to B` between two live databases,
// B a copy of A with ~5% of its objects changed (see mutate.mjs). The
// reference is what reading both schemas costs pg_dump: `pg_dump A` then
// `pg_dump B`, sequentially (wall times added, peak RSS the larger). Then
// checks the plan once: applied to a third copy of A, a second plan from that
// copy to B must be empty. Not a test: it asserts nothing, it reports.
// Usage: node bench/plan/run.mjs [--runs N] [--no-build]
// Env: LOCKPLANE_BENCH_DATABASE_URL (admin URL, default the local server).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, buildSchema, databaseUrl, quoteIdent, runStatements, SUMMARY } from '../introspect/build-schema.mjs';
import { adminUrl, benchmark, benchOptions, cliPath, printResults } from '../harness.mjs';
import { mutations } from './mutate.mjs';

const FROM = 'lockplane_bench_plan_a';
const TO = 'lockplane_bench_plan_b';
const CHECK = 'lockplane_bench_plan_c';
const { runs } = benchOptions();
if (!existsSync(cliPath)) {
  console.error('dist/bin/lockplane.js is missing: run `npm run build` first');
  process.exit(1);
}

console.log(`building ${SUMMARY} in database ${FROM} ...`);
const fromUrl = await buildSchema(adminUrl, FROM);
const changes = mutations();
const changeCount = changes.reduce((sum, c) => sum + c.count, 0);
console.log(`copying it to ${TO} and changing ${changeCount} objects ...`);
const copyOfFrom = async (name) => {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(FROM)}`);
  return databaseUrl(adminUrl, name);
};
const toUrl = await copyOfFrom(TO);
await runStatements(toUrl, changes.flatMap((c) => c.sql));
for (const c of changes) console.log(`  ${String(c.count).padStart(3)}  ${c.what}`);

const pgDump = (url) => ({ command: 'pg_dump', args: ['--schema-only', '--no-owner', url] });
const planArgs = (from) => ['plan', '--from', from, '--to', toUrl];
const candidates = [
  { name: 'pg_dump A + pg_dump B (sequential)', steps: [pgDump(fromUrl), pgDump(toUrl)] },
  { name: 'lockplane plan --from A --to B', command: process.execPath, args: [cliPath, ...planArgs(fromUrl)] },
];
printResults(
  benchmark(candidates, runs),
  `median of ${runs} runs; A: ${SUMMARY}; B: A with ${changeCount} objects changed`,
);

// Correctness, once: the plan applied to a copy of A leaves nothing to plan.
const dir = mkdtempSync(join(tmpdir(), 'lockplane-bench-plan-'));
const cli = (args) => {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`lockplane ${args[0]} failed (${r.status}): ${r.stderr.slice(-3000)}`);
  return r.stdout;
};
try {
  const planFile = join(dir, 'plan.json');
  const plan = cli(planArgs(fromUrl));
  writeFileSync(planFile, plan);
  const checkUrl = await copyOfFrom(CHECK);
  const applyStart = process.hrtime.bigint();
  cli(['apply', '--plan', planFile, '--target', checkUrl, '--auto-approve', '--skip-shadow', '--allow-hazards', 'all']);
  const applyMs = Number(process.hrtime.bigint() - applyStart) / 1e6;
  const again = JSON.parse(cli(planArgs(checkUrl)));
  console.log(
    `\ncorrectness: the plan has ${JSON.parse(plan).steps.length} steps; applied to a copy of A in ${applyMs.toFixed(0)} ms ` +
      `(lockplane apply --skip-shadow --allow-hazards all); a second plan from that copy to B has ${again.steps.length} steps` +
      (again.steps.length === 0 ? ' (converged).' : ':'),
  );
  for (const step of again.steps.slice(0, 20)) console.log(`  - ${step.description ?? JSON.stringify(step.sql).slice(0, 200)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  for (const name of [FROM, TO, CHECK]) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}
