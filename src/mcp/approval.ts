// Approval tokens: what `lockplane approve` prints after a person confirmed a
// plan at a terminal, and what the MCP `apply` tool requires. A token is an
// HMAC-SHA256, under a per-project key, of what was approved: the plan file's
// exact bytes, the source hash the plan was made for, the target database,
// the hazards the person acknowledged, and an expiry. See docs/mcp.md for
// what this does and does not protect against.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';

export const APPROVAL_KEY_FILE = join('.lockplane', 'approval-key');
const TOKEN_PREFIX = 'lpa1';

export interface Approval {
  /** sha256 (hex) of the plan file's bytes. */
  plan: string;
  /** The plan's source_hash: the schema the target must be in. */
  source: string | null;
  /** sha256 (hex) of the target database URL. */
  target: string;
  /** Hazard codes the person acknowledged (each typed out at the terminal). */
  hazards: string[];
  /** Issued and expires at, milliseconds since the epoch. */
  issued: number;
  expires: number;
}

/** What a token must match to apply a plan now. */
export type Expected = Pick<Approval, 'plan' | 'source' | 'target'> & { hazards: readonly string[] };

export const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** The project's key, created (mode 0600) when there is none yet. Only `approve` creates it. */
export function ensureApprovalKey(projectDir: string): Buffer {
  const existing = readApprovalKey(projectDir);
  if (existing) return existing;
  const dir = join(projectDir, '.lockplane');
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, '.gitignore'), 'approval-key\n', { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  try {
    // 'wx': two approvals racing to create the key must not end with two keys.
    writeFileSync(join(projectDir, APPROVAL_KEY_FILE), `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = readApprovalKey(projectDir);
  if (!key) throw new InputError(`${APPROVAL_KEY_FILE} is not a Lockplane approval key (64 hex digits); delete it and approve again`);
  return key;
}

/** The project's key; undefined when no plan was ever approved here. */
export function readApprovalKey(projectDir: string): Buffer | undefined {
  try {
    const hex = readFileSync(join(projectDir, APPROVAL_KEY_FILE), 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function signApproval(key: Buffer, approval: Approval): string {
  const payload = Buffer.from(JSON.stringify(approval)).toString('base64url');
  return `${TOKEN_PREFIX}.${payload}.${mac(key, payload)}`;
}

export type Verdict = { ok: true; approval: Approval } | { ok: false; reason: string };

/** Checks the signature first: nothing in an unsigned payload is believed. */
export function verifyApproval(key: Buffer, token: string, expected: Expected, now = Date.now()): Verdict {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX) return { ok: false, reason: 'this is not a Lockplane approval token' };
  const [, payload, signature] = parts as [string, string, string];
  const actual = Buffer.from(signature, 'base64url');
  const wanted = Buffer.from(mac(key, payload), 'base64url');
  if (actual.length !== wanted.length || !timingSafeEqual(actual, wanted)) {
    return { ok: false, reason: "the token's signature is not valid for this project's approval key (altered, or made in another project)" };
  }
  const approval = parseApproval(payload);
  if (!approval) return { ok: false, reason: 'the token is malformed' };
  if (approval.plan !== expected.plan) return { ok: false, reason: 'the token approves a different plan (the plan file is not byte-for-byte the one that was approved)' };
  if (approval.source !== expected.source) return { ok: false, reason: 'the token was approved for a plan made from another source schema' };
  if (approval.target !== expected.target) return { ok: false, reason: 'the token was approved for another target database' };
  if (now >= approval.expires) return { ok: false, reason: `the token expired at ${new Date(approval.expires).toISOString()}` };
  const unacknowledged = expected.hazards.filter((code) => !approval.hazards.includes(code));
  if (unacknowledged.length > 0) {
    return { ok: false, reason: `the plan has hazards the approval did not acknowledge: ${[...new Set(unacknowledged)].join(', ')}` };
  }
  return { ok: true, approval };
}

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(`${TOKEN_PREFIX}.${payload}`).digest('base64url');
}

function parseApproval(payload: string): Approval | undefined {
  try {
    const value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Approval>;
    const isHex = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
    if (!isHex(value.plan) || !isHex(value.target) || typeof value.expires !== 'number' || typeof value.issued !== 'number') return undefined;
    if (!(value.source === null || typeof value.source === 'string')) return undefined;
    if (!Array.isArray(value.hazards) || !value.hazards.every((h) => typeof h === 'string')) return undefined;
    return value as Approval;
  } catch {
    return undefined;
  }
}
