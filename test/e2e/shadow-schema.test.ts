// SHADOW_SCHEMA through the CLI: apply proves the plan in a schema of the
// target's own database when lockplane.toml's `schemas` leaves it out, and
// refuses (exit 2, nothing touched) when the target manages every schema.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connect } from '../../src/dialects/postgres/session.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';
import { REPO_ROOT, runCli, tempProject } from './cli.js';

const QUICKSTART = join(REPO_ROOT, 'examples', 'quickstart');

async function tableCount(url: string): Promise<number> {
  const s = await connect(url);
  try {
    return (await s.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`))[0]!.n;
  } finally {
    await s.close();
  }
}

serverTest('apply proves in SHADOW_SCHEMA inside the target database, or refuses it when it is the target scope', () =>
  withServerDatabase(async (url) => {
    const env = { SHADOW_SCHEMA: 'lp_shadow' };
    const bare = tempProject({ 'package.json': '{}' });
    const scoped = tempProject({ 'package.json': '{}', 'lockplane.toml': 'schemas = ["public"]\n' });
    try {
      const refused = await runCli(['apply', '--schema', QUICKSTART, '--target', url, '--auto-approve'], { cwd: bare.dir, env });
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /SHADOW_SCHEMA lp_shadow is in the target's database, whose every schema Lockplane manages/);
      assert.equal(await tableCount(url), 0, 'nothing touched');

      const applied = await runCli(['apply', '--schema', QUICKSTART, '--target', url, '--auto-approve'], { cwd: scoped.dir, env });
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stderr, /Plan proven on the shadow \(shadow schema lp_shadow in postgresql:/);
      assert.match(applied.stderr, /Rollback proven on the shadow/);
      assert.equal(await tableCount(url), 2);
    } finally {
      bare.cleanup();
      scoped.cleanup();
    }
  }),
);
