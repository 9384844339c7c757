import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The package version, read from package.json next to src/ or dist/. */
export function lockplaneVersion(): string {
  if (cached) return cached;
  try {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    cached = (JSON.parse(text) as { version: string }).version;
  } catch {
    cached = 'unknown';
  }
  return cached;
}
