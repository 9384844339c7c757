// Names are data, never SQL: capitals, spaces, quotes, semicolons, reserved
// words, non-ASCII and 63-byte names all round-trip through JSON → plan →
// apply → introspect, and none of them runs as SQL.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { introspect } from '../src/dialects/postgres/introspect.js';
import { executePlan } from '../src/apply/execute.js';
import { buildPlan } from '../src/plan/index.js';
import { normalizeModel } from '../src/shadow/normalize.js';
import { closeIdleScratch } from '../src/shadow/scratch.js';
import type { Schema } from '../src/schema/types.js';
import { serverTest, withPglite, withServerSession } from './helpers/databases.js';
import type { PgSession } from '../src/dialects/postgres/session.js';

after(closeIdleScratch);

const NAME_63 = 'n'.repeat(60) + 'end'; // exactly 63 bytes
const INJECTION = 'x"; DROP TABLE canary; --';
const AWKWARD = ['MixedCase', 'with space', 'quo"te', "apos'trophe", 'semi;colon', 'select', 'Ünïcødé_表', NAME_63, INJECTION];

const desired: Schema = {
  schemas: [{ name: 'My Schema' }],
  tables: [
    { name: 'canary', columns: [{ name: 'id', type: 'integer', nullable: false, is_primary_key: true }] },
    ...AWKWARD.map((name, i) => ({
      schema: i % 2 === 0 ? 'public' : 'My Schema',
      name,
      columns: [
        { name: 'id', type: 'integer', nullable: false, is_primary_key: true },
        { name, type: 'text', nullable: true, default: `'${name.replace(/'/g, "''")}'::text` },
      ],
      indexes: [{ name: `${name.slice(0, 55)}_idx`, columns: [name], unique: false }],
      check_constraints: [{ name: `${name.slice(0, 55)}_chk`, expression: `(id > ${i - 1})` }],
    })),
  ],
};

async function roundTrip(session: PgSession): Promise<void> {
  const normalized = await normalizeModel(desired, 'names.json', { cacheDir: null });
  const current = await introspect(session);
  const plan = buildPlan(current, normalized);
  await executePlan(session, plan);
  const after = await introspect(session);
  assert.deepEqual(after, normalized);
  const names = after.tables.map((t) => t.name).sort();
  assert.deepEqual(names, ['canary', ...AWKWARD].sort());
  for (const name of AWKWARD) {
    const table = after.tables.find((t) => t.name === name)!;
    assert.equal(table.columns[1]!.name, name);
    assert.equal(table.columns[1]!.default, `'${name.replace(/'/g, "''")}'::text`);
  }
  const rows = await session.query<{ n: string }>('SELECT count(*)::text AS n FROM public.canary');
  assert.equal(rows[0]!.n, '0', 'the canary table survived');
  assert.equal(buildPlan(after, normalized).steps.length, 0);
}

test('awkward names round-trip and cannot inject SQL (PGlite)', { timeout: 120_000 }, () => withPglite(roundTrip));
serverTest('awkward names round-trip and cannot inject SQL (server)', () => withServerSession(roundTrip));
