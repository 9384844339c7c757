// Where output goes: machine-readable results (JSON, SQL) to stdout so they
// can be redirected; progress, reports and prompts to stderr.
import pc from 'picocolors';

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function info(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function warn(text: string): void {
  info(pc.yellow(text));
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
