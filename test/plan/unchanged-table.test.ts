// Inside buildPlan a table written the same on both sides is skipped without
// a diff (its text is computed for the hash anyway). What the text leaves
// out must not hide a step: a constraint still NOT VALID is validated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/build.js';
import type { Schema, Table } from '../../src/schema/types.js';

function orders(notValid: boolean): Table {
  return {
    schema: 'public',
    name: 'orders',
    columns: [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'customer_id', type: 'integer', nullable: true },
      { name: 'total', type: 'numeric', nullable: true },
    ],
    primary_key: { name: 'orders_pkey', columns: ['id'] },
    check_constraints: [{ name: 'orders_total_check', expression: '(total >= (0)::numeric)', ...(notValid ? { not_valid: true } : {}) }],
    foreign_keys: [
      { name: 'orders_customer_fk', columns: ['customer_id'], referenced_table: 'customers', referenced_schema: 'public', referenced_columns: ['id'], ...(notValid ? { not_valid: true } : {}) },
    ],
  };
}

const customers: Table = { schema: 'public', name: 'customers', columns: [{ name: 'id', type: 'integer', nullable: false }], primary_key: { name: 'customers_pkey', columns: ['id'] } };
const schema = (notValid: boolean): Schema => ({ tables: [customers, orders(notValid)] });

test('a table the same on both sides has no steps', () => {
  assert.deepEqual(buildPlan(schema(false), schema(false)).steps, []);
});

test('a constraint left NOT VALID is validated though the table reads the same (not_valid is not part of its text)', () => {
  const steps = buildPlan(schema(true), schema(false)).steps.map((s) => String(s.sql));
  assert.equal(steps.length, 2);
  assert.ok(steps.some((sql) => /VALIDATE CONSTRAINT "orders_total_check"/.test(sql)), steps.join('\n'));
  assert.ok(steps.some((sql) => /VALIDATE CONSTRAINT "orders_customer_fk"/.test(sql)), steps.join('\n'));
});

test('a change anywhere in the table is still found', () => {
  const to = schema(false);
  to.tables[1] = { ...orders(false), columns: [...orders(false).columns.slice(0, 2), { name: 'total', type: 'numeric', nullable: false }] };
  const steps = buildPlan(schema(false), to, { online: false }).steps.map((s) => String(s.sql));
  assert.deepEqual(steps, ['ALTER TABLE "public"."orders" ALTER COLUMN "total" SET NOT NULL']);
});
