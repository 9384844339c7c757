// The MCP server on a project configured in lockplane.toml (an embedded PGlite
// directory, a SQL schema directory), started elsewhere with --cwd as MCP
// clients start servers: a plan that drops a column needs an approval that
// acknowledged the data loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureApprovalKey, sha256, signApproval } from '../../src/mcp/approval.js';
import { runCli, tempProject } from '../e2e/cli.js';
import { withMcpClient, type LockplaneClient } from './client.js';
import { approveAtTerminal } from './approve-helper.js';
import { hasTmux } from './tmux.js';

const columnsOfUsers = async (lp: LockplaneClient): Promise<string[]> => {
  const result = await lp.call('introspect', { environment: 'local' });
  assert.equal(result.isError, false, result.text);
  const { tables } = result.structured.schema as { tables: { name: string; columns: { name: string }[] }[] };
  return tables.find((t) => t.name === 'users')!.columns.map((c) => c.name);
};

test('MCP on a PGlite directory from lockplane.toml: a column drop is applied only with a token that acknowledged it', { timeout: 240_000, skip: !hasTmux && 'tmux is not installed' }, async () => {
  const { dir, cleanup } = tempProject({
    'lockplane.toml': 'default_environment = "local"\nschema_path = "schema"\n\n[environments.local]\ndescription = "dev"\n',
    '.env.local': 'DATABASE_URL=pglite://./db\n',
    'initial.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text, name text);\n',
    'schema/users.sql': 'CREATE TABLE users (id int PRIMARY KEY, name text);\n',
  });
  try {
    const setup = await runCli(['apply', '--schema', 'initial.sql', '--auto-approve'], { cwd: dir });
    assert.equal(setup.code, 0, setup.stderr);

    await withMcpClient(
      tmpdir(),
      async (lp) => {
        assert.deepEqual(await columnsOfUsers(lp), ['id', 'email', 'name']);
        const valid = await lp.call('validate_schema', { path: 'schema' });
        assert.equal(valid.structured.valid, true, valid.text);

        const drift = await lp.call('check_drift', {});
        assert.equal(drift.structured.in_sync, false, drift.text);
        assert.match(drift.text, /Drift: .*does not match schema; 1 step pending/);

        const planned = await lp.call('plan', { output_file: 'drop.json' });
        assert.equal(planned.isError, false, planned.text);
        assert.match(planned.text, /LP202 Dropping column users\.email deletes its data/);
        const explained = await lp.call('explain_step', { plan_file: 'drop.json', step: 1 });
        assert.deepEqual((explained.structured.hazards as { code: string; data_loss: boolean }[]).map((h) => [h.code, h.data_loss]), [['LP202', true]]);
        assert.match(explained.text, /Hazard LP202 column dropped \(warning, loses data\)\n {2}Safer alternative: expand\/contract/);
        assert.match(explained.text, /Rollback: /);

        // Signed with the project's key for this exact plan and target, but without the hazard acknowledged.
        const text = readFileSync(join(dir, 'drop.json'), 'utf8');
        const sourceHash = (JSON.parse(text) as { source_hash: string }).source_hash;
        const claims = { plan: sha256(text), source: sourceHash, target: sha256('pglite://./db'), issued: Date.now(), expires: Date.now() + 600_000 };
        const unacknowledged = signApproval(ensureApprovalKey(dir), { ...claims, hazards: [] });
        const refused = await lp.call('apply', { plan_file: 'drop.json', approval_token: unacknowledged });
        assert.equal(refused.isError, true);
        assert.match(refused.text, /Refused: the plan has hazards the approval did not acknowledge: LP202\. Nothing was applied/);
        assert.deepEqual(await columnsOfUsers(lp), ['id', 'email', 'name'], 'the refused apply touched nothing');

        const { token, screen } = await approveAtTerminal(dir, ['drop.json'], ['users.email']);
        assert.match(screen, /Step 1 \(.*\): LP202 column dropped\. Type users\.email to acknowledge/);
        assert.match(screen, /Target: pglite:\/\/\.\/db/);
        const applied = await lp.call('apply', { plan_file: 'drop.json', approval_token: token });
        assert.equal(applied.isError, false, applied.text);
        assert.match(applied.text, /^Applied 1 step \(apply #\d+\)\./);
        assert.deepEqual(await columnsOfUsers(lp), ['id', 'name']);
        assert.equal((await lp.call('check_drift', {})).structured.in_sync, true);

        // The same token again: the plan was applied; the target is no longer in the state it was made for.
        const again = await lp.call('apply', { plan_file: 'drop.json', approval_token: token });
        assert.match(again.text, /Nothing to apply|drop\.json: the target is not in the state this plan was made for/);
        assert.doesNotMatch(again.text, /lockplane-mcp-/, 'messages name the plan file the agent gave, not the private copy');
      },
      ['--cwd', dir],
    );
  } finally {
    cleanup();
  }
});
