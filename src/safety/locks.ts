// Lock hazards: which code a risky lock on a table holding rows gets, and the
// findings of a step's annotated locks (see plan/locks.ts).
import { blockedStatements, type LockRisk } from '../dialects/postgres/locks.js';
import type { PlanStep, StepLock } from '../plan/types.js';
import { finding } from './registry.js';
import type { Finding } from './types.js';

const CODES: Record<LockRisk, string> = {
  rewrite: 'LP110',
  index_build: 'LP111',
  scan: 'LP112',
  index_drop: 'LP113',
  unknown: 'LP114',
};

export function lockHazardCode(risk: LockRisk): string {
  return CODES[risk];
}

/** LP110–LP129 are lock hazards: the lock pass owns them on a step. */
export function isLockHazard(code: string): boolean {
  const n = /^LP(\d{3})$/.exec(code);
  return n !== null && Number(n[1]) >= 110 && Number(n[1]) <= 129;
}

const EFFECTS: Record<StepLock['effect'], string> = {
  rewrite: 'and rewrites it',
  scan: 'and reads every row',
  write: 'and writes rows',
  catalog: 'and changes only the catalog',
  unknown: 'with an unknown effect',
};

/** One line about a lock: `ALTER COLUMN TYPE takes ACCESS EXCLUSIVE on public.users and rewrites it (blocks reads and writes)`. */
export function describeLock(lock: StepLock): string {
  const table = lock.table === '*' ? 'the tables it touches' : lock.table;
  return `${lock.operation} takes ${lock.mode} on ${table} ${EFFECTS[lock.effect]} (${blockedStatements(lock.mode)})`;
}

export function lockFindings(step: Pick<PlanStep, 'locks'>): Finding[] {
  return (step.locks ?? []).flatMap((lock) => (lock.hazards ?? []).map((code) => finding(code, describeLock(lock))));
}
