import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * The package version, from the nearest package.json named lockplane above
 * this module: next to src/ or dist/, or above dist/bin/ (the bundled CLI).
 */
export function lockplaneVersion(): string {
  if (cached) return cached;
  cached = 'unknown';
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'lockplane' && pkg.version) {
        cached = pkg.version;
        break;
      }
    } catch {
      // no package.json here (or not JSON): look further up
    }
    if (dir.pathname === '/') break;
  }
  return cached;
}
