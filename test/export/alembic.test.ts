// The rendered revision, run by Python with Alembic's `op` replaced by a
// recorder: it compiles, upgrade() and downgrade() execute exactly the
// plan's SQL (after SQLAlchemy's DDL % formatting), and non-transactional
// steps run inside autocommit_block().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderAlembicRevision, revisionFileName, newRevisionId } from '../../src/export/alembic.js';
import type { Plan } from '../../src/plan/types.js';
import { needsPython, python } from './python.js';

interface Executed {
  autocommit: boolean;
  sql: string;
}

interface Run {
  revision: string;
  down_revision: string | null;
  upgrade: Executed[];
  downgrade: Executed[] | { error: string };
}

const RECORDER = `
import contextlib, json, sys, types
calls = []
state = {'autocommit': False}
class Context:
    @contextlib.contextmanager
    def autocommit_block(self):
        state['autocommit'] = True
        yield
        state['autocommit'] = False
class Op:
    def execute(self, ddl):
        calls.append({'autocommit': state['autocommit'], 'sql': ddl.statement % {}})
    def get_context(self):
        return Context()
sys.modules['alembic'] = types.SimpleNamespace(op=Op())
module = {}
exec(compile(sys.stdin.read(), 'revision.py', 'exec'), module)
module['upgrade']()
upgrade, calls[:] = list(calls), []
try:
    module['downgrade']()
    downgrade = calls
except NotImplementedError as error:
    downgrade = {'error': str(error)}
print(json.dumps({'revision': module['revision'], 'down_revision': module['down_revision'], 'upgrade': upgrade, 'downgrade': downgrade}))
`;

function run(text: string): Run {
  return JSON.parse(python(RECORDER, text)) as Run;
}

const TRICKY = "CREATE TABLE \"public\".\"t\" (\"note\" text DEFAULT 'it''s 100% :name \\o/ %(table)s'::text)";

const plan: Plan = {
  steps: [
    { description: 'Create table t', sql: TRICKY, transactional: true, reverse: { description: 'Drop table t', sql: ['DROP TABLE "public"."t"'] } },
    {
      description: 'Create index concurrently\nsecond line',
      sql: ['CREATE INDEX CONCURRENTLY "t_i" ON "public"."t"\n  ("note")', 'SELECT 1'],
      transactional: false,
      hazards: ['LP101'],
      reverse: { description: 'Drop index t_i', sql: ['DROP INDEX CONCURRENTLY "public"."t_i"'] },
    },
  ],
};

const base = { message: 'add "t" \\ and it\'s """ done', revision: 'abcdef012345', createDate: new Date('2026-01-02T03:04:05Z') };

test('alembic revision: upgrade runs the plan, downgrade each step\'s reverse, last first; autocommit where not transactional', (t) => {
  if (!needsPython(t, 'sqlalchemy')) return;
  const result = run(renderAlembicRevision({ ...base, downRevision: '0123456789ab', plan }));
  assert.equal(result.revision, 'abcdef012345');
  assert.equal(result.down_revision, '0123456789ab');
  assert.deepEqual(result.upgrade, [
    { autocommit: false, sql: TRICKY },
    { autocommit: true, sql: 'CREATE INDEX CONCURRENTLY "t_i" ON "public"."t"\n  ("note")' },
    { autocommit: true, sql: 'SELECT 1' },
  ]);
  assert.deepEqual(result.downgrade, [
    { autocommit: true, sql: 'DROP INDEX CONCURRENTLY "public"."t_i"' },
    { autocommit: false, sql: 'DROP TABLE "public"."t"' },
  ]);
});

test('alembic revision: a --rollback plan is the downgrade; the first revision has down_revision None', (t) => {
  if (!needsPython(t, 'sqlalchemy')) return;
  const rollback: Plan = { steps: [{ description: 'Rollback: drop everything', sql: 'DROP TABLE "public"."t"' }] };
  const result = run(renderAlembicRevision({ ...base, downRevision: null, plan, rollback }));
  assert.equal(result.down_revision, null);
  assert.deepEqual(result.downgrade, [{ autocommit: false, sql: 'DROP TABLE "public"."t"' }]);
});

test('alembic revision: without a reverse for every step, downgrade raises NotImplementedError naming the step', (t) => {
  if (!needsPython(t, 'sqlalchemy')) return;
  const handWritten: Plan = { steps: [plan.steps[0]!, { description: 'Hand-written backfill', sql: "UPDATE t SET note = 'x'" }] };
  const result = run(renderAlembicRevision({ ...base, downRevision: null, plan: handWritten }));
  assert.deepEqual(result.upgrade.map((e) => e.sql), [TRICKY, "UPDATE t SET note = 'x'"]);
  assert.ok('error' in result.downgrade);
  assert.match(result.downgrade.error, /cannot reverse step 2 \(Hand-written backfill\).*--rollback/);
});

test('alembic revision: an empty plan is a revision whose functions pass', (t) => {
  if (!needsPython(t, 'sqlalchemy')) return;
  const result = run(renderAlembicRevision({ ...base, downRevision: null, plan: { steps: [] } }));
  assert.deepEqual([result.upgrade, result.downgrade], [[], []]);
});

test('revision ids are 12 hex digits; file names follow Alembic\'s REV_SLUG.py', () => {
  assert.match(newRevisionId(), /^[0-9a-f]{12}$/);
  assert.notEqual(newRevisionId(), newRevisionId());
  assert.equal(revisionFileName('abc', 'Create users & "posts"!'), 'abc_create_users_posts.py');
  assert.equal(revisionFileName('abc', '!!!'), 'abc.py');
});
