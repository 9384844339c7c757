// docs/mcp.md's client configuration, run as written: the server it starts
// works on the project given with --cwd, whatever directory it starts in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, tempProject } from '../e2e/cli.js';
import { withMcpClient } from './client.js';

test('the MCP client configuration in docs/mcp.md starts a server on the --cwd project', { timeout: 120_000 }, async () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'mcp.md'), 'utf8');
  const snippet = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
  const server = (JSON.parse(snippet) as { mcpServers: { lockplane: { command: string; args: string[] } } }).mcpServers.lockplane;
  assert.equal(server.command, 'npx');
  const [bin, command, ...args] = server.args;
  assert.deepEqual([bin, command], ['lockplane', 'mcp']);
  assert.match(doc, new RegExp(`claude mcp add lockplane -- npx ${server.args.join(' ')}`));

  const { dir, cleanup } = tempProject({ 'schema.sql': 'CREATE TABLE items (id int PRIMARY KEY);\n' });
  try {
    await withMcpClient(tmpdir(), async (lp) => {
      const drift = await lp.call('check_drift', { schema: 'schema.sql' });
      assert.equal(drift.structured.in_sync, false, drift.text);
      assert.match(drift.text, /Using the embedded database pglite:\/\/\.lockplane\/pglite/);
    }, args.map((a) => (a === '/path/to/your/project' ? dir : a)));
    assert.ok(existsSync(join(dir, '.lockplane', 'pglite')), 'the embedded database is in the project');
  } finally {
    cleanup();
  }
});
