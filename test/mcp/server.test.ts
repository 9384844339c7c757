// The MCP server against the local Postgres server, through the SDK's client
// over stdio: every tool called, and apply refused (touching nothing) until a
// person approved the exact plan at a terminal.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../../src/dialects/postgres/session.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { tempProject } from '../e2e/cli.js';
import { withMcpClient } from './client.js';
import { approveAtTerminal } from './approve-helper.js';
import { hasTmux } from './tmux.js';

const column = (name: string, type = 'integer') => ({ name, type, nullable: name !== 'id', is_primary_key: name === 'id' });
const USERS = JSON.stringify({ tables: [{ name: 'users', columns: [column('id'), column('email', 'text')] }] });
const NOT_NULL_AGE = JSON.stringify({ tables: [{ name: 'users', columns: [column('id'), column('email', 'text'), { name: 'age', type: 'integer', nullable: false }] }] });
const USERS_AND_POSTS = JSON.stringify({
  tables: [
    { name: 'users', columns: [column('id'), column('email', 'text')] },
    { name: 'posts', columns: [column('id'), column('title', 'text')] },
  ],
});

async function tablesOf(url: string): Promise<string[]> {
  const session = await connect(url);
  try {
    const rows = await session.query<{ name: string }>(
      "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    );
    return rows.map((r) => r.name);
  } finally {
    await session.close();
  }
}

serverTest(
  'MCP over stdio on a Postgres server: every tool; apply refused without a token, with one for another plan or target, an altered or an expired one; applied with an approved one',
  async (t) => {
    if (!hasTmux) return t.skip('tmux is not installed');
    await withServerDatabase(async (url) => {
      const { dir, cleanup } = tempProject({ 'schema.json': USERS, 'more.json': USERS_AND_POSTS, 'not-null.json': NOT_NULL_AGE, 'broken.json': '{"tables": [{"name": "users", "columns": [{"name": 1}]}]}' });
      try {
        await withMcpClient(dir, async (lp) => {
          const { tools } = await lp.client.listTools();
          assert.deepEqual(tools.map((tool) => tool.name).sort(), ['apply', 'check_drift', 'explain_step', 'introspect', 'plan', 'validate_schema']);
          for (const tool of tools) {
            assert.ok((tool.description ?? '').length > 80, `${tool.name} has a description`);
            assert.equal(tool.inputSchema.type, 'object');
          }
          assert.deepEqual((tools.find((tool) => tool.name === 'apply')!.inputSchema.required ?? []).sort(), ['approval_token', 'plan_file']);

          const empty = await lp.call('introspect', { database: url });
          assert.equal(empty.isError, false, empty.text);
          assert.deepEqual((empty.structured.schema as { tables: unknown[] }).tables, []);

          // Calls sent together run one after the other, each with its own output.
          const [valid, invalid] = await Promise.all([lp.call('validate_schema', { path: 'schema.json' }), lp.call('validate_schema', { path: 'broken.json' })]);
          assert.equal(valid.structured.valid, true, valid.text);
          assert.equal(invalid.structured.valid, false);
          assert.match(invalid.text, /broken\.json:1:\d+: .*name/);

          const drift = await lp.call('check_drift', { database: url, schema: 'schema.json' });
          assert.equal(drift.structured.in_sync, false, drift.text);
          assert.equal(drift.structured.pending_steps, 1);
          assert.match(drift.text, /CREATE TABLE "public"\."users"/);

          const planned = await lp.call('plan', { from: url, to: 'schema.json', output_file: 'plan.json' });
          assert.equal(planned.isError, false, planned.text);
          assert.equal(planned.structured.steps, 1);
          assert.equal(planned.structured.blocked, false);
          assert.match(planned.text, /=== Validation Results ===/);
          assert.match(planned.text, /lockplane approve plan\.json/);
          const planFile = readFileSync(join(dir, 'plan.json'), 'utf8');
          assert.deepEqual(JSON.parse(planFile), planned.structured.plan);
          await lp.call('plan', { from: url, to: 'more.json', output_file: 'other-plan.json' });

          const explained = await lp.call('explain_step', { plan_file: 'plan.json', step: 1 });
          assert.equal(explained.isError, false, explained.text);
          assert.match(explained.text, /^Step 1 of 1/);
          assert.match(explained.structured.description as string, /users/);
          assert.match((explained.structured.sql as string[])[0]!, /^CREATE TABLE "public"\."users"/);
          assert.deepEqual((explained.structured.rollback as { sql: string[] }).sql, ['DROP TABLE "public"."users"']);
          assert.match(explained.text, /Rollback: Drop table users\n {2}DROP TABLE "public"\."users";/);
          const missing = await lp.call('explain_step', { plan_file: 'plan.json', step: 5 });
          assert.equal(missing.isError, true);
          assert.match(missing.text, /plan\.json: no step 5; the plan has 1 step/);

          // No token, a nonsense one, no key yet: refused, and the database untouched (no tables, no ledger).
          const refused = await lp.call('apply', { plan_file: 'plan.json', approval_token: 'approved', target: url });
          assert.equal(refused.isError, true);
          assert.match(refused.text, /Refused: no plan was ever approved in this project.*Nothing was applied.*lockplane approve plan\.json/s);
          assert.deepEqual(await tablesOf(url), []);

          const { token, screen } = await approveAtTerminal(dir, ['plan.json', '--target', url]);
          assert.match(screen, /CREATE TABLE "public"\."users"/, 'approve shows the plan');
          assert.match(token, /^lpa1\.[\w-]+\.[\w-]+$/);
          const keyFile = join(dir, '.lockplane', 'approval-key');
          assert.equal(statSync(keyFile).mode & 0o777, 0o600);

          const key = readFileSync(keyFile, 'utf8');
          const overwrite = await lp.call('plan', { from: url, to: 'schema.json', output_file: '.lockplane/approval-key' });
          assert.equal(overwrite.isError, true);
          assert.match(overwrite.text, /output_file: \.lockplane\/approval-key is inside \.lockplane\/; write plans elsewhere/);
          assert.equal(readFileSync(keyFile, 'utf8'), key);

          const wrongPlan = await lp.call('apply', { plan_file: 'other-plan.json', approval_token: token, target: url });
          assert.equal(wrongPlan.isError, true);
          assert.match(wrongPlan.text, /Refused: the token approves a different plan/);

          const [prefix, payload, signature] = token.split('.');
          const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { expires: number };
          const stretched = Buffer.from(JSON.stringify({ ...claims, expires: claims.expires + 86_400_000 })).toString('base64url');
          const altered = await lp.call('apply', { plan_file: 'plan.json', approval_token: `${prefix}.${stretched}.${signature}`, target: url });
          assert.match(altered.text, /Refused: the token's signature is not valid/);

          const { token: shortLived } = await approveAtTerminal(dir, ['plan.json', '--target', url, '--ttl', '1s']);
          await new Promise((resolve) => setTimeout(resolve, 1100));
          const late = await lp.call('apply', { plan_file: 'plan.json', approval_token: shortLived, target: url });
          assert.match(late.text, /Refused: the token expired at \d{4}-/);

          const otherTarget = await lp.call('apply', { plan_file: 'plan.json', approval_token: token, target: `${url}?application_name=elsewhere` });
          assert.match(otherTarget.text, /Refused: the token was approved for another target database/);

          // An edited plan file no longer matches the approved bytes.
          const text = readFileSync(join(dir, 'plan.json'), 'utf8');
          writeFileSync(join(dir, 'plan.json'), text.replace('"users"', '"users2"'));
          const edited = await lp.call('apply', { plan_file: 'plan.json', approval_token: token, target: url });
          assert.match(edited.text, /Refused: the token approves a different plan/);
          writeFileSync(join(dir, 'plan.json'), text);
          assert.deepEqual(await tablesOf(url), [], 'no refused apply touched the database');

          const applied = await lp.call('apply', { plan_file: 'plan.json', approval_token: token, target: url });
          assert.equal(applied.isError, false, `${applied.text}\n${lp.stderr()}`);
          assert.equal(applied.structured.applied, true);
          assert.match(applied.text, /Plan proven on the shadow/);
          assert.ok((applied.structured.events as { event: string }[]).some((e) => e.event === 'step_finished'));
          assert.ok((await tablesOf(url)).includes('public.users'));

          const after = await lp.call('check_drift', { database: url, schema: 'schema.json' });
          assert.equal(after.structured.in_sync, true, after.text);

          // A blocked plan is still shown and written, so a person can read why.
          const blocked = await lp.call('plan', { from: url, to: 'not-null.json', output_file: 'blocked.json' });
          assert.equal(blocked.isError, false, blocked.text);
          assert.equal(blocked.structured.blocked, true);
          assert.match(blocked.text, /✗ LP101 .*\(blocking\)/);
          assert.ok(existsSync(join(dir, 'blocked.json')));
          const ledger = await connect(url);
          try {
            const rows = await ledger.query<{ status: string }>('SELECT status FROM lockplane.applies');
            assert.deepEqual(rows.map((r) => r.status), ['applied']);
          } finally {
            await ledger.close();
          }
        });
        assert.ok(existsSync(join(dir, '.lockplane', '.gitignore')));
      } finally {
        cleanup();
      }
    });
  },
  { timeout: 240_000 },
);
