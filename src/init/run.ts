// `lockplane init`: one or more environments (from flags with --yes, else the
// wizard), checked, then the files written. Nothing is written when a check
// fails or the wizard is cancelled.
import { dirname } from 'node:path';
import { InputError, LockplaneError } from '../errors.js';
import { findConfigFile, loadConfigFile, type ProjectConfig } from '../config/index.js';
import { SETUP_FLAGS, setupFromFlags, type InitFlags } from './flags.js';
import { planInitFiles, writeInitFiles, type InitFilesPlan } from './files.js';
import { testConnection } from './connection.js';
import { DEFAULT_SCHEMA_PATH, type EnvironmentSetup } from './model.js';
import { runWizard, WizardCancelled, type WizardIo } from './wizard.js';
import { summaryText } from './summary.js';
import * as p from '@clack/prompts';

export interface InitRequest {
  flags: InitFlags;
  cwd: string;
  /** The wizard's streams; with flags.yes only `output` is used, for progress. */
  io: WizardIo;
}

export type InitOutcome =
  | { status: 'written'; setups: EnvironmentSetup[]; plan: InitFilesPlan }
  | { status: 'cancelled' };

export async function runInit(request: InitRequest): Promise<InitOutcome> {
  const configPath = findConfigFile(request.cwd);
  const configDir = configPath ? dirname(configPath) : request.cwd;
  const existing = configPath ? loadConfigFile(configPath, request.cwd) : undefined;
  const force = request.flags.force === true;
  const plan = (setups: readonly EnvironmentSetup[], forced = force): InitFilesPlan => planInitFiles(configDir, setups, forced, request.cwd);
  return request.flags.yes || request.flags.supabase
    ? initFromFlags(request, configDir, plan)
    : initWithWizard(request, configDir, existing, plan);
}

async function initFromFlags(request: InitRequest, configDir: string, plan: (setups: readonly EnvironmentSetup[]) => InitFilesPlan): Promise<InitOutcome> {
  const say = (line: string): void => void request.io.output.write(`${line}\n`);
  const setup = setupFromFlags(request.flags);
  // Conflicts with existing files stop before the connection test.
  plan([setup]);
  if (request.flags.skipConnectionTest) {
    say('Connection test skipped (--skip-connection-test)');
  } else {
    const check = await testConnection(setup, configDir);
    if (check.status === 'failed') {
      throw new LockplaneError(`${check.message}. Nothing was written; check the connection flags, or pass --skip-connection-test to write the settings anyway`);
    }
    say(`${check.status === 'ok' ? '✓' : '!'} ${check.message}`);
  }
  const files = plan([setup]);
  writeInitFiles(files);
  say(summaryText([setup], files, request.cwd));
  say(nextSteps([setup]));
  return { status: 'written', setups: [setup], plan: files };
}

async function initWithWizard(
  request: InitRequest,
  configDir: string,
  existing: ProjectConfig | undefined,
  plan: (setups: readonly EnvironmentSetup[], force: boolean) => InitFilesPlan,
): Promise<InitOutcome> {
  const flag = (Object.keys(SETUP_FLAGS) as (keyof typeof SETUP_FLAGS)[]).find((key) => request.flags[key] !== undefined);
  if (flag) throw new InputError(`${SETUP_FLAGS[flag]} needs --yes (without it the wizard asks for every setting)`);
  try {
    const result = await runWizard({
      io: request.io,
      existing: new Set(existing?.environments.keys() ?? []),
      force: request.flags.force === true,
      defaultSchemaPath: existing?.schemaPath ?? DEFAULT_SCHEMA_PATH,
      ...(request.flags.envName ? { suggestedName: request.flags.envName } : {}),
      test: (setup) => testConnection(setup, configDir),
      plan,
    });
    writeInitFiles(result.plan);
    p.outro(`Done. ${nextSteps(result.setups)}`, request.io);
    return { status: 'written', ...result };
  } catch (error) {
    if (!(error instanceof WizardCancelled)) throw error;
    p.cancel('Cancelled: nothing was written.', request.io);
    return { status: 'cancelled' };
  }
}

function nextSteps(setups: readonly EnvironmentSetup[]): string {
  const first = setups[0];
  if (!first) return '';
  return `Next: put your schema (SQL or JSON) in ${first.schemaPath}/, then \`lockplane plan --from-environment ${first.name}\` and \`lockplane apply --target-environment ${first.name}\`.`;
}
