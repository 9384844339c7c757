// `.env.NAME` files: the secrets of one environment, next to lockplane.toml.
// Parsed by Node's own env-file parser (util.parseEnv, Node 20.12+): quotes,
// comments, `export` prefixes and multi-line quoted values as Node reads them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as util from 'node:util';
import { InputError } from '../errors.js';

export type EnvValues = Readonly<Record<string, string>>;

export function envFileName(environment: string): string {
  return `.env.${environment}`;
}

export function envFilePath(configDir: string, environment: string): string {
  return join(configDir, envFileName(environment));
}

/** The values of an env file, or undefined when the file does not exist. */
export function readEnvFile(path: string): EnvValues | undefined {
  if (!existsSync(path)) return undefined;
  return parseEnvText(readFileSync(path, 'utf8'), path);
}

export function parseEnvText(text: string, label: string): EnvValues {
  const parse = (util as { parseEnv?: (content: string) => NodeJS.Dict<string> }).parseEnv;
  if (typeof parse !== 'function') {
    throw new InputError(`${label}: reading env files needs Node.js 20.12 or newer (this is ${process.version})`);
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parse(text))) {
    if (value !== undefined) values[key] = value;
  }
  return values;
}
