// Runs a lockplane command in this process, exactly as the CLI parses and runs
// it, and returns its exit code. What it prints goes wherever process.stdout
// and process.stderr point (the tool call's capture, see stdio.ts).
import { CommanderError } from 'commander';
import { ExitCode, LockplaneError, redact } from '../errors.js';
import { resetCommandState } from '../cli/common.js';
import { buildProgram } from '../cli/program.js';

export async function runCommand(args: readonly string[]): Promise<number> {
  resetCommandState();
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync(['node', 'lockplane', ...args]);
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    process.stderr.write(`Error: ${errorMessage(error)}\n`);
    return error instanceof LockplaneError ? error.exitCode : ExitCode.runtime;
  } finally {
    process.exitCode = undefined;
  }
}

/** One line, without secrets. */
export function errorMessage(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}
