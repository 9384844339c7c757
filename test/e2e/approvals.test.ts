// Approval of data-losing steps: --allow-hazards, or on a terminal the user
// types the name of what the step destroys; --auto-approve alone never
// approves data loss, and without a terminal the plan is refused (exit 3).
// The terminal is a real pseudo-terminal from util-linux `script`.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../../src/dialects/postgres/session.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { BIN, runCli, tempProject, type CliResult } from './cli.js';

const DESIRED = JSON.stringify({
  tables: [{ name: 'users', columns: [{ name: 'id', type: 'integer', nullable: false, is_primary_key: true }] }],
});

const hasScript = spawnSync('script', ['--version']).status === 0;

function needsScript(t: TestContext): Promise<void> | undefined {
  if (hasScript) return undefined;
  t.skip('util-linux script (a pseudo-terminal) is not installed');
  return Promise.resolve();
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI on a pseudo-terminal, answering each prompt (matched on the output so far) in turn. */
function runInTerminal(args: string[], cwd: string, answers: [RegExp, string][]): Promise<CliResult> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  let output = '';
  const pending = [...answers];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    output += d;
    const next = pending[0];
    if (next && next[0].test(output)) {
      pending.shift();
      child.stdin.write(`${next[1]}\n`);
    }
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code: code ?? -1, stdout: output, stderr: '' });
    });
  });
}

async function withDroppingPlan(fn: (url: string, dir: string) => Promise<void>): Promise<void> {
  await withServerDatabase(async (url) => {
    const s = await connect(url);
    await s.exec("CREATE TABLE users (id int PRIMARY KEY, email text); INSERT INTO users VALUES (1, 'a@example.com')");
    await s.close();
    const { dir, cleanup } = tempProject({ 'desired.json': DESIRED });
    try {
      const planned = await runCli(['plan', '--from', url, '--to', 'desired.json'], { cwd: dir });
      assert.equal(planned.code, 0, planned.stderr);
      assert.match(planned.stdout, /"LP202"/);
      writeFileSync(join(dir, 'plan.json'), planned.stdout);
      await fn(url, dir);
    } finally {
      cleanup();
    }
  });
}

async function emailColumn(url: string): Promise<boolean> {
  const s = await connect(url);
  try {
    return (await s.query(`SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'email' AND NOT attisdropped`)).length === 1;
  } finally {
    await s.close();
  }
}

const APPLY = (url: string, ...more: string[]): string[] => ['apply', 'plan.json', '--target', url, '--skip-shadow', ...more];

serverTest('without a terminal, --auto-approve alone does not approve data loss: exit 3, nothing touched', () =>
  withDroppingPlan(async (url, dir) => {
    const result = await runCli(APPLY(url, '--auto-approve'), { cwd: dir });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /step 1 \(Drop column email from table users\): LP202 column dropped/);
    assert.match(result.stderr, /rerun with --allow-hazards LP202 .*or run apply in a terminal and type the name of each object/);
    assert.ok(await emailColumn(url));

    const allowed = await runCli(APPLY(url, '--auto-approve', '--allow-hazards', 'LP202'), { cwd: dir });
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(await emailColumn(url), false);
  }),
);

serverTest('on a terminal, typing the object name approves the data loss; --auto-approve skips only the yes', (t) =>
  needsScript(t) ?? withDroppingPlan(async (url, dir) => {
    const result = await runInTerminal(APPLY(url, '--auto-approve'), dir, [[/Type users\.email to confirm: /, 'users.email']]);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /Step 1 \(Drop column email from table users\) destroys data: LP202 column dropped/);
    assert.doesNotMatch(result.stdout, /Only 'yes' will be accepted/);
    assert.match(result.stdout, /Applied 1 step/);
    assert.equal(await emailColumn(url), false);
  }),
);

serverTest('on a terminal, a wrong name cancels: exit 0, nothing touched; without --auto-approve yes is asked too', (t) =>
  needsScript(t) ?? withDroppingPlan(async (url, dir) => {
    const wrong = await runInTerminal(APPLY(url, '--auto-approve'), dir, [[/Type users\.email to confirm: /, 'users']]);
    assert.equal(wrong.code, 0, wrong.stdout);
    assert.match(wrong.stdout, /The name did not match users\.email\.[\s\S]*Apply cancelled\./);
    assert.ok(await emailColumn(url));

    const both = await runInTerminal(APPLY(url), dir, [
      [/Type users\.email to confirm: /, 'users.email'],
      [/Only 'yes' will be accepted: /, 'yes'],
    ]);
    assert.equal(both.code, 0, both.stdout);
    assert.equal(await emailColumn(url), false);
  }),
);
