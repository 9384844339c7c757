// Finding lockplane.toml: walk up from the current directory, stopping at the
// project root (a directory with .git, package.json or pyproject.toml — that
// directory is searched too) or at the filesystem root.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CONFIG_FILE_NAME = 'lockplane.toml';
export const PROJECT_ROOT_MARKERS = ['.git', 'package.json', 'pyproject.toml'] as const;

/** The path of the lockplane.toml that applies in `cwd`, or undefined. */
export function findConfigFile(cwd: string = process.cwd()): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (PROJECT_ROOT_MARKERS.some((marker) => existsSync(join(dir, marker)))) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
