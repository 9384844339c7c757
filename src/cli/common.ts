// Pieces shared by several commands.
import { InputError } from '../errors.js';
import { resolveShadowUrl, resolveTarget, type ResolvedTarget } from '../config/target.js';
import type { LoadedSource, NormalizeOptions } from '../index.js';
import { info } from './output.js';

/** The library, loaded when a command runs: `--help` and `--version` stay fast. */
let loaded = false;
export const lib = (): Promise<typeof import('../index.js')> => {
  loaded = true;
  return import('../index.js');
};
export const libraryLoaded = (): boolean => loaded;

export function normalizeOptions(): NormalizeOptions {
  const shadowUrl = resolveShadowUrl();
  return shadowUrl ? { shadowUrl } : {};
}

export async function loadSourceFor(spec: string): Promise<LoadedSource> {
  return (await lib()).loadSource(spec, normalizeOptions());
}

/** Resolves the database a command reads or changes and says which one it picked when it was not explicit. */
export function targetFor(flag: string | undefined): ResolvedTarget {
  const target = resolveTarget(flag);
  if (target.origin === 'embedded') {
    info(`Using the embedded database ${target.url} (no --target/--db or DATABASE_URL given)`);
  }
  return target;
}

export type HazardAllowance = Set<string> | 'all';

export function parseAllowHazards(value: string | undefined): HazardAllowance {
  if (!value) return new Set();
  const codes = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (codes.some((c) => c.toLowerCase() === 'all')) return 'all';
  for (const code of codes) {
    if (!/^LP\d{3}$/.test(code)) throw new InputError(`--allow-hazards: ${code} is not a hazard code (expected e.g. LP202, or all)`);
  }
  return new Set(codes);
}

export function choice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${flag}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
}
