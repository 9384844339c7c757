// Dependents a change breaks are rebuilt transitively, in a fixed order, and
// the changes a rebuild makes redundant are dropped. rebuildDependents is
// indexed (it used to rescan every dependent and change per rebuild); these
// pin its output to what the scanning version produced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSchemas } from '../../src/diff/index.js';
import type { Change } from '../../src/diff/changes.js';
import type { ObjectRef, Schema } from '../../src/schema/types.js';

const column = (name: string, col: string): ObjectRef => ({ kind: 'column', schema: 'public', name, column: col });
const relation = (name: string): ObjectRef => ({ kind: 'relation', schema: 'public', name });
const fn = (name: string): ObjectRef => ({ kind: 'function', schema: 'public', name, signature: '' });

function schema(cType: string, v2Comment: string): Schema {
  return {
    tables: [
      { schema: 'public', name: 't', columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'c', type: cType, nullable: true }] },
      {
        schema: 'public',
        name: 'u',
        columns: [{ name: 'id', type: 'integer', nullable: false }],
        policies: [{ name: 'p', using: 'public.h()', depends_on: [fn('h')] }],
      },
    ],
    views: [
      { schema: 'public', name: 'v1', definition: ' SELECT t.c FROM public.t;', depends_on: [column('t', 'c')] },
      {
        schema: 'public',
        name: 'v2',
        definition: ' SELECT v1.c FROM public.v1;',
        comment: v2Comment,
        depends_on: [relation('v1')],
        triggers: [{ name: 'tv2', definition: 'CREATE TRIGGER tv2 INSTEAD OF INSERT ON public.v2 FOR EACH ROW EXECUTE FUNCTION public.g()', depends_on: [fn('g')] }],
      },
      { schema: 'public', name: 'v3', definition: ' SELECT u.id FROM public.u;', depends_on: [relation('u')] },
    ],
    functions: [
      { schema: 'public', name: 'g', signature: '', returns: 'trigger', definition: 'CREATE OR REPLACE FUNCTION public.g() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$' },
      { schema: 'public', name: 'h', signature: '', returns: 'boolean', definition: 'CREATE OR REPLACE FUNCTION public.h() RETURNS boolean LANGUAGE sql AS $$SELECT count(c) > 0 FROM public.t$$', depends_on: [column('t', 'c')] },
    ],
  };
}

function describe(c: Change): string {
  const named = c as { view?: { name: string }; function?: { name: string }; trigger?: { name: string }; policy?: { name: string }; table?: { name: string }; target?: { kind: string } };
  const name = named.view?.name ?? named.function?.name ?? named.trigger?.name ?? named.policy?.name ?? named.target?.kind ?? named.table?.name ?? '';
  return `${c.kind} ${name}`;
}

test('a type change rebuilds what reads the column, transitively: views, a view over them with its trigger, a function and the policy calling it', () => {
  const changes = diffSchemas(schema('integer', 'two'), schema('bigint', 'two'));
  assert.deepEqual(changes.map(describe), [
    'alter_column t',
    'drop_view v1',
    'create_view v1',
    'drop_trigger tv2',
    'drop_view v2',
    'create_view v2',
    'create_trigger tv2',
    'set_grants function',
    'drop_function h',
    'create_function h',
    'set_grants function',
    'drop_policy p',
    'create_policy p',
  ]);
  // v2's trigger goes and comes back with v2, never rebuilt on its own; v3 and g are untouched.
  assert.equal(changes.filter((c) => c.kind === 'drop_trigger').length, 1);
  assert.ok(!changes.some((c) => describe(c).endsWith(' v3') || describe(c).endsWith(' g')));
});

test("a rebuild supersedes the rebuilt object's own comment change (the create brings the new comment)", () => {
  const changes = diffSchemas(schema('integer', 'two'), schema('bigint', 'second'));
  assert.ok(!changes.some((c) => c.kind === 'set_comment'));
  const created = changes.find((c): c is Extract<Change, { kind: 'create_view' }> => c.kind === 'create_view' && c.view.name === 'v2');
  assert.equal(created?.view.comment, 'second');
  // Without the type change the comment is the only change.
  assert.deepEqual(diffSchemas(schema('integer', 'two'), schema('integer', 'second')).map(describe), ['set_comment view']);
});
