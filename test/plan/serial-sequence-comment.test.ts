// The comment on a serial column's own sequence (COMMENT ON SEQUENCE
// t_id_seq): read into the column's `sequence_comment`, set where the
// sequence is created, changed and removed while it stays, rolled back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { checkCase, sqlCase } from '../corpus/harness.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

const TABLE = 'CREATE TABLE public.orders (order_id bigserial PRIMARY KEY, total numeric);';
const comment = (text: string): string => `COMMENT ON SEQUENCE public.orders_order_id_seq IS '${text}';`;
const ADDED = 'ALTER TABLE public.orders ADD COLUMN n serial;';

const CASES: [string, string, string][] = [
  ['created with its table', '', `${TABLE}\n${comment('keys')}`],
  ['dropped with its table', `${TABLE}\n${comment('keys')}`, ''],
  ['changed', `${TABLE}\n${comment('keys')}`, `${TABLE}\n${comment('order keys')}`],
  ['removed', `${TABLE}\n${comment('keys')}`, TABLE],
  ['set on a kept sequence', TABLE, `${TABLE}\n${comment('keys')}`],
  ['on a serial column added later', TABLE, `${TABLE}\n${ADDED}\nCOMMENT ON SEQUENCE public.orders_n_seq IS 'n';`],
];

async function run(a: PgSession, b: PgSession): Promise<void> {
  for (const [name, oldSql, newSql] of CASES) {
    for (const s of [a, b]) await s.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await checkCase(sqlCase(name, oldSql, newSql), a, b);
  }
}

test('PGlite: a serial sequence comment converges and rolls back', async () => {
  await withPglite((a) => withPglite((b) => run(a, b)));
});

serverTest('server: a serial sequence comment converges and rolls back', async () => {
  await withServerSession((a) => withServerSession((b) => run(a, b)));
});

test('PGlite: the comment is read into the column, not as a sequence', async () => {
  await withPglite(async (s) => {
    await s.exec(`${TABLE}\n${comment('keys')}`);
    const schema = await introspect(s);
    assert.equal(schema.sequences, undefined);
    assert.equal(schema.tables[0]!.columns.find((c) => c.name === 'order_id')?.sequence_comment, 'keys');
  });
});
