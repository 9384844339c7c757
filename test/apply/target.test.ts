// Applying to a target: advisory lock, ledger, lock timeouts with retries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyToTarget } from '../../src/apply/target.js';
import { Ledger } from '../../src/apply/ledger.js';
import { LockBusyError } from '../../src/apply/lock.js';
import { StepFailedError } from '../../src/apply/execute.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { connect, type PgSession } from '../../src/dialects/postgres/session.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Plan } from '../../src/plan/types.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

const plan = (...sql: string[]): Plan => ({ steps: sql.map((s, i) => ({ description: `step ${i + 1}`, sql: s })) });

async function hashOf(session: PgSession): Promise<string> {
  return schemaHash(await introspect(session));
}

async function ledgerRecordsSuccessAndFailure(session: PgSession): Promise<void> {
  const first = plan('CREATE TABLE a (id int PRIMARY KEY)', 'ALTER TABLE a ADD COLUMN v text');
  const ok = await applyToTarget(session, first, { expectedSourceHash: await hashOf(session) });
  assert.equal(ok.stepsApplied, 2);

  const before = await hashOf(session);
  const broken = plan('ALTER TABLE a ADD COLUMN w int', 'ALTER TABLE missing ADD COLUMN x int');
  await assert.rejects(applyToTarget(session, broken, { expectedSourceHash: before }), (error: unknown) => {
    assert.ok(error instanceof StepFailedError);
    assert.equal(error.stepIndex, 1);
    return true;
  });
  assert.equal(await hashOf(session), before, 'the failed transaction left nothing behind');

  await assert.rejects(applyToTarget(session, first, { expectedSourceHash: 'f'.repeat(64) }), /database changed since the plan was made/);

  const applies = await new Ledger(session).list(10);
  assert.deepEqual(
    applies.map((a) => [a.status, a.steps_done, a.steps_total, a.failed_step]),
    [
      ['refused', 0, 2, null],
      ['failed', 0, 2, 2],
      ['applied', 2, 2, null],
    ],
  );
  assert.match(applies[1]!.error ?? '', /relation "missing" does not exist/);
  assert.ok(applies.every((a) => a.finished_at !== null));
  const schema = await introspect(session);
  assert.ok(!(schema.schemas ?? []).some((s) => s.name === 'lockplane'), 'the ledger is never introspected');
}

test('ledger on PGlite: applied, failed (rolled back, step named) and refused applies', { timeout: 60_000 }, () =>
  withPglite(ledgerRecordsSuccessAndFailure),
);

serverTest('ledger on the server: applied, failed (rolled back, step named) and refused applies', () =>
  withServerSession(ledgerRecordsSuccessAndFailure),
);

serverTest('a second applier fails fast while the lock is held, or waits with --lock-wait', () =>
  withServerSession(async (session, url) => {
    const other = await connect(url);
    try {
      await other.query('SELECT pg_advisory_lock($1, $2)', [0x4c50, 1]);
      const p = plan('CREATE TABLE t (id int)');
      const hash = await hashOf(session);
      await assert.rejects(applyToTarget(session, p, { expectedSourceHash: hash }), (error: unknown) => {
        assert.ok(error instanceof LockBusyError);
        assert.match(error.message, /another lockplane apply holds the lock/);
        return true;
      });
      setTimeout(() => void other.query('SELECT pg_advisory_unlock($1, $2)', [0x4c50, 1]), 600);
      const result = await applyToTarget(session, p, { expectedSourceHash: hash, lockWaitSeconds: 5 });
      assert.equal(result.stepsApplied, 1);
    } finally {
      await other.close();
    }
  }),
);

serverTest('a lock timeout is retried with backoff, then the apply stops cleanly', () =>
  withServerSession(async (session, url) => {
    await session.exec('CREATE TABLE busy (id int)');
    const blocker = await connect(url);
    try {
      await blocker.exec('BEGIN; LOCK TABLE busy IN ACCESS SHARE MODE');
      const retries: number[] = [];
      await assert.rejects(
        applyToTarget(session, plan('ALTER TABLE busy ADD COLUMN v int'), {
          expectedSourceHash: await hashOf(session),
          lockTimeout: '100ms',
          retries: 2,
          onRetry: (attempt) => retries.push(attempt),
        }),
        /step 1 \(step 1\) failed: canceling statement due to lock timeout/,
      );
      assert.deepEqual(retries, [1, 2]);
      const [last] = await new Ledger(session).list(1);
      assert.equal(last!.status, 'failed');
      assert.equal(last!.failed_step, 1);

      await blocker.exec('COMMIT');
      const ok = await applyToTarget(session, plan('ALTER TABLE busy ADD COLUMN v int'), { expectedSourceHash: await hashOf(session) });
      assert.equal(ok.attempts, 1);
    } finally {
      await blocker.close();
    }
  }),
);
