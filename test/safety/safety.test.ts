// Hazard codes, type-change classification, reference checks, the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan } from '../../src/plan/index.js';
import {
  blockingFindings,
  checkReferences,
  classifyTypeChange,
  formatValidationReport,
  HAZARDS,
  hazardInfo,
  validatePlan,
} from '../../src/safety/index.js';
import type { Column, Schema, Table } from '../../src/schema/types.js';

const col = (name: string, type = 'integer', nullable = true, extra: Partial<Column> = {}): Column => ({ name, type, nullable, ...extra });
const t = (name: string, columns: Column[], extra: Partial<Table> = {}): Table => ({
  name,
  columns: [col('id', 'integer', false), ...columns],
  primary_key: { name: `${name}_pkey`, columns: ['id'] },
  ...extra,
});

function codes(from: Schema, to: Schema): string[][] {
  const plan = buildPlan(from, to);
  return validatePlan(plan, from, to).map((r) => r.findings.map((f) => f.code));
}

test('LP101: NOT NULL column without DEFAULT on an existing table blocks; defaults, identity and generated do not', () => {
  const from: Schema = { tables: [t('users', [])] };
  assert.deepEqual(codes(from, { tables: [t('users', [col('email', 'text', false)])] }), [['LP101']]);
  assert.deepEqual(codes(from, { tables: [t('users', [col('email', 'text', false, { default: "''::text" })])] }), [[]]);
  assert.deepEqual(codes(from, { tables: [t('users', [col('n', 'bigint', false, { identity: { generation: 'ALWAYS' } })])] }), [[]]);
  assert.deepEqual(codes(from, { tables: [t('users', [col('g', 'integer', false, { generated: { expression: '1' } })])] }), [[]]);
  assert.deepEqual(codes({ tables: [] }, { tables: [t('users', [col('email', 'text', false)])] }), [[]]);
  assert.equal(hazardInfo('LP101')?.blocking, true);
});

test('LP102, LP201, LP202, LP203, LP204', () => {
  const from: Schema = { tables: [t('users', [col('a'), col('b', 'bigint'), col('c', 'smallint')]), t('old', [])] };
  const to: Schema = { tables: [t('users', [col('a', 'integer', false), col('b', 'integer'), col('c', 'integer')])] };
  const plan = buildPlan(from, to, { online: false });
  const results = validatePlan(plan, from, to);
  const byDescription = Object.fromEntries(results.map((r) => [r.description, r.findings.map((f) => f.code)]));
  assert.deepEqual(byDescription, {
    'Drop table old': ['LP201'],
    'Alter column a in table users (set NOT NULL)': ['LP102'],
    'Alter column b in table users (change type from bigint to integer)': ['LP203'],
    'Alter column c in table users (change type from smallint to integer)': ['LP204'],
  });
  const drop = codes({ tables: [t('users', [col('age')])] }, { tables: [t('users', [])] });
  assert.deepEqual(drop, [['LP202']]);
  const irreversible = results.filter((r) => !r.reversible).map((r) => r.description).sort();
  assert.deepEqual(irreversible, ['Alter column b in table users (change type from bigint to integer)', 'Drop table old']);
});

test('type changes: widening by type-name rules, everything else narrowing', () => {
  const widening = [
    ['smallint', 'integer'],
    ['integer', 'bigint'],
    ['bigint', 'numeric'],
    ['integer', 'numeric(12,2)'],
    ['numeric(10,2)', 'numeric(12,2)'],
    ['numeric(10,2)', 'numeric'],
    ['real', 'double precision'],
    ['character varying(20)', 'character varying(50)'],
    ['character varying(20)', 'text'],
    ['character varying', 'text'],
    ['character(5)', 'character varying(10)'],
    ['character(5)', 'text'],
    ['timestamp without time zone', 'timestamp with time zone'],
    ['timestamp(3) without time zone', 'timestamp without time zone'],
    ['date', 'timestamp without time zone'],
    ['integer[]', 'bigint[]'],
  ];
  const narrowing = [
    ['bigint', 'integer'],
    ['numeric', 'numeric(10,2)'],
    ['numeric(12,2)', 'numeric(10,2)'],
    ['numeric(10,2)', 'numeric(12,4)'.replace('12,4', '10,4')],
    ['bigint', 'numeric(10,0)'],
    ['double precision', 'real'],
    ['character varying(50)', 'character varying(20)'],
    ['text', 'character varying(20)'],
    ['text', 'integer'],
    ['timestamp with time zone', 'timestamp without time zone'],
    ['timestamp without time zone', 'date'],
    ['integer[]', 'integer'],
    ['boolean', 'integer'],
  ];
  for (const [a, b] of widening) assert.equal(classifyTypeChange(a!, b!), 'widening', `${a} → ${b}`);
  for (const [a, b] of narrowing) assert.equal(classifyTypeChange(a!, b!), 'narrowing', `${a} → ${b}`);
  assert.equal(classifyTypeChange('integer', 'integer'), 'same');
});

