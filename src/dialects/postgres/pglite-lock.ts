// PGlite is one process's database: two processes opening the same data
// directory would corrupt it. A lock file next to it (holding the owner's
// pid) keeps a second Lockplane out; a lock whose process is gone is stale.
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { LockplaneError } from '../../errors.js';

export function lockPgliteDirectory(dir: string): () => void {
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && processAlive(owner)) {
        throw new LockplaneError(`the embedded database ${dir} is in use by another lockplane process (pid ${owner}); wait for it to finish`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new LockplaneError(`cannot lock the embedded database ${dir}`);
}

/** Whether a process with this pid exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
