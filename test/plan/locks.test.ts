// The lock pass over whole plans: per-step locks and lock hazards, new
// tables reported as new, hand-written plans, the JSON schema, the text and
// SQL output, and the validation report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlan, planText } from '../../src/cli/plan-output.js';
import { annotateLocks, buildPlan, type Plan } from '../../src/plan/index.js';
import { formatValidationReport, validatePlan } from '../../src/safety/index.js';
import { validatePlanText } from '../../src/schema/validate.js';
import type { Schema } from '../../src/schema/types.js';

const FROM: Schema = {
  tables: [
    {
      name: 'users',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'email', type: 'character varying(50)', nullable: true },
        { name: 'age', type: 'integer', nullable: true },
        { name: 'legacy', type: 'text', nullable: true },
      ],
      primary_key: { name: 'users_pkey', columns: ['id'] },
    },
  ],
};

const TO: Schema = {
  tables: [
    {
      name: 'users',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'email', type: 'character varying(100)', nullable: true },
        { name: 'age', type: 'bigint', nullable: false },
      ],
      primary_key: { name: 'users_pkey', columns: ['id'] },
      indexes: [{ name: 'users_email_idx', columns: ['email'], unique: false }],
    },
    {
      name: 'posts',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'user_id', type: 'integer', nullable: true },
      ],
      primary_key: { name: 'posts_pkey', columns: ['id'] },
      indexes: [{ name: 'posts_user_idx', columns: ['user_id'], unique: false }],
      foreign_keys: [{ name: 'posts_user_fk', columns: ['user_id'], referenced_table: 'users', referenced_columns: ['id'] }],
    },
  ],
};

const stepOf = (plan: Plan, description: RegExp) => {
  const step = plan.steps.find((s) => description.test(s.description));
  assert.ok(step, `no step matches ${description}`);
  return step;
};

test('every step of a planned change gets its locks; tables that hold rows get the lock hazards, new tables do not', async () => {
  const plan = await annotateLocks(buildPlan(FROM, TO, { online: false }), { from: FROM });
  assert.equal(plan.lock_analysis_version, 150000, 'the documented default version');
  assert.ok(plan.steps.every((s) => Array.isArray(s.locks)));

  assert.deepEqual(stepOf(plan, /^Create table posts/).locks, [
    { table: 'public.posts', mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'CREATE TABLE', new: true },
  ]);
  assert.deepEqual(stepOf(plan, /^Create index posts_user_idx/).locks, [
    { table: 'public.posts', mode: 'SHARE', effect: 'scan', operation: 'CREATE INDEX', new: true },
  ]);
  const fk = stepOf(plan, /^Add foreign key posts_user_fk/);
  assert.deepEqual(fk.locks, [
    { table: 'public.posts', mode: 'SHARE ROW EXCLUSIVE', effect: 'catalog', operation: 'ADD FOREIGN KEY', new: true },
    { table: 'public.users', mode: 'SHARE ROW EXCLUSIVE', effect: 'catalog', operation: 'ADD FOREIGN KEY (referenced)' },
  ]);
  assert.equal(fk.hazards, undefined, 'a foreign key on a new table has nothing to validate');

  const index = stepOf(plan, /^Create index users_email_idx/);
  assert.deepEqual(index.locks, [{ table: 'public.users', mode: 'SHARE', effect: 'scan', operation: 'CREATE INDEX', hazards: ['LP111'] }]);
  assert.deepEqual(index.hazards, ['LP111']);

  const age = stepOf(plan, /column age/);
  assert.equal(age.locks![0]!.effect, 'rewrite');
  assert.deepEqual(age.locks![0]!.hazards, ['LP110'], 'the rewrite checks NOT NULL on the way: no separate scan hazard');
  assert.ok(age.hazards!.includes('LP102') && age.hazards!.includes('LP110'), 'the planner\'s own hazards are kept');

  const email = stepOf(plan, /column email/);
  assert.deepEqual(email.locks, [{ table: 'public.users', mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'ALTER COLUMN TYPE (binary coercible)' }]);

  const drop = stepOf(plan, /Drop column legacy/);
  assert.deepEqual(drop.locks, [{ table: 'public.users', mode: 'ACCESS EXCLUSIVE', effect: 'catalog', operation: 'DROP COLUMN' }]);
  assert.deepEqual(drop.hazards, ['LP202']);
});

