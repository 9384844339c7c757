// One in-process apply of PLAN to URL, timed: `execute` runs the steps only
// (executePlan: one transaction per group, source hash check), `target` runs
// them as `lockplane apply --skip-shadow` does (advisory lock, ledger rows,
// schema hash after each group). Prints the milliseconds.
// Usage: node bench/apply/apply-once.mjs execute|target URL PLAN
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const lp = await import(join(root, 'dist', 'index.js'));
const [mode, url, planPath] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planPath, 'utf8'));
const session = await lp.connect(url);
try {
  const start = process.hrtime.bigint();
  if (mode === 'execute') await lp.executePlan(session, plan, { expectedSourceHash: plan.source_hash });
  else await lp.applyToTarget(session, plan, { expectedSourceHash: plan.source_hash });
  process.stdout.write(`${Number(process.hrtime.bigint() - start) / 1e6}\n`);
} finally {
  await session.close();
}
