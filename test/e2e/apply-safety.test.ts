// apply under concurrency, and the ledger as users see it (status, history).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { REPO_ROOT, runCli, tempProject } from './cli.js';

const QUICKSTART = join(REPO_ROOT, 'examples', 'quickstart');

serverTest('8 concurrent applies of the same plan: exactly one applies, the others refuse cleanly', async () => {
  await withServerDatabase(async (url) => {
    const { dir, cleanup } = tempProject();
    try {
      const planned = await runCli(['plan', '--from', url, '--to', QUICKSTART], { cwd: dir });
      assert.equal(planned.code, 0, planned.stderr);
      writeFileSync(join(dir, 'plan.json'), planned.stdout);
      const runs = await Promise.all(
        Array.from({ length: 8 }, () => runCli(['apply', 'plan.json', '--target', url, '--auto-approve', '--skip-shadow'], { cwd: dir })),
      );
      const winners = runs.filter((r) => /Applied \d+ steps/.test(r.stdout));
      assert.equal(winners.length, 1, runs.map((r) => `${r.code}: ${r.stderr.split('\n').at(-2)}`).join('\n'));
      assert.equal(winners[0]!.code, 0);
      for (const loser of runs.filter((r) => r !== winners[0])) {
        // Refused on the lock or the changed source; or, once the winner is done, told the plan is already applied (exit 0).
        assert.ok(loser.code === 1 || loser.code === 3 || (loser.code === 0 && /Already applied: apply #\d+/.test(loser.stderr)), loser.stderr);
        assert.match(loser.stderr, /another lockplane apply holds the lock|not in the state this plan was made for|database changed since the plan was made|Already applied/);
      }
      const again = await runCli(['plan', '--from', url, '--to', QUICKSTART], { cwd: dir });
      assert.equal((JSON.parse(again.stdout) as { steps: unknown[] }).steps.length, 0, 'the final state is the desired one');

      const history = await runCli(['history', '--db', url, '--format', 'json'], { cwd: dir });
      assert.equal(history.code, 0, history.stderr);
      const applies = JSON.parse(history.stdout) as { status: string }[];
      assert.equal(applies.filter((a) => a.status === 'applied').length, 1);

      const status = await runCli(['status', '--db', url, '--schema', QUICKSTART], { cwd: dir });
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /Last apply: #\d+ .* (applied|refused)/);
      assert.match(status.stdout, /In sync with /);
    } finally {
      cleanup();
    }
  });
});
