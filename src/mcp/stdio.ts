// The MCP server's stdout carries the protocol and nothing else. Lockplane's
// commands print results to stdout and progress to stderr, so while the
// server runs both are redirected: into the tool call that is running (its
// result), stderr also to the real stderr (the MCP client's log), and stray
// stdout outside a call to stderr. Tool calls run one at a time: the
// commands keep per-command state (configuration, the database in use).
import { Writable } from 'node:stream';

interface Sink {
  stdout: string;
  stderr: string;
}

let sink: Sink | undefined;
let queue: Promise<unknown> = Promise.resolve();

type Write = typeof process.stdout.write;

/** Redirects process.stdout and process.stderr as above; returns the stream the protocol writes to. */
export function takeOverStdout(): Writable {
  const protocolWrite: Write = process.stdout.write.bind(process.stdout);
  const stderrWrite: Write = process.stderr.write.bind(process.stderr);
  process.stdout.write = redirected((text) => {
    if (sink) sink.stdout += text;
    else stderrWrite(text);
  });
  process.stderr.write = redirected((text) => {
    if (sink) sink.stderr += text;
    stderrWrite(text);
  });
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      protocolWrite(chunk, (error) => callback(error ?? null));
    },
  });
}

function redirected(to: (text: string) => void): Write {
  return ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean => {
    to(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8'));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) queueMicrotask(() => done(null));
    return true;
  }) as Write;
}

export interface Captured<T> {
  value?: T;
  error?: unknown;
  stdout: string;
  stderr: string;
}

/** Runs `fn` after the calls before it, with what it prints collected. */
export function captured<T>(fn: () => Promise<T>): Promise<Captured<T>> {
  const run = queue.then(async (): Promise<Captured<T>> => {
    const own: Sink = { stdout: '', stderr: '' };
    sink = own;
    try {
      return { value: await fn(), ...own };
    } catch (error) {
      return { error, ...own };
    } finally {
      sink = undefined;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}
