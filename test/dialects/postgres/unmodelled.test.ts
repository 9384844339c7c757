// Loud gaps: objects Lockplane does not model are reported, never silently dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { introspect, type UnmodelledObject } from '../../../src/dialects/postgres/introspect.js';
import { connect, type PgSession } from '../../../src/dialects/postgres/session.js';
import { buildPlan } from '../../../src/plan/index.js';
import { serverTest, withServerSession } from '../../helpers/databases.js';

const SQL = `CREATE DOMAIN public.positive AS integer CHECK (VALUE > 0);
CREATE TYPE public.span AS RANGE (subtype = integer);
CREATE AGGREGATE public.my_sum(integer) (SFUNC = int4pl, STYPE = integer);
CREATE TABLE public.t (x public.positive, y integer);
CREATE PUBLICATION lp_unmodelled_pub`;

async function check(session: PgSession): Promise<void> {
  await session.exec(SQL);
  let reported: UnmodelledObject[] = [];
  const schema = await introspect(session, { onUnmodelled: (objects) => void (reported = objects) });
  assert.deepEqual(reported, [{ kind: 'publication', name: 'lp_unmodelled_pub' }]);
  // The domain, the range, the aggregate and the table are modelled; planning against itself drops nothing.
  assert.deepEqual(schema.domains?.map((d) => d.name), ['positive']);
  assert.deepEqual(schema.range_types?.map((r) => r.name), ['span']);
  // The range's constructor functions come with it.
  assert.deepEqual(schema.functions?.filter((f) => f.kind !== 'aggregate').map((f) => f.name), []);
  assert.deepEqual(schema.functions?.filter((f) => f.kind === 'aggregate').map((f) => f.name), ['my_sum']);
  assert.deepEqual(schema.tables.map((t) => t.name), ['t']);
  assert.deepEqual(buildPlan(schema, schema).steps, []);
}

test('PGlite: unmodelled objects are reported by kind and name', async () => {
  const session = await connect('pglite://memory');
  try {
    await check(session);
  } finally {
    await session.close();
  }
});

serverTest('server: unmodelled objects are reported by kind and name', async () => {
  await withServerSession(check);
});
