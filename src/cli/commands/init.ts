import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import type { InitFlags } from '../../index.js';
import { lib } from '../common.js';
import { info, out } from '../output.js';

/** Exit code of a cancelled wizard (Ctrl-C, Esc, or "no" at the summary), as for an interrupted program. */
export const CANCELLED_EXIT_CODE = 130;

export function registerInit(program: Command): void {
  const init = program
    .command('init')
    .description('set up lockplane.toml and .env.NAME for an environment: a wizard, or --yes with flags')
    .option('--yes', 'no wizard: take every setting from flags (defaults where a flag is left out)')
    .option('--force', 'replace an environment of the same name, and Lockplane\'s keys in its .env.NAME')
    .option('--env-name <name>', 'environment name (default: local; supabase with --supabase)')
    .option('--description <text>', 'environment description')
    .option('--db-type <type>', 'postgres (default), pglite, sqlite or libsql')
    .option('--schema-path <path>', 'desired schema directory, relative to lockplane.toml (default: schema)')
    .option('--connection-string <url>', 'Postgres URL (instead of --host/--port/--database/--user/--password)')
    .option('--host <host>', 'Postgres host (default: localhost)')
    .option('--port <port>', 'Postgres port (default: 5432)')
    .option('--database <name>', 'Postgres database (required with --yes unless --connection-string)')
    .option('--user <user>', 'Postgres user (default: postgres)')
    .option('--password <password>', 'Postgres password (written URL-escaped to .env.NAME only)')
    .option('--ssl-mode <mode>', 'sslmode (default: disable for localhost/127.0.0.1, require otherwise)')
    .option('--shadow-db-port <port>', 'shadow: a separate database <database>_shadow on the same host at this port')
    .option('--shadow-schema <schema>', 'shadow: this schema in the same database')
    .option('--file-path <path>', 'pglite: data directory (default .lockplane/pglite); sqlite: database file')
    .option('--url <url>', 'libsql: database URL (libsql://…)')
    .option('--auth-token <token>', 'libsql: auth token')
    .option('--supabase', 'preset for the local Supabase stack (127.0.0.1:54322, supabase/schema, shadow schema lockplane_shadow); implies --yes')
    .option('--skip-connection-test', 'with --yes: write the settings without testing the connection')
    .action(async (flags: InitFlags) => {
      if (!flags.yes && !flags.supabase && !process.stdin.isTTY) {
        throw new InputError('lockplane init: the wizard needs a terminal (standard input is not one); pass --yes with flags, see lockplane init --help');
      }
      const { runInit } = await lib();
      const outcome = await runInit({ flags, cwd: process.cwd(), io: { input: process.stdin, output: process.stderr } });
      if (outcome.status === 'cancelled') process.exitCode = CANCELLED_EXIT_CODE;
    });

  init
    .command('docker-compose')
    .description('add a `shadow` Postgres service to docker-compose.yml (a clone of its Postgres service on the next free port from 5433)')
    .option('--file <path>', 'the compose file (default: docker-compose.yml, docker-compose.yaml, compose.yml or compose.yaml here)')
    .action(async (opts: { file?: string }) => {
      const { addShadowToComposeFile, redact } = await lib();
      const result = await addShadowToComposeFile(process.cwd(), opts.file);
      if (result.changed) {
        info(`Added service shadow (a copy of ${result.source}, without its volumes) on host port ${result.port} to ${result.file}`);
      } else {
        info(`${result.file} already has a shadow service: nothing changed`);
      }
      if (result.shadowUrl) {
        const shown = redact(result.shadowUrl);
        info(`Put this in .env.NAME${shown === result.shadowUrl ? '' : ' (*** is the POSTGRES_PASSWORD of the service)'}, then docker compose up -d shadow:`);
        out(`SHADOW_DATABASE_URL="${shown}"`);
      }
    })
    .exitOverride();
}
