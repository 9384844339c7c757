// Lock hazards in the registry: warnings with an explanation and a safer
// alternative, never blocking, never data loss; one code per risk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hazardInfo } from '../../src/safety/index.js';
import { describeLock, isLockHazard, lockFindings, lockHazardCode } from '../../src/safety/locks.js';

test('LP110-LP114 are registered warnings with an explanation and a safer alternative', () => {
  const codes = (['rewrite', 'index_build', 'scan', 'index_drop', 'unknown'] as const).map(lockHazardCode);
  assert.deepEqual(codes, ['LP110', 'LP111', 'LP112', 'LP113', 'LP114']);
  for (const code of codes) {
    const info = hazardInfo(code)!;
    assert.ok(info, code);
    assert.equal(info.severity, 'warning', code);
    assert.equal(info.blocking, false, code);
    assert.equal(info.data_loss, false, code);
    assert.ok(info.title && info.explanation && info.alternative, code);
    assert.equal(isLockHazard(code), true);
  }
  assert.equal(isLockHazard('LP102'), false);
  assert.equal(isLockHazard('LP130'), false);
});

test('a lock with hazards becomes findings that say what is locked, how, and why it matters', () => {
  const lock = { table: 'public.users', mode: 'SHARE' as const, effect: 'scan' as const, operation: 'CREATE INDEX', hazards: ['LP111'] };
  assert.equal(describeLock(lock), 'CREATE INDEX takes SHARE on public.users and reads every row (blocks writes)');
  const [f] = lockFindings({ locks: [lock, { table: 'public.posts', mode: 'SHARE', effect: 'scan', operation: 'CREATE INDEX', new: true }] });
  assert.equal(f!.code, 'LP111');
  assert.equal(f!.blocking, false);
  assert.match(f!.details!.join(' '), /every INSERT, UPDATE and DELETE on the table waits/);
  assert.match(f!.alternative!, /CONCURRENTLY/);
  assert.equal(lockFindings({ locks: [{ table: '*', mode: 'ACCESS EXCLUSIVE', effect: 'unknown', operation: 'DO', hazards: ['LP114'] }] })[0]!.message,
    'DO takes ACCESS EXCLUSIVE on the tables it touches with an unknown effect (blocks reads and writes)');
});
