// Policies name roles, which a scratch database does not have: normalizing a
// desired schema and proving a plan create them there (and only there).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlan } from '../../src/plan/index.js';
import { closeIdleScratch } from '../../src/shadow/scratch.js';
import { loadSource } from '../../src/shadow/sources.js';
import { provePlan } from '../../src/shadow/prove.js';
import type { Schema } from '../../src/schema/types.js';

after(closeIdleScratch);

const SQL = `CREATE TABLE public.notes (id integer PRIMARY KEY, owner text NOT NULL);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_notes ON public.notes FOR SELECT TO "lp reader", lp_writer USING (owner = CURRENT_USER);`;

test('a desired schema whose policies name roles the scratch lacks is normalized, and its plan proven', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockplane-roles-'));
  writeFileSync(join(dir, 'schema.sql'), SQL);
  const desired = (await loadSource(join(dir, 'schema.sql'), { cacheDir: null })).schema;
  const policy = desired.tables[0]!.policies![0]!;
  assert.deepEqual(policy.roles, ['lp reader', 'lp_writer']);
  const empty: Schema = { schemas: [{ name: 'public' }], tables: [] };
  const plan = buildPlan(empty, desired);
  const proof = await provePlan(empty, plan);
  assert.equal(proof.reachedTarget, true);
  assert.deepEqual(proof.reverse, { ok: true });
});
