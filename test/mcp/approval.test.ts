// Approval tokens: signed over exactly what was approved; every mismatch refused with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureApprovalKey, readApprovalKey, sha256, signApproval, verifyApproval, type Approval } from '../../src/mcp/approval.js';
import { tempProject } from '../e2e/cli.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const approval: Approval = { plan: sha256('plan'), source: 'abc', target: sha256('postgres://db'), hazards: ['LP202'], issued: NOW, expires: NOW + 3_600_000 };
const expected = { plan: approval.plan, source: 'abc', target: approval.target, hazards: ['LP202'] };

test('the key: 32 random bytes, mode 0600, created once, kept out of git', () => {
  const { dir, cleanup } = tempProject();
  try {
    assert.equal(readApprovalKey(dir), undefined);
    const key = ensureApprovalKey(dir);
    assert.equal(key.length, 32);
    assert.equal(statSync(join(dir, '.lockplane', 'approval-key')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dir, '.lockplane', '.gitignore'), 'utf8'), 'approval-key\n');
    assert.deepEqual(ensureApprovalKey(dir), key, 'the second approval reuses the key');
    writeFileSync(join(dir, '.lockplane', 'approval-key'), '{"steps": []}\n');
    assert.equal(readApprovalKey(dir), undefined);
    assert.throws(() => ensureApprovalKey(dir), /approval-key is not a Lockplane approval key \(64 hex digits\); delete it and approve again/);
  } finally {
    cleanup();
  }
});

test('a token verifies only for what it approved, before it expires, under its key', () => {
  const key = Buffer.alloc(32, 1);
  const token = signApproval(key, approval);
  assert.deepEqual(verifyApproval(key, token, expected, NOW + 1000), { ok: true, approval });
  const reason = (verdict: ReturnType<typeof verifyApproval>): string => (verdict.ok ? 'ok' : verdict.reason);
  assert.match(reason(verifyApproval(Buffer.alloc(32, 2), token, expected, NOW)), /signature is not valid/);
  assert.match(reason(verifyApproval(key, token, { ...expected, plan: sha256('other') }, NOW)), /a different plan/);
  assert.match(reason(verifyApproval(key, token, { ...expected, source: 'def' }, NOW)), /another source schema/);
  assert.match(reason(verifyApproval(key, token, { ...expected, target: sha256('postgres://prod') }, NOW)), /another target database/);
  assert.equal(reason(verifyApproval(key, token, expected, approval.expires)), 'the token expired at 2026-01-01T13:00:00.000Z');
  assert.match(reason(verifyApproval(key, token, { ...expected, hazards: ['LP202', 'LP201'] }, NOW)), /did not acknowledge: LP201$/);
  assert.match(reason(verifyApproval(key, 'yes', expected, NOW)), /not a Lockplane approval token/);
  const [prefix, payload, mac] = token.split('.');
  const widened = Buffer.from(JSON.stringify({ ...approval, hazards: ['LP202', 'LP201'] })).toString('base64url');
  assert.match(reason(verifyApproval(key, `${prefix}.${widened}.${mac}`, expected, NOW)), /signature is not valid/);
  assert.match(reason(verifyApproval(key, `${prefix}.${payload}.${mac}x`, expected, NOW)), /signature is not valid/);
});
