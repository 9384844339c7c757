// lockplane.toml as init writes it: a commented template for a new project;
// for an existing one, the new [environments.NAME] sections are added to the
// text as written (comments and layout kept), a replaced one (--force) is cut
// out and written anew. The result must pass our own parser.
import { parse, stringify } from 'smol-toml';
import { InputError } from '../errors.js';
import { parseConfig } from '../config/index.js';
import type { EnvironmentSetup } from './model.js';

/** TOML basic strings accept JSON's escapes. */
const tomlString = (value: string): string => JSON.stringify(value);

export function renderEnvironmentSection(setup: EnvironmentSetup): string {
  const lines = [`[environments.${setup.name}]`];
  if (setup.description) lines.push(`description = ${tomlString(setup.description)}`);
  lines.push(`schema_path = ${tomlString(setup.schemaPath)}`);
  if (setup.preset) lines.push(`preset = ${tomlString(setup.preset)}`);
  if (setup.schemas) {
    lines.push('# The shadow schema lives in this database: Lockplane manages these schemas only.');
    lines.push(`schemas = [${setup.schemas.map(tomlString).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderNewConfig(setups: readonly EnvironmentSetup[]): string {
  const first = setups[0];
  if (!first) throw new Error('renderNewConfig: no environment');
  return [
    '# lockplane.toml: Lockplane\'s project settings. Commit this file.',
    '# No secrets here: each environment\'s connection settings live in .env.NAME',
    '# beside this file (DATABASE_URL, SHADOW_DATABASE_URL, SHADOW_SCHEMA), which',
    '# is not committed; .env.example lists the keys.',
    '',
    '# The environment commands use when no --*-environment flag names one.',
    `default_environment = ${tomlString(first.name)}`,
    '',
    '# The desired schema (SQL files or JSON), relative to this file.',
    `schema_path = ${tomlString(first.schemaPath)}`,
    '',
    '# Namespaces to introspect (default: every user schema).',
    '# schemas = ["public"]',
    '',
    ...setups.map(renderEnvironmentSection).join('\n').split('\n'),
  ].join('\n');
}

/** The text of an existing lockplane.toml with `setups` added (replacing same-named ones when `force`). */
export function addEnvironments(text: string, path: string, setups: readonly EnvironmentSetup[], force: boolean): { text: string; commentsKept: boolean } {
  const existing = parseConfig(text, path);
  for (const setup of setups) {
    if (existing.environments.has(setup.name) && !force) {
      throw new InputError(`${existing.label}: environment "${setup.name}" already exists; pass --force to replace it, or choose another --env-name`);
    }
  }
  let edited = text;
  for (const setup of setups) edited = upsertSection(edited, setup);
  if (accepted(edited, path)) return { text: edited, commentsKept: true };
  // The file defines environments in a form we cannot edit line by line (inline tables, dotted keys).
  const rerendered = rerender(text, setups);
  parseConfig(rerendered, path);
  return { text: rerendered, commentsKept: false };
}

function accepted(text: string, path: string): boolean {
  try {
    parseConfig(text, path);
    return true;
  } catch {
    return false;
  }
}

const HEADER = /^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$/;

function headerName(line: string): string[] | undefined {
  const match = HEADER.exec(line);
  if (!match || line.trimStart().startsWith('[[')) return undefined;
  return match[1]!.split('.').map((part) => part.trim().replace(/^"(.*)"$|^'(.*)'$/, '$1$2'));
}

function upsertSection(text: string, setup: EnvironmentSetup): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => {
    const name = headerName(line);
    return name?.length === 2 && name[0] === 'environments' && name[1] === setup.name;
  });
  const section = renderEnvironmentSection(setup);
  if (start < 0) {
    const body = text.replace(/\n*$/, '');
    return `${body}${body ? '\n\n' : ''}${section}`;
  }
  let end = lines.findIndex((line, index) => index > start && headerName(line) !== undefined);
  if (end < 0) end = lines.length;
  // Comments and blank lines just before the next header belong to it.
  while (end - 1 > start && /^\s*(#.*)?$/.test(lines[end - 1]!)) end -= 1;
  const replaced = [...lines.slice(0, start), ...section.replace(/\n$/, '').split('\n'), ...lines.slice(end)];
  return replaced.join('\n');
}

function rerender(text: string, setups: readonly EnvironmentSetup[]): string {
  const root = parse(text) as Record<string, unknown>;
  const environments = { ...((root.environments as Record<string, unknown> | undefined) ?? {}) };
  for (const setup of setups) {
    environments[setup.name] = {
      ...(setup.description ? { description: setup.description } : {}),
      schema_path: setup.schemaPath,
      ...(setup.preset ? { preset: setup.preset } : {}),
      ...(setup.schemas ? { schemas: setup.schemas } : {}),
    };
  }
  return `${stringify({ ...root, environments })}\n`;
}
