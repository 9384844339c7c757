// The background process behind the embedded shadow of `lockplane shadow
// prepare`: a fresh PGlite data directory served over the Postgres protocol on
// 127.0.0.1, so an ORM (psycopg2, …) in another process can create its tables
// there. Started detached by pglite-server.ts, which learns the port over the
// IPC channel; it runs until `lockplane shadow release` sends SIGTERM.
//
// Usage: node pglite-server-process.js DATA_DIR
import { mkdirSync, rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface ServerReady {
  port: number;
}

// psycopg2, SQLAlchemy and Lockplane connect one after another, but a client
// may keep an idle connection open while the next one connects: the server
// multiplexes a few connections over the single PGlite session.
const MAX_CONNECTIONS = 8;

async function main(dataDir: string): Promise<void> {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS });
  await server.start();
  const port = Number(/:(\d+)$/.exec(server.getServerConn())?.[1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`unexpected server address ${server.getServerConn()}`);
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  const ready: ServerReady = { port };
  process.send?.(ready);
  process.disconnect?.();
  process.stdout.write(`PGlite shadow serving ${dataDir} on 127.0.0.1:${port} (pid ${process.pid})\n`);
}

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: pglite-server-process DATA_DIR\n');
  process.exit(2);
}
main(dataDir).catch((error: unknown) => {
  process.stderr.write(`PGlite shadow server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
