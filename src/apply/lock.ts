// One applier at a time: a session-level advisory lock on the target, held
// on Lockplane's pinned connection for the whole apply.
import { LockplaneError } from '../errors.js';
import type { PgSession } from '../dialects/postgres/session.js';

// Two-key form: 0x4C50 ("LP") and 1 = "apply". Fixed, so every Lockplane agrees.
const LOCK_KEYS = [0x4c50, 1] as const;

export class LockBusyError extends LockplaneError {
  constructor(waited: number) {
    super(
      `another lockplane apply holds the lock on this database${waited > 0 ? ` (waited ${waited} s)` : ''}; wait for it to finish, or pass --lock-wait SECONDS`,
      1,
    );
    this.name = 'LockBusyError';
  }
}

export async function acquireApplyLock(session: PgSession, waitSeconds: number): Promise<void> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const rows = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [...LOCK_KEYS]);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline) throw new LockBusyError(waitSeconds);
    await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now()))));
  }
}

export async function releaseApplyLock(session: PgSession): Promise<void> {
  await session.query('SELECT pg_advisory_unlock($1, $2)', [...LOCK_KEYS]).catch(() => undefined);
}

/** True when no apply holds the lock right now (the lock is taken and released at once). */
export async function applyLockFree(session: PgSession): Promise<boolean> {
  const rows = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [...LOCK_KEYS]);
  if (!rows[0]?.locked) return false;
  await releaseApplyLock(session);
  return true;
}
