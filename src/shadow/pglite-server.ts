// The embedded shadow of the shadow workflow: a PGlite served on 127.0.0.1
// by a detached background process (pglite-server-process.ts) that outlives
// `lockplane shadow prepare`, so an ORM in another process can reach it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadPg } from '../dialects/postgres/session.js';
import { LockplaneError } from '../errors.js';
import { processAlive } from '../dialects/postgres/pglite-lock.js';
import type { ServerReady } from './pglite-server-process.js';

export interface PgliteServer {
  pid: number;
  port: number;
  /** The data directory it serves. */
  data_dir: string;
  /** Its stdout/stderr. */
  log_file: string;
}

export type ServerHealth = { ok: true } | { ok: false; reason: string };

const SERVER_SCRIPT = fileURLToPath(new URL('./pglite-server-process.js', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const ANSWER_TIMEOUT_MS = 5_000;

export function pgliteServerUrl(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

/** Starts the background server on a fresh data directory under `stateDir`; resolves once it accepts connections. */
export async function startPgliteServer(stateDir: string): Promise<PgliteServer> {
  mkdirSync(stateDir, { recursive: true });
  const dataDir = join(stateDir, 'shadow-pglite');
  const logFile = join(stateDir, 'shadow-pglite.log');
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [SERVER_SCRIPT, dataDir], {
    detached: true,
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(`it did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new LockplaneError(`cannot start the embedded shadow server: ${why}${logTail(logFile)}`));
    };
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`));
    child.once('message', (message: ServerReady) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(message.port);
    });
  });
  if (child.connected) child.disconnect();
  child.unref();
  const server: PgliteServer = { pid: child.pid!, port, data_dir: dataDir, log_file: logFile };
  const health = await checkPgliteServer(server);
  if (!health.ok) {
    await stopPgliteServer(server);
    throw new LockplaneError(`the embedded shadow server started but ${health.reason}`);
  }
  return server;
}

/** Whether the recorded server is still ours and answering. */
export async function checkPgliteServer(server: PgliteServer): Promise<ServerHealth> {
  if (!isOurProcess(server.pid)) return { ok: false, reason: `died (process ${server.pid} is not running)` };
  if (!(await answersQuery(server.port))) {
    return { ok: false, reason: `(process ${server.pid}) does not answer a query on 127.0.0.1:${server.port} within ${ANSWER_TIMEOUT_MS / 1000} s` };
  }
  return { ok: true };
}

/** Stops the server (SIGTERM, then SIGKILL) and waits until it is gone; no-op when it is not running. */
export async function stopPgliteServer(server: PgliteServer): Promise<boolean> {
  if (!isOurProcess(server.pid)) return false;
  signal(server.pid, 'SIGTERM');
  if (await exited(server.pid, STOP_TIMEOUT_MS)) return true;
  signal(server.pid, 'SIGKILL');
  await exited(server.pid, STOP_TIMEOUT_MS);
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isOurProcess(pid)) return true; // a zombie no longer runs our script either
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isOurProcess(pid);
}

/** Alive, and — where /proc tells — still running our server script, so a reused pid is never signalled. */
function isOurProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    return readFileSync(cmdline, 'utf8').includes('pglite-server-process');
  } catch {
    return false;
  }
}

/** Whether the server answers a query, within a few seconds (a client holding a transaction open also delays it). */
async function answersQuery(port: number): Promise<boolean> {
  const { Client } = await loadPg();
  const client = new Client({ connectionString: pgliteServerUrl(port), connectionTimeoutMillis: ANSWER_TIMEOUT_MS, query_timeout: ANSWER_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function logTail(logFile: string): string {
  try {
    const text = readFileSync(logFile, 'utf8').trim();
    return text ? ` (${logFile}: ${text.split('\n').slice(-3).join(' | ')})` : '';
  } catch {
    return '';
  }
}
