// The shadow database is reset only when it is provably a shadow.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { connect } from '../../src/dialects/postgres/session.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { closeIdleScratch, withScratch } from '../../src/shadow/scratch.js';
import { provePlan } from '../../src/shadow/prove.js';
import { buildPlan } from '../../src/plan/index.js';
import { UnsafeShadowError } from '../../src/shadow/server-shadow.js';
import type { Schema } from '../../src/schema/types.js';
import { serverTest, withServerDatabase } from '../helpers/databases.js';

after(closeIdleScratch);

const spelledDifferently = (url: string): string => url.replace('127.0.0.1', 'localhost');

serverTest('the shadow is refused when it is the target, however the URL is written', () =>
  withServerDatabase(async (target) => {
    const session = await connect(target);
    try {
      await session.exec('CREATE TABLE precious (id int)');
    } finally {
      await session.close();
    }
    // Empty-looking check would not save it: the table is there, but even an empty target must be refused.
    await assert.rejects(
      withScratch({ shadowUrl: spelledDifferently(target), protect: [target] }, async () => 'used'),
      (error: unknown) => error instanceof UnsafeShadowError && /is the same database as/.test(error.message),
    );
    const check = await connect(target);
    try {
      assert.deepEqual(await check.query('SELECT count(*)::int AS n FROM precious'), [{ n: 0 }]);
      assert.equal((await check.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'lockplane'`)).length, 0, 'not marked');
    } finally {
      await check.close();
    }
  }),
);

serverTest('a shadow holding objects Lockplane did not put there is refused and untouched', () =>
  withServerDatabase(async (shadow) => {
    const session = await connect(shadow);
    try {
      await session.exec('CREATE TABLE someones_data (id int)');
    } finally {
      await session.close();
    }
    await assert.rejects(
      withScratch({ shadowUrl: shadow }, async () => 'used'),
      /not empty and not marked as Lockplane's \(it holds relation public\.someones_data\)/,
    );
    const check = await connect(shadow);
    try {
      assert.deepEqual(await check.query('SELECT count(*)::int AS n FROM someones_data'), [{ n: 0 }]);
    } finally {
      await check.close();
    }
  }),
);

serverTest('an empty shadow is marked at first use, then reset at every use', () =>
  withServerDatabase(async (shadow) => {
    await withScratch({ shadowUrl: shadow }, async (s) => {
      await s.exec('CREATE TABLE left_behind (id int); CREATE SCHEMA extra');
    });
    const check = await connect(shadow);
    try {
      const schema = await introspect(check);
      assert.deepEqual(schema.tables, [], 'released: emptied');
      assert.deepEqual(await check.query(`SELECT count(*)::int AS n FROM lockplane.shadow_marker`), [{ n: 1 }]);
      await check.exec('CREATE TABLE stray (id int)');
    } finally {
      await check.close();
    }
    const seen = await withScratch({ shadowUrl: shadow }, async (s) => (await introspect(s)).tables.length);
    assert.equal(seen, 0, 'a marked shadow is reset before use');
  }),
);

const beforeSchema: Schema = { tables: [{ name: 'a', columns: [{ name: 'id', type: 'integer', nullable: false, is_primary_key: true }] }] };
const afterSchema: Schema = {
  tables: [
    {
      name: 'a',
      columns: [
        { name: 'id', type: 'integer', nullable: false, is_primary_key: true },
        { name: 'v', type: 'text', nullable: true },
      ],
    },
  ],
};

async function normalized(schema: Schema): Promise<Schema> {
  const { normalizeModel } = await import('../../src/shadow/normalize.js');
  return normalizeModel(schema, 'test', { cacheDir: null });
}

test('provePlan proves the forward plan and its rollback (PGlite shadow)', { timeout: 60_000 }, async () => {
  const from = await normalized(beforeSchema);
  const plan = buildPlan(from, await normalized(afterSchema));
  const proof = await provePlan(from, plan);
  assert.equal(proof.reachedTarget, true);
  assert.deepEqual(proof.reverse, { ok: true });
  const legacy = await provePlan(from, { steps: plan.steps.map(({ description, sql }) => ({ description, sql })) });
  assert.equal(legacy.reachedTarget, null);
  assert.equal(legacy.reverse.ok, false);
});
