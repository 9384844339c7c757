// Names of the helper objects online rewrites create (temporary indexes, columns, checks, triggers).
import { createHash } from 'node:crypto';

const MAX_NAME_BYTES = 63;

/** `prefix` + name, cut to Postgres's 63 bytes with a short hash of the whole name when it is too long: deterministic and distinct. */
export function helperName(prefix: string, name: string): string {
  const full = prefix + name;
  if (Buffer.byteLength(full) <= MAX_NAME_BYTES) return full;
  const suffix = `_${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  let cut = name;
  while (Buffer.byteLength(prefix + cut + suffix) > MAX_NAME_BYTES) cut = [...cut].slice(0, -1).join('');
  return prefix + cut + suffix;
}
