#!/usr/bin/env node
// The benchmark suite: Lockplane against pg_dump, pg-delta, migra and
// drizzle-kit on schemas of 100 (S), 1,000 (M) and 10,000 (L) tables, each
// scenario's tools interleaved in one run so that their ratios share the
// machine's load. Prints markdown and saves it (and the raw numbers) under
// bench/.work/. Not a test: it asserts nothing, it reports.
// Usage (inside bench/, after `npm ci` here and `npm run build` at the root):
//   npm run bench                  S, M and L, full runs
//   npm run bench -- --quick       S and M, 3 runs, no drizzle-kit pull
//   node run-all.mjs [--sizes S,M,L] [--runs N] [--scenarios startup,introspect,plan,sql,memory] [--tag T] [--keep]
// Env: LOCKPLANE_BENCH_DATABASE_URL (admin URL, default the local server).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { adminQuery, buildSchema, databaseUrl, quoteIdent, runStatements, shape, summary } from './introspect/build-schema.mjs';
import { mutations } from './plan/mutate.mjs';
import { adminUrl, benchmark, cliPath, noteMissingTime, root } from './harness.mjs';
import { checkConvergence, migraSql, setCorrectnessDir } from './suite/correctness.mjs';
import { correctnessTable, growthTable, scenarioTable } from './suite/report.mjs';
import { drizzleKit, lockplane, migra, migraInspect, nodeFloor, peersInstalled, peerVersion, pgDump, pgdelta, pgliteShadow, workDir } from './suite/tools.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const quick = flag('--quick');
const SIZES = { S: 100, M: 1000, L: 10000 };
const sizes = (value('--sizes') ?? (quick ? 'S,M' : 'S,M,L')).split(',');
const defaultRuns = { S: quick ? 3 : 7, M: quick ? 3 : 5, L: 1 };
const runsFor = (size) => Number(value('--runs') ?? defaultRuns[size]);
// Lets two runs share the server: their databases and work directories get this suffix.
const tag = value('--tag') ? `_${value('--tag').replace(/\W/g, '')}` : '';
const TEN_MINUTES = 10 * 60 * 1000;
const ALL_SCENARIOS = ['startup', 'introspect', 'plan', 'sql', 'memory'];
const scenarios = new Set((value('--scenarios') ?? ALL_SCENARIOS.join(',')).split(','));
for (const name of scenarios) if (!ALL_SCENARIOS.includes(name)) throw new Error(`--scenarios: unknown ${name} (known: ${ALL_SCENARIOS.join(', ')})`);

if (!existsSync(cliPath)) {
  console.error('dist/bin/lockplane.js is missing: run `npm run build` at the repository root first');
  process.exit(1);
}
if (!peersInstalled()) {
  console.error('the peers are not installed: run `npm ci` inside bench/ first');
  process.exit(1);
}
mkdirSync(workDir, { recursive: true });
setCorrectnessDir(workDir);
noteMissingTime();

