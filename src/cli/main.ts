#!/usr/bin/env node
// The lockplane command. Thin: parse, call the library, print.
import type { CommanderError } from 'commander';
import { ExitCode, LockplaneError, redact } from '../errors.js';
import { lockplaneVersion } from '../version.js';

// A command runs for seconds, so its WebAssembly (the SQL parser, PGlite) is
// compiled once by Liftoff and never recompiled: V8's default re-compiles hot
// functions with TurboFan on background threads, which on two cores took CPU
// from the catalog reads (~0.4 s in a plan at M) and held the exit until done
// (~0.1 s); Liftoff-only was faster end to end in every bench scenario,
// PGlite's included. Not for `mcp`, a server whose queries keep running.
async function main(argv: string[]): Promise<number> {
  // `lockplane --version` alone needs none of the commands: answered before they load.
  const only = argv.length === 3 ? argv[2] : undefined;
  if (only === '--version' || only === '-V') {
    process.stdout.write(`${lockplaneVersion()}\n`);
    return ExitCode.ok;
  }
  if (argv[2] !== 'mcp') (await import('node:v8')).setFlagsFromString('--liftoff-only');
  ({ CommanderError: commanderError } = await import('commander'));
  const { buildProgram } = await import('./program.js');
  const { libraryLoaded } = await import('./common.js');
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (error) {
    return reportError(error);
  } finally {
    if (libraryLoaded()) await (await import('../shadow/scratch.js')).closeIdleScratch();
  }
}

/** Loaded with the commands: nothing before them throws one. */
let commanderError: typeof CommanderError | undefined;

function reportError(error: unknown): number {
  if (commanderError && error instanceof commanderError) {
    // Help and version exit through here with code 0; commander already printed usage errors.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  }
  const debug = process.env.LOCKPLANE_DEBUG === '1';
  if (error instanceof LockplaneError) {
    process.stderr.write(`Error: ${error.message}\n`);
    if (debug && error.stack) process.stderr.write(`${redact(error.stack)}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Error: ${redact(message)}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${redact(error.stack)}\n`);
  return ExitCode.runtime;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error);
  },
);