test('the version used is recorded, and decides version-dependent facts', async () => {
  const from: Schema = { tables: [{ name: 't', columns: [{ name: 'id', type: 'integer', nullable: false }] }] };
  const to: Schema = { tables: [{ name: 't', columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'n', type: 'integer', nullable: false, default: '0' }] }] };
  const v10 = await annotateLocks(buildPlan(from, to, { online: false }), { from, serverVersion: 100000 });
  const v16 = await annotateLocks(buildPlan(from, to, { online: false }), { from, serverVersion: 160002 });
  assert.equal(v10.lock_analysis_version, 100000);
  assert.equal(v16.lock_analysis_version, 160002);
  assert.equal(v10.steps[0]!.locks![0]!.effect, 'rewrite');
  assert.deepEqual(v10.steps[0]!.hazards, ['LP110']);
  assert.equal(v16.steps[0]!.locks![0]!.effect, 'catalog');
  assert.equal(v16.steps[0]!.hazards, undefined);
});

test('a hand-written plan is analysed from its SQL; what cannot be classified is ACCESS EXCLUSIVE / unknown (LP114)', async () => {
  const handWritten: Plan = {
    steps: [
      { description: 'index', sql: 'CREATE INDEX CONCURRENTLY users_age_idx ON users (age)' },
      { description: 'backfill', sql: ['UPDATE users SET age = 0 WHERE age IS NULL', "DO $$ BEGIN PERFORM pg_sleep(0); END $$"] },
    ],
  };
  const plan = await annotateLocks(handWritten, { from: FROM });
  assert.deepEqual(plan.steps[0]!.locks, [{ table: 'public.users', mode: 'SHARE UPDATE EXCLUSIVE', effect: 'scan', operation: 'CREATE INDEX CONCURRENTLY' }]);
  assert.equal(plan.steps[0]!.hazards, undefined);
  assert.deepEqual(plan.steps[1]!.locks, [
    { table: 'public.users', mode: 'ROW EXCLUSIVE', effect: 'write', operation: 'UPDATE' },
    { table: '*', mode: 'ACCESS EXCLUSIVE', effect: 'unknown', operation: 'DO', hazards: ['LP114'] },
  ]);
  assert.deepEqual(plan.steps[1]!.hazards, ['LP114']);
  // Annotating again changes nothing.
  assert.deepEqual(await annotateLocks(plan, { from: FROM }), plan);
});

test('plan JSON with locks is valid against schema-json/plan.json, and plans without them still are', async () => {
  const plan = await annotateLocks(buildPlan(FROM, TO, { online: false }), { from: FROM });
  assert.deepEqual(validatePlanText(JSON.stringify(plan), 'plan.json').problems, []);
  assert.deepEqual(validatePlanText(JSON.stringify(buildPlan(FROM, TO)), 'plan.json').problems, []);
  assert.deepEqual(validatePlanText(JSON.stringify({ steps: [{ description: 'x', sql: 'SELECT 1' }] }), 'old.json').problems, []);
  const bad = structuredClone(plan);
  (bad.steps[0]!.locks![0] as { mode: string }).mode = 'VERY EXCLUSIVE';
  assert.equal(validatePlanText(JSON.stringify(bad), 'bad.json').problems.length > 0, true);
  // Key order: the locks come right after the step's flags, before reverse and change.
  const keys = Object.keys(plan.steps[0]!);
  assert.ok(keys.indexOf('locks') < keys.indexOf('reverse') && keys.indexOf('reverse') < keys.indexOf('change'), keys.join());
});

test('text and SQL plans show each lock; the validation report shows the lock hazards as warnings', async () => {
  const plan = await annotateLocks(buildPlan(FROM, TO, { online: false }), { from: FROM });
  const text = planText(plan);
  assert.match(text, /\n {5}lock public\.users: SHARE, scan \(CREATE INDEX\) — blocks writes \[LP111\]\n/);
  assert.match(text, /\n {5}lock public\.posts: ACCESS EXCLUSIVE, catalog \(CREATE TABLE\) — new table, nothing waits\n/);
  assert.match(text, /lock public\.users: ACCESS EXCLUSIVE, rewrite \(ALTER COLUMN TYPE, SET NOT NULL\) — blocks reads and writes \[LP110\]/);
  assert.match(formatPlan(plan, 'sql'), /\nCREATE INDEX "users_email_idx" ON "public"\."users" \("email"\);\n-- lock public\.users: SHARE, scan \(CREATE INDEX\) — blocks writes \[LP111\]\n/);

  const results = validatePlan(plan, FROM, TO);
  const report = formatValidationReport(results);
  assert.equal(report.blocked, false, 'lock hazards warn, they do not block');
  assert.match(report.text, /⚠ LP111 CREATE INDEX takes SHARE on public\.users and reads every row \(blocks writes\)/);
  assert.match(report.text, /every INSERT, UPDATE and DELETE on the table waits/);
  assert.match(report.text, /Safer alternative: CREATE INDEX CONCURRENTLY/);
  assert.match(report.text, /⚠ LP110 ALTER COLUMN TYPE, SET NOT NULL takes ACCESS EXCLUSIVE on public\.users and rewrites it/);
  const steps = results.filter((r) => r.findings.some((f) => f.code.startsWith('LP11')));
  assert.equal(steps.length, 2);
});
