// Durations as flags and settings take them, in Postgres's own spelling:
// `500ms`, `5s`, `2min`, `1h`; a bare number is milliseconds (as Postgres reads it).
const DURATION = /^\d+(\.\d+)?\s*(ms|s|min|h)?$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };

export function isDuration(value: string): boolean {
  return DURATION.test(value.trim());
}

/** The duration in milliseconds; null when `value` is not one. */
export function durationMs(value: string): number | null {
  const match = DURATION.exec(value.trim());
  if (!match) return null;
  return Number.parseFloat(value) * UNIT_MS[match[2] ?? 'ms']!;
}
