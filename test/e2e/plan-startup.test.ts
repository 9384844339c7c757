// A database-to-database plan connects first and loads the planner while the
// server reads the catalogs: the modules it resolves, and when it opens its
// connections, are traced by a loader hook in the child process. Run on the
// unbundled build, whose modules have their source files' names; the bundle
// splits at the same dynamic imports.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { withServerDatabase, serverTest } from '../helpers/databases.js';
import { connect } from '../../src/dialects/postgres/session.js';
import { DATABASE_KEYS, runProcess, tempProject, UNBUNDLED_BIN } from './cli.js';

const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.LOCKPLANE_TEST_TRACE, resolved.url + '\\n');
  return resolved;
}`;

const REGISTER = `
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import net from 'node:net';
register('./hooks.mjs', import.meta.url);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  appendFileSync(process.env.LOCKPLANE_TEST_TRACE, 'CONNECT\\n');
  return connect.apply(this, args);
};`;

serverTest('plan between two databases connects before the planner and the safety checks load', async () => {
  await withServerDatabase((fromUrl) =>
    withServerDatabase(async (toUrl) => {
      const session = await connect(toUrl);
      await session.exec('CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL)');
      await session.close();
      const project = tempProject({ 'hooks.mjs': HOOKS, 'register.mjs': REGISTER });
      try {
        const trace = join(project.dir, 'trace.txt');
        const env: NodeJS.ProcessEnv = { ...process.env, LOCKPLANE_TEST_TRACE: trace };
        for (const key of DATABASE_KEYS) delete env[key];
        const register = pathToFileURL(join(project.dir, 'register.mjs')).href;
        const result = await runProcess(process.execPath, ['--import', register, UNBUNDLED_BIN, 'plan', '--from', fromUrl, '--to', toUrl], { cwd: project.dir, env });
        assert.equal(result.code, 0, result.stderr);
        const plan = JSON.parse(result.stdout) as { steps: { sql: string | string[] }[] };
        assert.match(plan.steps.flatMap((s) => s.sql).join('\n'), /CREATE TABLE "public"\."items"/);

        const lines = readFileSync(trace, 'utf8').split('\n');
        const firstConnect = lines.indexOf('CONNECT');
        assert.ok(firstConnect > 0, 'the plan connected');
        const loadedAt = (suffix: string): number => lines.findIndex((l) => l.endsWith(suffix));
        for (const module of ['/dist/plan/index.js', '/dist/safety/index.js', '/dist/diff/index.js']) {
          assert.ok(loadedAt(module) > firstConnect, `${module} is loaded after the connection opens (at line ${loadedAt(module)}, connected at ${firstConnect})`);
        }
        assert.equal(loadedAt('/dist/shadow/sources.js'), -1, 'the file sources (and the shadow machinery) are not loaded for two databases');
      } finally {
        project.cleanup();
      }
    }),
  );
});
