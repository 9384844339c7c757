// The original README's examples: same steps, same order, same descriptions
// (our SQL quotes every identifier), and the validation report's exact text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { buildPlan, rollbackPlan, PLAN_FORMAT_VERSION } from '../../src/plan/index.js';
import { formatValidationReport, validatePlan } from '../../src/safety/index.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Schema } from '../../src/schema/types.js';
import { withPglite } from '../helpers/databases.js';
import { applyPlan, loadSchema } from './support.js';

const id = { name: 'id', type: 'integer', nullable: false, is_primary_key: true };
const email = { name: 'email', type: 'text', nullable: false, is_primary_key: false };
const age = { name: 'age', type: 'integer', nullable: true, is_primary_key: false };
const title = { name: 'title', type: 'text', nullable: false, is_primary_key: false };

const current: Schema = { tables: [{ name: 'users', columns: [id, email] }] };
const desired: Schema = {
  tables: [
    { name: 'users', columns: [id, email, age] },
    { name: 'posts', columns: [id, title] },
  ],
};

test('README "Your First Migration": one step and the exact validation report', () => {
  const plan = buildPlan({ tables: [] }, current);
  assert.deepEqual(
    plan.steps.map((s) => [s.description, s.sql]),
    [['Create table users', 'CREATE TABLE "public"."users" ("id" integer NOT NULL, "email" text NOT NULL, PRIMARY KEY ("id"))']],
  );
  const report = formatValidationReport(validatePlan(plan, { tables: [] }, current));
  assert.equal(
    report.text,
    [
      '=== Validation Results ===',
      '',
      '✓ Validation 1: PASS',
      '  - Table creation is always safe',
      '  - Reversible: DROP TABLE users',
      '',
      '✓ All operations are reversible',
      '✓ All validations passed',
    ].join('\n'),
  );
  assert.equal(report.blocked, false);
});

test('README "Example": exactly the two steps, in order', () => {
  const plan = buildPlan(current, desired);
  assert.deepEqual(
    plan.steps.map((s) => [s.description, s.sql]),
    [
      ['Create table posts', 'CREATE TABLE "public"."posts" ("id" integer NOT NULL, "title" text NOT NULL, PRIMARY KEY ("id"))'],
      ['Add column age to table users', 'ALTER TABLE "public"."users" ADD COLUMN "age" integer'],
    ],
  );
  assert.equal(plan.format_version, PLAN_FORMAT_VERSION);
  assert.equal(plan.dialect, 'postgres');
  assert.equal(plan.source_hash, schemaHash(current));
  assert.equal(plan.target_hash, schemaHash(desired));
  for (const step of plan.steps) {
    assert.equal(step.transactional, true);
    assert.equal(step.hazards, undefined);
    assert.ok(step.change);
  }
  assert.deepEqual(plan.steps[1]!.reverse, {
    description: 'Drop column age from table users',
    sql: ['ALTER TABLE "public"."users" DROP COLUMN "age"'],
  });
  const report = formatValidationReport(validatePlan(plan, current, desired)).text;
  assert.ok(report.includes('✓ Validation 2: PASS\n  - Column \'age\' is nullable - safe to add\n  - Reversible: DROP COLUMN users.age\n'));
});

test('README rollback: reversed, prefixed, from the structured changes', () => {
  const forward = buildPlan(current, desired);
  const back = rollbackPlan(forward, current);
  assert.deepEqual(
    back.steps.map((s) => [s.description, s.sql]),
    [
      ['Rollback: Drop column age from table users', 'ALTER TABLE "public"."users" DROP COLUMN "age"'],
      ['Rollback: Drop table posts', 'DROP TABLE "public"."posts"'],
    ],
  );
  assert.equal(back.source_hash, forward.target_hash);
  assert.equal(back.target_hash, forward.source_hash);
});

test('a rollback that re-adds dropped data containers says the data is not restored', () => {
  const back = rollbackPlan(buildPlan(desired, current), desired);
  assert.deepEqual(
    back.steps.map((s) => [s.description, s.hazards]),
    [
      ['Rollback: Add column age to table users', ['LP302']],
      ['Rollback: Create table posts', ['LP302']],
    ],
  );
});

test('rollbackPlan refuses a wrong "before" schema and a plan without structured changes', () => {
  const forward = buildPlan(current, desired);
  assert.throws(() => rollbackPlan(forward, desired), /not the one this plan starts from/);
  const original = { steps: [{ description: 'Create table posts', sql: 'CREATE TABLE posts (id integer NOT NULL)' }] };
  assert.throws(() => rollbackPlan(original, current), /no structured change/);
});

test('README validation failure: NOT NULL column without DEFAULT', () => {
  const to: Schema = { tables: [{ name: 'users', columns: [id, { ...email, name: 'name' }, email] }] };
  const from: Schema = { tables: [{ name: 'users', columns: [id, { ...email, name: 'name' }] }] };
  const plan = buildPlan(from, to);
  assert.deepEqual(plan.steps[0]!.hazards, ['LP101']);
  const report = formatValidationReport(validatePlan(plan, from, to));
  assert.equal(report.blocked, true);
  assert.ok(
    report.text.includes(
      [
        '✗ Validation 1: FAIL',
        "  Error: Cannot add NOT NULL column 'email' without a DEFAULT value",
        '  - NOT NULL columns require a DEFAULT value when added to tables with existing data',
        '  - Reversible: DROP COLUMN users.email',
      ].join('\n'),
    ),
    report.text,
  );
  assert.ok(report.text.includes('LP101'));
  assert.ok(report.text.includes('Safer alternative: '));
  assert.ok(report.text.endsWith('❌ Validation FAILED: Some operations are not safe'));
  assert.equal(formatValidationReport(validatePlan(plan, from, to), new Set(['LP101'])).blocked, false);
});

test('README examples applied to PGlite reach the desired schema and roll back', async () => {
  await withPglite(async (session) => {
    await loadSchema(session, current);
    const from = await introspect(session);
    const forward = buildPlan(from, desired);
    await applyPlan(session, forward);
    const reached = await introspect(session);
    assert.deepEqual(buildPlan(reached, desired).steps.map((s) => s.description), []);
    await applyPlan(session, rollbackPlan(forward, from));
    assert.equal(schemaHash(await introspect(session)), schemaHash(from));
  });
});
