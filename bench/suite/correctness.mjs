// Does a tool's output, applied to a fresh copy of A, reach B? Each tool's
// plan is applied its own way (Lockplane and pg-delta with their apply
// commands, migra's SQL with psql in one transaction), then judged twice:
// `lockplane plan --from copy --to B` must have no steps, and the two
// `pg_dump --schema-only` outputs must match (comments, blank lines and
// psql's \restrict lines aside).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminQuery, databaseUrl, quoteIdent } from '../introspect/build-schema.mjs';
import { adminUrl } from '../harness.mjs';
import { lockplane, pgdelta } from './tools.mjs';

function run({ command, args }, what) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    const detail = `${r.stderr}\n${r.stdout}`.split('\n').filter((l) => /error|ERROR|DETAIL|failed/.test(l)).slice(0, 3).join(' / ');
    throw new Error(`${what}: ${(detail || r.stderr.slice(-300)).trim()}`);
  }
  return { stdout: r.stdout, ms };
}

/** migra prints a warning and its stack trace on stdout, before the SQL. */
export const migraSql = (stdout) => stdout.split('\n').filter((l) => !/^WARNING: Creating a duplicate|^ {4}at /.test(l)).join('\n');

const dumpLines = (url) =>
  run({ command: 'pg_dump', args: ['--schema-only', '--no-owner', '--exclude-schema=lockplane', url] }, 'pg_dump')
    .stdout.split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('--') && !/^\\(un)?restrict /.test(l));

/** How each tool applies its output to the database at `url`. */
const appliers = {
  lockplane: (file, url) => run(lockplane(['apply', '--plan', file, '--target', url, '--auto-approve', '--skip-shadow', '--allow-hazards', 'all']), 'lockplane apply'),
  pgdelta: (file, url) => run(pgdelta(['apply', '--plan', file, '--target', url, '--allow-data-loss']), 'pgdelta apply'),
  migra: (file, url) => run({ command: 'psql', args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', file, url] }, 'psql -f migra.sql'),
};

/**
 * `tool`: lockplane | pgdelta | migra; `file`: its plan (JSON or SQL);
 * `fromDb`: A's database name (the template); `toUrl`: B; `dump: false`
 * leaves out the pg_dump comparison.
 */
export async function checkConvergence({ tool, file, fromDb, toUrl, label, dump = true }) {
  const copy = `${fromDb}_check`;
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(copy)} WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE ${quoteIdent(copy)} TEMPLATE ${quoteIdent(fromDb)}`);
  const copyUrl = databaseUrl(adminUrl, copy);
  const result = { tool };
  try {
    result.applyMs = appliers[tool](file, copyUrl).ms;
    result.applied = true;
  } catch (error) {
    result.applied = false;
    result.applyError = error.message.slice(0, 400);
  }
  try {
    const again = JSON.parse(run(lockplane(['plan', '--from', copyUrl, '--to', toUrl]), 'lockplane plan (judge)').stdout);
    result.stepsLeft = again.steps.length;
    result.firstStepsLeft = again.steps.slice(0, 5).map((s) => s.description ?? '');
  } catch (error) {
    result.judgeError = error.message.slice(0, 300);
  }
  try {
    if (!dump) throw new Error('not run: pg_dump cannot lock this many tables');
    const got = dumpLines(copyUrl);
    const want = dumpLines(toUrl);
    const diff = spawnSync('diff', [writeLines(`${label}-${tool}-got.sql`, got), writeLines(`${label}-want.sql`, want)], { encoding: 'utf8', maxBuffer: 1 << 30 });
    result.dumpDiffLines = diff.stdout.split('\n').filter((l) => /^[<>]/.test(l)).length;
    result.diffFile = writeLines(`${label}-${tool}.diff`, diff.stdout.split('\n'));
  } catch (error) {
    // At L, pg_dump needs more locks than the server's default lock table holds.
    result.dumpError = error.message.slice(0, 200);
  }
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(copy)} WITH (FORCE)`);
  return result;
}

let workDir = '.';
export const setCorrectnessDir = (dir) => (workDir = dir);
function writeLines(name, lines) {
  const file = join(workDir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
