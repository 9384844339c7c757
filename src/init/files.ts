// Everything init writes, worked out first (so the wizard can show it and a
// conflict stops before anything is touched), then written.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { CONFIG_FILE_NAME, envFileName } from '../config/index.js';
import { envEntries, type EnvironmentSetup } from './model.js';
import { addEnvironments, renderNewConfig } from './toml.js';
import { updateEnvExample, updateEnvText, updateGitignore } from './env-text.js';

export interface FileWrite {
  path: string;
  /** Relative to the current directory, for messages. */
  label: string;
  content: string;
  /** 0o600 for files with secrets. */
  mode?: number;
  action: 'create' | 'update';
}

export interface InitFilesPlan {
  configPath: string;
  writes: FileWrite[];
  /** Schema directories to create (absolute). */
  directories: string[];
  notes: string[];
}

const SECRET_MODE = 0o600;

/** An existing .env.NAME sets Lockplane's keys to other values: the wizard asks, --yes needs --force. */
export class EnvFileConflict extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'EnvFileConflict';
  }
}

export function planInitFiles(configDir: string, setups: readonly EnvironmentSetup[], force: boolean, cwd = process.cwd()): InitFilesPlan {
  const names = new Set<string>();
  for (const setup of setups) {
    if (names.has(setup.name)) throw new InputError(`environment "${setup.name}" is set up twice`);
    names.add(setup.name);
  }
  const label = (path: string): string => relative(cwd, path) || path;
  const writes: FileWrite[] = [];
  const notes: string[] = [];
  const add = (path: string, content: string | undefined, mode?: number): void => {
    if (content === undefined) return;
    const existing = read(path);
    if (existing === content && mode === undefined) return;
    writes.push({ path, label: label(path), content, ...(mode === undefined ? {} : { mode }), action: existing === undefined ? 'create' : 'update' });
  };

  const configPath = join(configDir, CONFIG_FILE_NAME);
  const existingConfig = read(configPath);
  let configText: string;
  if (existingConfig === undefined) {
    configText = renderNewConfig(setups);
  } else {
    const edited = addEnvironments(existingConfig, label(configPath), setups, force);
    if (!edited.commentsKept) notes.push(`${label(configPath)} was rewritten from its values: its comments could not be kept`);
    configText = edited.text;
  }

  for (const setup of setups) {
    const path = join(configDir, envFileName(setup.name));
    const update = updateEnvText(read(path), envEntries(setup), label(path), force);
    if (update.conflicts.length > 0) {
      throw new EnvFileConflict(
        `${label(path)} already sets ${update.conflicts.join(', ')} to something else; pass --force to replace Lockplane's keys in it (its other lines are kept)`,
      );
    }
    add(path, update.text, SECRET_MODE);
  }
  const keys = [...new Set(setups.flatMap((setup) => envEntries(setup).map(([key]) => key)))];
  add(join(configDir, '.env.example'), updateEnvExample(read(join(configDir, '.env.example')), keys));
  add(join(configDir, '.gitignore'), updateGitignore(read(join(configDir, '.gitignore'))));
  add(configPath, configText);

  const directories = [...new Set(setups.map((setup) => resolve(configDir, setup.schemaPath)))].filter((dir) => !existsSync(dir));
  return { configPath, writes, directories, notes };
}

/** Writes the plan: directories, then secrets, then lockplane.toml last. */
export function writeInitFiles(plan: InitFilesPlan): void {
  for (const dir of plan.directories) mkdirSync(dir, { recursive: true });
  for (const write of plan.writes) {
    writeFileSync(write.path, write.content, write.mode === undefined ? {} : { mode: write.mode });
    // The mode option applies to new files only.
    if (write.mode !== undefined) chmodSync(write.path, write.mode);
  }
}

function read(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}
