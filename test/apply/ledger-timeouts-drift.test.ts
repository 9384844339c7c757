// A ledger under a configured schema name; statement_timeout per kind of
// step; a refused apply that names the objects that changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyToTarget } from '../../src/apply/target.js';
import { Ledger } from '../../src/apply/ledger.js';
import { StepFailedError } from '../../src/apply/execute.js';
import { parseStatementTimeouts, stepKinds } from '../../src/apply/timeouts.js';
import { introspect } from '../../src/dialects/postgres/introspect.js';
import { ledgerSchemaProblem } from '../../src/dialects/postgres/introspect/scope.js';
import type { PgSession } from '../../src/dialects/postgres/session.js';
import { buildPlan } from '../../src/plan/build.js';
import { schemaHash } from '../../src/schema/hash.js';
import type { Plan } from '../../src/plan/types.js';
import { serverTest, withPglite, withServerSession } from '../helpers/databases.js';

const plan = (...sql: string[]): Plan => ({ steps: sql.map((s, i) => ({ description: `step ${i + 1}`, sql: s })) });

async function hashOf(session: PgSession): Promise<string> {
  return schemaHash(await introspect(session));
}

async function ledgerInOwnSchema(session: PgSession): Promise<void> {
  const first = plan('CREATE TABLE a (id int PRIMARY KEY)');
  await applyToTarget(session, first, { expectedSourceHash: await hashOf(session), ledgerSchema: 'ops_ledger' });
  const [applied] = await new Ledger(session, 'ops_ledger').list(5);
  assert.equal(applied?.status, 'applied');
  assert.deepEqual(await new Ledger(session).list(5), [], 'nothing in the default ledger');
  const schemas = (await introspect(session)).schemas?.map((s) => s.name) ?? [];
  assert.deepEqual(schemas, ['public'], 'the ledger schema is never introspected, whatever its name');
  const second = plan('ALTER TABLE a ADD COLUMN v text');
  await applyToTarget(session, second, { expectedSourceHash: await hashOf(session), ledgerSchema: 'ops_ledger' });
  assert.deepEqual((await new Ledger(session, 'ops_ledger').list(5)).map((a) => a.status), ['applied', 'applied']);
}

test('a configured ledger schema holds the ledger and is left out of introspection (PGlite)', { timeout: 60_000 }, () =>
  withPglite(ledgerInOwnSchema),
);

serverTest('a configured ledger schema holds the ledger and is left out of introspection (server)', () =>
  withServerSession(ledgerInOwnSchema),
);

test('a ledger schema must be a plain name of its own', () => {
  assert.match(ledgerSchemaProblem('public') ?? '', /reserved/);
  assert.match(ledgerSchemaProblem('pg_ledger') ?? '', /reserved/);
  assert.match(ledgerSchemaProblem('Bad Name') ?? '', /plain lower-case identifier/);
  assert.equal(ledgerSchemaProblem('ops_ledger'), undefined);
});

test('--statement-timeout: a default and overrides per kind of step', () => {
  assert.deepEqual(parseStatementTimeouts('30s,index=0,validate=10min'), { default: '30s', byKind: { index: '0', validate: '10min' } });
  assert.deepEqual(parseStatementTimeouts('index=1h'), { default: '0', byKind: { index: '1h' } });
  assert.throws(() => parseStatementTimeouts('views=1s'), /unknown step kind "views"/);
  assert.throws(() => parseStatementTimeouts('soon'), /expected a duration/);
});

test('step kinds come from the parse tree', async () => {
  const kinds = await stepKinds(
    plan(
      'CREATE TABLE t (id int)',
      'CREATE INDEX CONCURRENTLY i ON t (id)',
      'ALTER TABLE t VALIDATE CONSTRAINT c',
      'UPDATE t SET id = 1 WHERE id IS NULL',
      'COMMENT ON TABLE t IS $$CREATE INDEX in a comment$$',
    ).steps,
  );
  assert.deepEqual(kinds, ['ddl', 'index', 'validate', 'data', 'ddl']);
});

serverTest('statement_timeout applies per kind of step', () =>
  withServerSession(async (session) => {
    const slow = plan('CREATE TABLE t (id int)', 'INSERT INTO t SELECT 1 FROM pg_sleep(0.6)');
    await assert.rejects(
      applyToTarget(session, slow, { expectedSourceHash: await hashOf(session), statementTimeout: parseStatementTimeouts('0,data=100ms'), retries: 0 }),
      (error: unknown) => {
        assert.ok(error instanceof StepFailedError);
        assert.equal(error.stepIndex, 1);
        assert.match(error.message, /statement timeout/);
        return true;
      },
    );
    const result = await applyToTarget(session, slow, { expectedSourceHash: await hashOf(session), statementTimeout: parseStatementTimeouts('100ms,data=0') });
    assert.equal(result.stepsApplied, 2, 'the DDL step fits in 100ms; the data step has no limit');
  }),
);

serverTest('a target that changed since the plan: refused, naming what changed', () =>
  withServerSession(async (session) => {
    await session.exec('CREATE TABLE users (id int PRIMARY KEY); CREATE TABLE orders (id int PRIMARY KEY)');
    const before = await introspect(session);
    const desired = structuredClone(before);
    desired.tables.find((t) => t.name === 'orders')!.columns.push({ name: 'note', type: 'text', nullable: true });
    const forward = buildPlan(before, desired);
    assert.ok(forward.source_objects?.['table public.users'], 'the plan records a fingerprint per object');
    await session.exec('ALTER TABLE users ADD COLUMN email text; CREATE TABLE audit (id int)');
    await assert.rejects(
      applyToTarget(session, forward, { expectedSourceHash: forward.source_hash!, retries: 0 }),
      /database changed since the plan was made: added: table public\.audit; changed: table public\.users; make a new plan/,
    );
    assert.equal((await introspect(session)).tables.find((t) => t.name === 'orders')!.columns.length, 1, 'nothing touched');
  }),
);