test('LP205 / LP206: keys, checks and foreign keys added to existing tables, not to new ones', () => {
  const base = t('users', [col('email', 'text')]);
  const from: Schema = { tables: [base, t('posts', [col('user_id')])] };
  const to: Schema = {
    tables: [
      { ...base, unique_constraints: [{ name: 'users_email_key', columns: ['email'] }], check_constraints: [{ name: 'users_c', expression: '(id > 0)' }] },
      t('posts', [col('user_id')], { foreign_keys: [{ name: 'posts_fk', columns: ['user_id'], referenced_table: 'users', referenced_columns: ['id'] }] }),
    ],
  };
  assert.deepEqual(codes(from, to).flat().sort(), ['LP205', 'LP206', 'LP206']);
  const fresh: Schema = { tables: [] };
  assert.deepEqual(codes(fresh, to).flat(), []);
});

test('LP301 / LP303: checkReferences names the foreign key, table and missing object', () => {
  const schema: Schema = {
    tables: [
      t('users', [col('email', 'text')]),
      t('posts', [col('user_id'), col('email', 'text')], {
        foreign_keys: [
          { name: 'fk_missing_table', columns: ['user_id'], referenced_table: 'people', referenced_columns: ['id'] },
          { name: 'fk_missing_col', columns: ['user_id'], referenced_table: 'users', referenced_columns: ['uid'] },
          { name: 'fk_not_unique', columns: ['email'], referenced_table: 'users', referenced_columns: ['email'] },
          { name: 'fk_ok', columns: ['user_id'], referenced_table: 'users', referenced_columns: ['id'] },
        ],
      }),
    ],
  };
  const findings = checkReferences(schema);
  assert.deepEqual(findings.map((f) => [f.code, f.blocking]), [['LP301', true], ['LP301', true], ['LP303', true]]);
  const messages = findings.map((f) => f.message).join('\n');
  assert.match(messages, /fk_missing_table on table posts references table people, which does not exist/);
  assert.match(messages, /fk_missing_col on table posts references column users\.uid, which does not exist/);
  assert.match(messages, /fk_not_unique .* not a primary key/);
  const plan = buildPlan({ tables: [] }, schema);
  const results = validatePlan(plan, { tables: [] }, schema);
  assert.ok(results.some((r) => r.findings.some((f) => f.code === 'LP301')));
});

test('the report shows warnings with codes and says when a step is not reversible', () => {
  const from: Schema = { tables: [t('users', [col('age')])] };
  const to: Schema = { tables: [t('users', [])] };
  const report = formatValidationReport(validatePlan(buildPlan(from, to), from, to));
  assert.equal(report.blocked, false);
  assert.ok(report.text.includes('  ⚠ LP202 Dropping column users.age deletes its data'), report.text);
  assert.ok(report.text.includes('  - Not reversible without data loss (rollback: ADD COLUMN users.age)'), report.text);
  assert.ok(report.text.includes('⚠ Not all operations are reversible without data loss (step 1)'), report.text);
  assert.ok(report.text.endsWith('✓ All validations passed'));
});

test('blockingFindings honours allowed codes and "all"', () => {
  const from: Schema = { tables: [t('users', [col('b', 'bigint')])] };
  const to: Schema = { tables: [t('users', [col('b', 'integer'), col('x', 'text', false)])] };
  const results = validatePlan(buildPlan(from, to, { online: false }), from, to);
  assert.deepEqual(blockingFindings(results, new Set()).map((b) => b.finding.code).sort(), ['LP101', 'LP203']);
  assert.deepEqual(blockingFindings(results, new Set(['LP203'])).map((b) => b.finding.code), ['LP101']);
  assert.deepEqual(blockingFindings(results, 'all'), []);
});

test('the registry: every code documented, blocking codes are errors', () => {
  for (const [code, info] of HAZARDS) {
    assert.match(code, /^LP\d{3}$/);
    assert.equal(info.code, code);
    assert.ok(info.title.length > 0);
    if (info.blocking) assert.equal(info.severity, 'error');
  }
  assert.equal(hazardInfo('LP999'), undefined);
});

test('LP207: removing an enum label that a column may hold is data loss; adding or reordering is not', () => {
  const mood = (values: string[]) => ({ name: 'mood', values });
  const table = t('feelings', [col('m', 'public.mood')]);
  assert.deepEqual(codes({ types: [mood(['a', 'b'])], tables: [table] }, { types: [mood(['a'])], tables: [table] }), [['LP207']]);
  assert.deepEqual(codes({ types: [mood(['a', 'b'])], tables: [table] }, { types: [mood(['b', 'a'])], tables: [table] }), [[]]);
  assert.deepEqual(codes({ types: [mood(['a'])], tables: [table] }, { types: [mood(['a', 'b'])], tables: [table] }), [[]]);
  // No column uses the type: nothing can be lost.
  assert.deepEqual(codes({ types: [mood(['a', 'b'])], tables: [] }, { types: [mood(['a'])], tables: [] }), [[]]);
  assert.equal(hazardInfo('LP207')?.data_loss, true);
});