const out = [];
const raw = { sizes: {}, startedAt: new Date().toISOString() };
const say = (text = '') => {
  console.log(text);
  out.push(text);
};
const sh = (cmd, cmdArgs) => execFileSync(cmd, cmdArgs, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const recreate = (name) => sh('psql', ['-X', '-q', adminUrl, '-c', `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`, '-c', `CREATE DATABASE ${quoteIdent(name)}`]);
const tryRead = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

// ---------------------------------------------------------------- machine
say(`# Lockplane benchmark run, ${new Date().toISOString().replace(/\..*/, '')} UTC${quick ? ' (--quick)' : ''}`);
say();
say(`- machine: ${cpus().length} vCPUs (\`nproc\` ${sh('nproc', [])}, ${cpus()[0]?.model.trim()}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, load average (1 min) at start ${loadavg()[0].toFixed(1)}`);
say(`- Node.js ${process.version}; ${sh('psql', ['-X', '-At', adminUrl, '-c', 'SHOW server_version'])} server at ${new URL(adminUrl).host}; ${sh('pg_dump', ['--version'])}`);
say(`- Lockplane ${sh(process.execPath, [cliPath, '--version'])} (commit ${sh('git', ['-C', root, 'rev-parse', '--short', 'HEAD'])}); @supabase/pg-delta ${peerVersion('@supabase/pg-delta')}, @pgkit/migra ${peerVersion('@pgkit/migra')}, drizzle-kit ${peerVersion('drizzle-kit')}, drizzle-orm ${peerVersion('drizzle-orm')}`);
say(`- sizes ${sizes.join(', ')}; runs per tool: ${sizes.map((s) => `${s} ${runsFor(s)}`).join(', ')} (median reported; one untimed warm-up each, except at L)`);

// ---------------------------------------------------------------- start-up
if (scenarios.has('startup')) {
  say('\n## Start-up\n');
  const startup = benchmark(
    [
      { name: 'node -e 0', ...nodeFloor() },
      { name: 'lockplane --version', ...lockplane(['--version']) },
      { name: 'lockplane --help', ...lockplane(['--help']) },
      { name: 'drizzle-kit --version', ...drizzleKit(['--version']) },
      { name: 'pgdelta --version', ...pgdelta(['--version']) },
    ],
    quick ? 5 : 11,
  );
  startup.results.slice(1, 3).forEach((r) => (r.lockplane = true));
  say(scenarioTable(startup, { lockplaneRow: 'lockplane --version' }));
  raw.startup = startup;
}

const growth = { plan: [], introspect: [], sql: [] };
for (const size of sizes) {
  const s = shape(SIZES[size]);
  const runs = runsFor(size);
  const large = size === 'L';
  const dir = join(workDir, `${size}${tag}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const prefix = `lockplane_bench_${size.toLowerCase()}${tag}`;
  const dbA = `${prefix}_a`;
  const dbB = `${prefix}_b`;
  const dbShadow = `${prefix}_shadow`;
  const dbPgdeltaShadow = `${prefix}_pgdelta_shadow`;
  say(`\n## ${size}: ${summary(s)}\n`);

  let t = Date.now();
  const a = await buildSchema(adminUrl, dbA, s);
  const changes = mutations(s);
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(dbB)} WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE ${quoteIdent(dbB)} TEMPLATE ${quoteIdent(dbA)}`);
  const b = databaseUrl(adminUrl, dbB);
  await runStatements(b, changes.flatMap((c) => c.sql));
  const changeCount = changes.reduce((sum, c) => sum + c.count, 0);
  say(`A built in ${((Date.now() - t) / 1000).toFixed(1)} s; B = A with ${changeCount} objects changed (${changes.map((c) => `${c.count} ${c.what}`).join(', ')}).`);
  const limits = large ? { timeoutMs: TEN_MINUTES, warmup: false } : {};
  // pg_dump locks every table it dumps: at L that is more than the server's
  // default lock table holds (64 × 100 connections), so it fails with "out of
  // shared memory" — and while it tries, so does every other session.
  const noDump = { runs: 0, note: 'not run at L: pg_dump locks every table, past the default lock table (max_locks_per_transaction 64 × 100 connections): "out of shared memory" for it and every other session' };
  const dumpRow = (name, candidate) => (large ? { name, ...candidate, ...noDump, skip: true } : { name, ...candidate, ...limits });
  const sizeRaw = (raw.sizes[size] = { changeCount });

  // ------------------------------------------------------------ introspection
  if (scenarios.has('introspect')) {
    say(`\n### ${size}: introspection (one database, A)\n`);
    const drizzleOut = join(dir, 'drizzle');
    const introCandidates = [
      dumpRow('pg_dump --schema-only', pgDump(a)),
      { name: 'lockplane introspect', ...lockplane(['introspect', '--db', a]), ...limits },
      ...(large ? [] : [{ name: 'pgdelta snapshot', ...pgdelta(['snapshot', '--source', a, '--out', join(dir, 'pgdelta-snapshot.json')]), ...limits }]),
      ...(large ? [] : [{ name: 'migra inspection (schemainspect)', ...migraInspect(a), ...limits }]),
    ];
    if (size === 'M' && !quick) {
      introCandidates.push({
        name: 'drizzle-kit pull',
        ...drizzleKit(['pull', '--dialect', 'postgresql', '--url', a, '--out', drizzleOut]),
        prepare: () => rmSync(drizzleOut, { recursive: true, force: true }),
        runs: 1,
        warmup: false,
        timeoutMs: TEN_MINUTES,
      });
    }
    const intro = benchmark(introCandidates, runs);
    if (large) {
      intro.results.push(
        { name: 'pgdelta snapshot', runs: 0, note: 'measured once (see RESULTS.md), then left out at L with its plan: its lock use starves the shared server' },
        { name: 'migra inspection (schemainspect)', runs: 0, note: 'ran past 10 minutes and was stopped (see RESULTS.md)' },
      );
    }
    if (size === 'M' && quick) intro.results.push({ name: 'drizzle-kit pull', runs: 0, note: 'skipped in --quick (over 90 s a run)' });
    if (size !== 'M') intro.results.push({ name: 'drizzle-kit pull', runs: 0, note: 'run at M only' });
    say(scenarioTable(intro, { lockplaneRow: 'lockplane introspect' }));
    growth.introspect.push({ size, tables: s.tables, results: intro.results });
    sizeRaw.introspect = intro;
  }

  // ------------------------------------------------------------ DB → DB plan
  if (scenarios.has('plan')) {
    say(`\n### ${size}: plan, database A → database B\n`);
    const pgdeltaPlan = join(dir, 'pgdelta-plan.json');
    const plan = benchmark(
      [
        dumpRow('pg_dump A (one side)', pgDump(a)),
        dumpRow('pg_dump A + pg_dump B', { steps: [pgDump(a), pgDump(b)] }),
        { name: 'lockplane plan --from A --to B', ...lockplane(['plan', '--from', a, '--to', b]), ...limits },
        ...(large ? [] : [{ name: 'pgdelta plan', ...pgdelta(['plan', '--source', a, '--desired', b, '--out', pgdeltaPlan]), ...limits }]),
        ...(large ? [] : [{ name: 'migra A B', ...migra(a, b), ...limits }]),
      ],
      runs,
    );
    if (large) {
      // Both measured once and stopped: see RESULTS.md.
      plan.results.push(
        { name: 'pgdelta plan', runs: 0, note: 'not run at L: it holds a lock on every relation of a side (10,064 seen), past the default lock table (64 × 100 connections): it and every other session of the server fail with "out of shared memory"' },
        { name: 'migra A B', runs: 0, note: 'not run at L: its inspection of one side alone ran past 10 minutes' },
      );
    }
    const [, pair, lp, pd, mg] = plan.results;
    if (lp.stdout) lp.count = `${JSON.parse(lp.stdout).steps.length} steps`;
    if (pd.wallMs !== undefined) pd.count = `${JSON.parse(readFileSync(pgdeltaPlan, 'utf8')).actions.length} actions`;
    if (mg.stdout) mg.count = `${(migraSql(mg.stdout).match(/;\s*$/gm) ?? []).length} statements`;
    pair.lockplane = true;
    say(scenarioTable(plan, { lockplaneRow: 'lockplane plan --from A --to B', countLabel: 'plan size' }));
    growth.plan.push({ size, tables: s.tables, results: plan.results.filter((r) => r !== pair) });
    sizeRaw.plan = plan;

    // Correctness: each output applied to a fresh copy of A must reach B.
    say(`\n### ${size}: correctness of each plan (applied to a fresh copy of A)\n`);
    const checks = [];
    if (lp.stdout) {
      writeFileSync(join(dir, 'lockplane-plan.json'), lp.stdout);
      checks.push(await checkConvergence({ tool: 'lockplane', file: join(dir, 'lockplane-plan.json'), fromDb: dbA, toUrl: b, label: `${size}${tag}`, dump: !large }));
    }
    if (pd.wallMs !== undefined) checks.push(await checkConvergence({ tool: 'pgdelta', file: pgdeltaPlan, fromDb: dbA, toUrl: b, label: `${size}${tag}` }));
    if (mg.stdout) {
      writeFileSync(join(dir, 'migra.sql'), migraSql(mg.stdout));
      checks.push(await checkConvergence({ tool: 'migra', file: join(dir, 'migra.sql'), fromDb: dbA, toUrl: b, label: `${size}${tag}` }));
    }
    say(correctnessTable(checks));
    say(`\nDiffs: \`bench/.work/${size}${tag}-<tool>.diff\` (pg_dump of the copy vs pg_dump of B).`);
    sizeRaw.correctness = checks;
  }

  // ------------------------------------------------------------ SQL files → DB plan
  const project = join(dir, 'project');
  mkdirSync(join(project, 'schema'), { recursive: true });
  // psql's \restrict / \unrestrict lines (pg_dump 15.14+) are not SQL.
  if (scenarios.has('sql') || scenarios.has('memory')) {
    const schemaSql = sh('pg_dump', ['--schema-only', '--no-owner', b]).replace(/^\\(un)?restrict .*$/gm, '');
    writeFileSync(join(project, 'schema', 'schema.sql'), schemaSql);
  }
  if (scenarios.has('sql')) {
    say(`\n### ${size}: plan, SQL files (B, as pg_dump wrote it) → database A\n`);
    recreate(dbShadow);
    const cache = join(project, '.lockplane', 'cache');
    const dropNormalized = () => existsSync(cache) && readdirSync(cache).filter((f) => f.endsWith('.json')).forEach((f) => rmSync(join(cache, f)));
    const planToFiles = (extra) => ({ ...lockplane(['plan', '--from', a, '--to', 'schema']), cwd: project, ...limits, ...extra });
    const serverShadow = { env: { SHADOW_DATABASE_URL: databaseUrl(adminUrl, dbShadow) } };
    const pgdeltaSqlPlan = join(dir, 'pgdelta-sql-plan.json');
    // A cold run empties the cache first: a warm-up would change nothing, and each costs seconds.
    const coldRuns = { warmup: false, runs: quick || size !== 'S' ? 1 : Math.min(runs, 3) };
    const sqlPlan = benchmark(
      [
        { name: 'pg_dump A (one side)', ...pgDump(a), ...limits },
        { name: 'lockplane plan --from A (DB → DB)', ...lockplane(['plan', '--from', a, '--to', b]), ...limits },
        { name: 'PGlite, cold (no cache)', ...planToFiles({ prepare: () => rmSync(join(project, '.lockplane'), { recursive: true, force: true }), ...coldRuns }) },
        { name: 'PGlite, edited files (template cached)', ...planToFiles({ prepare: dropNormalized, ...coldRuns }) },
        { name: 'PGlite, warm cache', ...planToFiles({}) },
        ...['server shadow, cold', 'server shadow, warm cache'].map((name, i) =>
          size === 'S'
            ? { name, ...planToFiles(i === 0 ? { ...serverShadow, prepare: dropNormalized, ...coldRuns } : serverShadow) }
            : { name, skip: true, runs: 0, note: 'not run above S: resetting the shadow (DROP SCHEMA … CASCADE) passes the default lock table and fails with "out of shared memory", starving the server meanwhile' },
        ),
        {
          name: 'pgdelta schema apply --dry-run',
          ...pgdelta(['schema', 'apply', '--dir', join(project, 'schema'), '--shadow', databaseUrl(adminUrl, dbPgdeltaShadow), '--target', a, '--dry-run', '--out-plan', pgdeltaSqlPlan]),
          prepare: () => recreate(dbPgdeltaShadow),
          ...limits,
        },
      ],
      runs,
    );
    sqlPlan.results.slice(1, 7).forEach((r) => {
      r.lockplane = true;
      if (r.stdout) r.count = `${JSON.parse(r.stdout).steps.length} steps`;
    });
    const pdSql = sqlPlan.results[7];
    if (pdSql.wallMs !== undefined) pdSql.count = `${JSON.parse(readFileSync(pgdeltaSqlPlan, 'utf8')).actions.length} actions`;
    say('Lockplane rows: `lockplane plan --from A --to schema` in a project whose `schema/schema.sql` is `pg_dump --schema-only --no-owner B`.');
    say('"cold" empties `.lockplane/cache` first (PGlite also runs initdb); "edited files" keeps the saved PGlite data directory but not the normalized schema; "warm" reuses both. The server shadow is `SHADOW_DATABASE_URL` on the same server.\n');
    say(scenarioTable(sqlPlan, { lockplaneRow: 'server shadow, warm cache', countLabel: 'plan size' }));
    growth.sql.push({ size, tables: s.tables, results: sqlPlan.results });
    sizeRaw.sqlPlan = sqlPlan;
  }

  // ------------------------------------------------------------ PGlite memory
  if (scenarios.has('memory') && (size === 'M' || (sizes.length === 1 && !large))) {
    say(`\n### ${size}: the embedded PGlite shadow, what its memory holds\n`);
    const mem = benchmark([{ name: 'PGlite: start, run schema.sql, introspect', ...pgliteShadow(join(project, 'schema', 'schema.sql')), cwd: project }], quick ? 1 : 3);
    const r = mem.results[0];
    if (r.stdout) {
      const { startMs, stages } = JSON.parse(r.stdout);
      say(`Peak RSS (GNU time) ${(r.rssKb / 1024).toFixed(0)} MiB, median of ${r.runs}; PGlite started from the saved template in ${startMs} ms. process.memoryUsage() after each stage (one run; "wasm" is the WebAssembly linear memory, Postgres's own heap and shared buffers):\n`);
      say('| stage | RSS MiB | JS heap used MiB | external MiB | ArrayBuffers MiB | wasm memory MiB |');
      say('| --- | --- | --- | --- | --- | --- |');
      for (const st of stages) say(`| ${st.stage} | ${st.rssMiB} | ${st.heapUsedMiB} | ${st.externalMiB} | ${st.arrayBuffersMiB} | ${st.wasmMemoryMiB} |`);
      sizeRaw.pglite = { rssKb: r.rssKb, startMs, stages };
    } else {
      say(`failed: ${r.error}`);
    }
  }

  if (!flag('--keep')) {
    for (const name of [dbA, dbB, dbShadow, dbPgdeltaShadow]) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  }
}

if (sizes.length > 1) {
  say('\n## Growth with schema size (median wall ms)\n');
  if (growth.plan.length) say(`### Plan, database → database\n\n${growthTable(growth.plan)}\n`);
  if (growth.introspect.length) say(`### Introspection\n\n${growthTable(growth.introspect)}\n`);
  if (growth.sql.length) say(`### Plan, SQL files → database\n\n${growthTable(growth.sql)}`);
}

raw.finishedAt = new Date().toISOString();
const stamp = raw.startedAt.replace(/[:.]/g, '-');
writeFileSync(join(workDir, `results-${stamp}.md`), `${out.join('\n')}\n`);
const strip = (key, v) => (key === 'stdout' ? undefined : v);
writeFileSync(join(workDir, `results-${stamp}.json`), JSON.stringify(raw, strip, 2));
console.log(`\nsaved bench/.work/results-${stamp}.md and .json`);
