import type { Command } from 'commander';
import { InputError, redact } from '../../errors.js';
import type { Plan, Reservation } from '../../index.js';
import type { ResolvedDatabase } from '../../config/index.js';
import { addFilterOptions, choice, commandFilter, configContext, isSqliteCommand, lib, loadSourceFor, targetFor, useFilterFlags, type FilterOptionValues } from '../common.js';
import { prepareSqliteShadowCommand, sqliteShadowPlan } from '../sqlite.js';
import { formatPlan, PLAN_FORMATS } from '../plan-output.js';
import { info, json, out, warn } from '../output.js';

/** The environment name a reservation records when there is no lockplane.toml. */
const NO_ENVIRONMENT = 'default';

interface PrepareOptions {
  targetEnvironment?: string;
  force?: boolean;
}

interface DiffOptions extends FilterOptionValues {
  targetEnvironment?: string;
  output: string;
}

/** Where `.lockplane/shadow.json` lives: beside lockplane.toml, else the current directory. */
function projectDir(): string {
  const ctx = configContext();
  return ctx.config?.dir ?? ctx.cwd;
}

export function registerShadow(program: Command): void {
  const shadow = program
    .command('shadow')
    .description('a clean shadow database for ORMs: prepare it, let the ORM create its tables there, diff, release');

  shadow
    .command('prepare')
    .description('reset the environment\'s shadow, reserve it (.lockplane/shadow.json) and print its URL as JSON')
    .option('--target-environment <name>', 'lockplane.toml environment whose shadow to prepare (default: default_environment)')
    .option('--force', 'replace an existing reservation (stopping its embedded server)')
    .action(async (opts: PrepareOptions) => {
      const database = targetFor(undefined, opts.targetEnvironment);
      const environment = database.environment?.name ?? NO_ENVIRONMENT;
      if (isSqliteCommand([database])) return prepareSqliteShadowCommand(projectDir(), database, environment, opts.force === true);
      const settings = database.shadow;
      if (settings.url && !/^postgres(ql)?:\/\//i.test(settings.url)) {
        throw new InputError(`${redact(settings.url)} (from ${settings.source ?? 'SHADOW_DATABASE_URL'}): the shadow workflow needs a postgres:// shadow an ORM can reach, or none for the embedded shadow`);
      }
      const { prepareShadow, handleOf, RESERVATION_FILE } = await lib();
      const reservation = await prepareShadow({
        projectDir: projectDir(),
        environment,
        databaseUrl: database.url,
        ...(settings.url ? { shadowUrl: settings.url } : {}),
        ...(settings.schema ? { shadowSchema: settings.schema } : {}),
        ...(database.schemas ? { managedSchemas: database.schemas } : {}),
        force: opts.force === true,
      });
      const where = reservation.server
        ? `embedded PGlite served on 127.0.0.1:${reservation.server.port} (pid ${reservation.server.pid})`
        : reservation.shadow_schema
          ? `schema ${reservation.shadow_schema} in ${redact(settings.url ?? database.url)}`
          : `${redact(reservation.shadow_url)} from ${settings.source ?? 'SHADOW_DATABASE_URL'}`;
      info(`✓ Shadow ready: ${where}; reserved in ${RESERVATION_FILE} until \`lockplane shadow release\``);
      out(json(handleOf(reservation)));
    });

  const diff = shadow
    .command('diff')
    .description('print the plan from the environment\'s database (before) to the reserved shadow (after)')
    .option('--target-environment <name>', 'lockplane.toml environment whose database is the before side (default: the reservation\'s)')
    .option('--output <format>', 'json, sql or text', 'json')
    .action(async (opts: DiffOptions) => {
      const format = choice('--output', opts.output, PLAN_FORMATS);
      useFilterFlags(opts);
      const { reservedShadow } = await lib();
      const reservation = await reservedShadow(projectDir());
      const environment = opts.targetEnvironment ?? (configContext().config ? reservation.environment : undefined);
      const database = targetFor(undefined, environment);
      if (reservation.environment !== (environment ?? NO_ENVIRONMENT)) {
        warn(`The shadow was prepared for environment "${reservation.environment}"; diffing it against "${environment ?? NO_ENVIRONMENT}"`);
      }
      const { plan, label } = isSqliteCommand([database]) ? await sqliteShadowPlan(reservation, database) : await postgresShadowPlan(reservation, database);
      info(plan.steps.length === 0 ? 'No differences: the database matches the shadow' : `Plan: ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} from ${label} to the shadow`);
      out(formatPlan(plan, format));
    });
  addFilterOptions(diff);

  shadow
    .command('release')
    .description('remove the reservation and stop the embedded shadow server, if any')
    .action(async () => {
      const { releaseShadow, RESERVATION_FILE } = await lib();
      const released = await releaseShadow(projectDir());
      if (!released.reservation) {
        info(`No shadow reservation (${RESERVATION_FILE}): nothing to release`);
        return;
      }
      if (released.serverWasRunning === false) {
        warn(`The embedded shadow server (pid ${released.reservation.server?.pid}) was no longer running`);
      }
      info(`✓ Released the shadow of environment "${released.reservation.environment}"`);
    });
}

async function postgresShadowPlan(reservation: Reservation, database: ResolvedDatabase): Promise<{ plan: Plan; label: string }> {
  const { loadReservedShadow, buildPlan, filterSchema, isSqliteSpec } = await lib();
  if (isSqliteSpec(reservation.shadow_url)) {
    throw new InputError(`the reserved shadow ${reservation.shadow_url} is a SQLite database and ${redact(database.url)} is not: run \`lockplane shadow release\`, then \`lockplane shadow prepare\` for this environment`);
  }
  const filter = commandFilter(database.environment);
  const before = await loadSourceFor(database.url, { filter });
  // The shadow goes through the same filter as the database: left-out objects are neither created nor dropped.
  const after = filterSchema(await loadReservedShadow(reservation, before.schema, database.schemas), filter);
  return { plan: buildPlan(before.schema, after), label: before.label };
}
