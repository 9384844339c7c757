// docs/ci.md: the workflow's Plan, Annotate hazards and Gate steps, run in bash as GitHub runs
// them, against the local Postgres server: pending changes (exit 4) pass on a
// pull request and fail on the schedule, a matching database passes, and a
// Lockplane error fails the gate.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, tempProject, type CliResult } from './cli.js';
import { guideBlocks, guideCommand, runIn, shell, toolDir } from './guide.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';

const GUIDE = join(REPO_ROOT, 'docs', 'ci.md');

function workflow(): string {
  const block = guideBlocks(GUIDE).find((b) => b.lang === 'yaml' && b.body.startsWith('# .github/workflows/schema.yml\n'));
  assert.ok(block, 'docs/ci.md has the workflow');
  return block.body;
}

/** The `run: |` script of the step named NAME, dedented. */
function stepScript(name: string): string {
  const lines = workflow().split('\n');
  const start = lines.findIndex((l) => l.trim() === `- name: ${name}`);
  assert.notEqual(start, -1, `the workflow has a step "${name}"`);
  const runLine = lines.findIndex((l, i) => i > start && /^\s*run: \|$/.test(l));
  const indent = lines[runLine]!.search(/\S/);
  const body: string[] = [];
  for (const line of lines.slice(runLine + 1)) {
    if (line.trim() !== '' && line.search(/\S/) <= indent) break;
    body.push(line);
  }
  const margin = Math.min(...body.filter((l) => l.trim()).map((l) => l.search(/\S/)));
  return body.map((l) => l.slice(margin)).join('\n');
}

interface Runner {
  dir: string;
  output: string;
  summary: string;
}

/** One step in bash the way GitHub runs `run:` (bash --noprofile --norc -eo pipefail). */
function runStep(runner: Runner, url: string, name: string, expressions: Record<string, string>): Promise<CliResult> {
  let script = stepScript(name).replaceAll('npx lockplane', 'lockplane');
  for (const [expression, value] of Object.entries(expressions)) script = script.replaceAll(`\${{ ${expression} }}`, value);
  assert.doesNotMatch(script, /\$\{\{/, `every expression of step "${name}" is given`);
  const env = `export DATABASE_URL='${url}' GITHUB_OUTPUT='${runner.output}' GITHUB_STEP_SUMMARY='${runner.summary}'`;
  return runIn(runner.dir, 'bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', `${env}\n${script}`]);
}

/** Runs the Plan step (fresh outputs) and returns the exit code it recorded. */
async function planStep(runner: Runner, url: string): Promise<string> {
  writeFileSync(runner.output, '');
  writeFileSync(runner.summary, '');
  const result = await runStep(runner, url, 'Plan', {});
  assert.equal(result.code, 0, `the Plan step itself succeeds: ${result.stderr}`);
  const exit = /^exit=(\d+)$/m.exec(readFileSync(runner.output, 'utf8'))?.[1];
  assert.ok(exit, 'the Plan step writes exit=N to $GITHUB_OUTPUT');
  return exit;
}

const gate = (runner: Runner, url: string, exit: string, event: string) =>
  runStep(runner, url, 'Gate', { 'steps.plan.outputs.exit': exit, 'github.event_name': event });

serverTest('docs/ci.md: the workflow comments pending changes, fails on drift, passes when the database matches', async () => {
  await withServerDatabase(async (url) => {
    const { dir, cleanup } = tempProject({
      'schema/users.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n',
    });
    toolDir(dir);
    mkdirSync(join(dir, 'out'));
    const runner: Runner = { dir, output: join(dir, 'out', 'github_output'), summary: join(dir, 'out', 'step_summary') };
    try {
      assert.match(workflow(), /\n {6}- run: npm ci\n/);
      assert.match(workflow(), /if: \$\{\{ github\.event_name == 'pull_request' && steps\.plan\.outputs\.exit != '0' \}\}\n[\s\S]*gh pr comment .* --body-file plan\.md/);

      // The database is empty: the table is pending.
      assert.equal(await planStep(runner, url), '4');
      const comment = readFileSync(join(dir, 'plan.md'), 'utf8');
      assert.match(comment, /^### Lockplane plan: 1 step pending\n/);
      assert.match(comment, /```sql\nCREATE TABLE "public"\."users"/);
      assert.equal(readFileSync(runner.summary, 'utf8'), comment, 'the plan is the job summary too');
      const onPullRequest = await gate(runner, url, '4', 'pull_request');
      assert.equal(onPullRequest.code, 0, `pending changes pass on a pull request: ${onPullRequest.stdout}`);
      const onSchedule = await gate(runner, url, '4', 'schedule');
      assert.equal(onSchedule.code, 1, 'pending changes on the schedule are drift');
      assert.match(onSchedule.stdout, /Drift: the database does not match schema\//);

      // Deployed: the database matches.
      await shell(dir, `lockplane apply --schema schema/ --target '${url}' --auto-approve`);
      assert.equal(await planStep(runner, url), '0');
      assert.match(readFileSync(join(dir, 'plan.md'), 'utf8'), /^### Lockplane plan: no changes/);
      for (const event of ['pull_request', 'schedule']) assert.equal((await gate(runner, url, '0', event)).code, 0);
      const local = await runIn(dir, 'sh', ['-c', `export DATABASE_URL='${url}' && ${guideCommand('lockplane plan --from "$DATABASE_URL" --to schema/ --check --output markdown', GUIDE)}`]);
      assert.equal(local.code, 0, local.stderr);

      // A dropped column: the annotation points at the table that lost it.
      writeFileSync(join(dir, 'schema', 'users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY);\n');
      const annotate = await runStep(runner, url, 'Annotate hazards', {});
      assert.equal(annotate.code, 0, annotate.stderr);
      assert.match(annotate.stdout, /^::warning file=schema\/users\.sql,line=1,title=Lockplane LP202::Step 1 \(Drop column email from table users\)/m);

      // A broken schema is a Lockplane error (exit 2): the gate fails on any event.
      writeFileSync(join(dir, 'schema', 'users.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY,,);\n');
      assert.equal(await planStep(runner, url), '2');
      const broken = await gate(runner, url, '2', 'pull_request');
      assert.equal(broken.code, 1);
      assert.match(broken.stdout, /lockplane plan failed/);
    } finally {
      cleanup();
    }
  });
}, { timeout: 600_000 });
