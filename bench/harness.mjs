// What every benchmark shares: run a command as a fresh process and measure
// its wall time and peak RSS (GNU time -v), interleave the tools, print the
// medians and the ratios to the first (reference) row.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TIME = '/usr/bin/time';
const useTime = existsSync(TIME);

export function noteMissingTime() {
  if (!useTime) console.log(`(${TIME} not found: peak RSS is not measured)`);
}

/**
 * One run of a candidate: `{ command, args }`, or `{ steps: [...] }` for
 * commands run one after the other (wall times add up, peak RSS is the
 * largest; CPU, user + system, adds up). Optional: `env` (added to the environment), `cwd`, `timeoutMs`,
 * `prepare()` (run before each measurement, untimed: e.g. emptying a cache).
 * Returns wall ms, CPU ms (user + system, GNU time), peak RSS in KiB, the
 * stdout size and stdout itself.
 */
export function measure(candidate) {
  candidate.prepare?.();
  if (candidate.steps) {
    const runs = candidate.steps.map((step) => measure({ name: candidate.name, timeoutMs: candidate.timeoutMs, ...step }));
    return {
      wallMs: runs.reduce((sum, r) => sum + r.wallMs, 0),
      cpuMs: runs.reduce((sum, r) => sum + r.cpuMs, 0),
      rssKb: Math.max(...runs.map((r) => r.rssKb)),
      outBytes: runs.reduce((sum, r) => sum + r.outBytes, 0),
      stdout: runs.map((r) => r.stdout).join(''),
    };
  }
  const [cmd, cmdArgs] = useTime
    ? [TIME, ['-v', candidate.command, ...candidate.args]]
    : [candidate.command, candidate.args];
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, cmdArgs, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    cwd: candidate.cwd,
    env: candidate.env ? { ...process.env, ...candidate.env } : process.env,
    timeout: candidate.timeoutMs,
    killSignal: 'SIGKILL',
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error?.code === 'ETIMEDOUT' || (candidate.timeoutMs && result.signal === 'SIGKILL')) {
    throw new Error(`${candidate.name} ran past ${(candidate.timeoutMs / 60000).toFixed(0)} min and was stopped`);
  }
  if (result.status !== 0) {
    const stderr = (result.stderr ?? '').replace(/\tCommand being timed[\s\S]*$/, '');
    const errorLines = stderr.split('\n').filter((l) => /error/i.test(l));
    throw new Error(`${candidate.name} failed (${result.status}): ${(errorLines.length ? errorLines.join(' / ') : stderr).slice(-1500)}`);
  }
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  const seconds = (label) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(result.stderr)?.[1] ?? NaN);
  const cpuMs = (seconds('User') + seconds('System')) * 1000;
  return { wallMs, cpuMs, rssKb: rss ? Number(rss[1]) : NaN, outBytes: result.stdout.length, stdout: result.stdout };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * One warm-up run of each candidate (page cache, server caches; `warmup:
 * false` skips it), then `runs` rounds, interleaved (A, B, C, A, B, C, …) so
 * that a change in machine load hits every tool alike; a candidate's own
 * `runs` caps its count. A candidate that fails or runs past its `timeoutMs`
 * is dropped from later rounds and reported with its error; one with `skip`
 * never runs (its `note` says why). Returns the
 * median of each, in candidate order.
 */
export function benchmark(candidates, runs) {
  const loadBefore = loadavg()[0];
  const errors = candidates.map(() => undefined);
  const samples = candidates.map(() => []);
  const attempt = (i) => {
    if (errors[i] || candidates[i].skip) return undefined;
    try {
      return measure(candidates[i]);
    } catch (error) {
      errors[i] = error.message.split('\n')[0].slice(0, 300);
      console.log(`  ! ${errors[i]}`);
      return undefined;
    }
  };
  candidates.forEach((candidate, i) => {
    if (candidate.warmup !== false) attempt(i);
  });
  for (let run = 0; run < runs; run++) {
    candidates.forEach((candidate, i) => {
      if (run >= (candidate.runs ?? runs)) return;
      const sample = attempt(i);
      if (sample) samples[i].push(sample);
    });
  }
  const results = candidates.map((candidate, i) => {
    const s = samples[i];
    if (s.length === 0) return { name: candidate.name, error: errors[i] ?? candidate.note ?? 'no run', runs: 0 };
    return {
      name: candidate.name,
      wallMs: median(s.map((r) => r.wallMs)),
      minWallMs: Math.min(...s.map((r) => r.wallMs)),
      cpuMs: median(s.map((r) => r.cpuMs)),
      rssKb: median(s.map((r) => r.rssKb)),
      outBytes: s[0].outBytes,
      stdout: s[0].stdout,
      runs: s.length,
      ...(errors[i] ? { error: errors[i] } : {}),
    };
  });
  return { results, load: [loadBefore, loadavg()[0]] };
}

/** The table of medians, with ratios to the first row. */
export function printResults({ results, load }, heading) {
  const base = results[0];
  console.log(`\n${heading}`);
  console.log(`load average (1 min) before / after: ${load.map((l) => l.toFixed(2)).join(' / ')}\n`);
  console.log(
    ['tool'.padEnd(34), 'wall ms'.padStart(9), 'min ms'.padStart(8), 'peak RSS MiB'.padStart(13), 'output KiB'.padStart(11), 'wall ratio'.padStart(11), 'RSS ratio'.padStart(10)].join(' '),
  );
  for (const r of results) {
    if (r.wallMs === undefined) {
      console.log(`${r.name.padEnd(34)} ${r.error}`);
      continue;
    }
    console.log(
      [
        r.name.padEnd(34),
        r.wallMs.toFixed(0).padStart(9),
        r.minWallMs.toFixed(0).padStart(8),
        (r.rssKb / 1024).toFixed(1).padStart(13),
        (r.outBytes / 1024).toFixed(0).padStart(11),
        (r.wallMs / base.wallMs).toFixed(2).padStart(11),
        (r.rssKb / base.rssKb).toFixed(2).padStart(10),
      ].join(' '),
    );
  }
  console.log(`\nratios are tool / ${base.name} (medians): below 1.00 means lockplane is faster / smaller.`);
}

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cliPath = join(root, 'dist', 'bin', 'lockplane.js');
export const adminUrl = process.env.LOCKPLANE_BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** `--runs N` (default 5) and `--no-build`; builds dist/ unless told not to. */
export function benchOptions() {
  const args = process.argv.slice(2);
  const runsArg = args.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 5;
  if (!args.includes('--no-build')) {
    // tsc emits even when some unrelated file fails to typecheck; we only need our files.
    spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
  }
  noteMissingTime();
  return { runs };
}
