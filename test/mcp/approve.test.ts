// `lockplane approve`: only a person at a terminal gets a token. Through a
// pipe (as an agent would run it) it refuses with exit 2 and creates nothing;
// at a terminal, declining or mistyping a hazard's name prints no token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KEY } from '../init/terminal.js';
import { runCli, tempProject } from '../e2e/cli.js';
import { hasTmux, TmuxTerminal } from './tmux.js';

const PLAN = JSON.stringify({
  steps: [
    { description: 'Create table notes', sql: 'CREATE TABLE notes (id int)' },
    { description: 'Drop table users', sql: 'DROP TABLE users', hazards: ['LP201'] },
  ],
});

test('approve without a terminal exits 2, prints no token and creates no key', async () => {
  const { dir, cleanup } = tempProject({ 'plan.json': PLAN });
  try {
    const result = await runCli(['approve', 'plan.json'], { cwd: dir, input: 'yes\nstep 2\n' });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^Error: approve: standard input is not a terminal\. A person approves a plan by running `lockplane approve plan\.json` in a terminal/);
    assert.equal(existsSync(join(dir, '.lockplane')), false);
  } finally {
    cleanup();
  }
});

test('approve at a terminal: a mistyped hazard name, or declining, prints no token (exit 1)', { timeout: 60_000, skip: !hasTmux && 'tmux is not installed' }, async () => {
  const { dir, cleanup } = tempProject({ 'plan.json': PLAN });
  try {
    const mistyped = new TmuxTerminal(dir, ['approve', 'plan.json']);
    try {
      await mistyped.answer('Step 2 (Drop table users): LP201 table dropped. Type step 2 to acknowledge', 'users', KEY.enter);
      const { code, stdout } = await mistyped.finished();
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.match(mistyped.screen, /Error: not approved \(the name did not match step 2\); no token was printed/);
    } finally {
      mistyped.close();
    }

    const declined = new TmuxTerminal(dir, ['approve', 'plan.json', '--ttl', '15min']);
    try {
      await declined.answer('Type step 2 to acknowledge', 'step 2', KEY.enter);
      await declined.answer('valid for 15min?', KEY.enter);
      const { code, stdout } = await declined.finished();
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.match(declined.screen, /not approved \(declined\)/);
    } finally {
      declined.close();
    }
    assert.equal(existsSync(join(dir, '.lockplane', 'approval-key')), false, 'no key until a plan is approved');
  } finally {
    cleanup();
  }
});
