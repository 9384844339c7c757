// Differences of extensions, standalone sequences, views, functions, and a
// table's triggers, policies and row-level security. Objects are matched by
// identity (qualified name; a function by name and argument types). A changed
// view or function is replaced in place when Postgres allows it and the
// inverse is a replace too; otherwise it is dropped and created.
import { routineKey } from '../schema/canonical.js';
import type { CompositeType, Domain, Extension, GrantTarget, Policy, QualifiedName, Routine, Schema, Sequence, Table, Trigger, View } from '../schema/types.js';
import { DEFAULT_NAMESPACE, tableKey, tableSchema } from '../schema/types.js';
import type { Change, RowSecurity } from './changes.js';
import { commentChange } from './comment-target.js';
import { sameDefinition } from './compare.js';
import { grantChange, grantsCreated, grantsDropped, routineTarget, typeGrantChanges } from './grants.js';

const nameOf = (o: { schema?: string; name: string }): QualifiedName => ({ schema: o.schema ?? DEFAULT_NAMESPACE, name: o.name });

/** Pairs two keyed lists: `gone` for keys only in a, `fresh` for keys only in b, `both` otherwise. */
function matchBy<T>(
  a: readonly T[] | undefined,
  b: readonly T[] | undefined,
  keyOf: (x: T) => string,
  handle: { gone: (x: T) => Change[]; fresh: (x: T) => Change[]; both: (x: T, y: T) => Change[] },
): Change[] {
  const before = new Map((a ?? []).map((x) => [keyOf(x), x]));
  const after = new Map((b ?? []).map((x) => [keyOf(x), x]));
  const out: Change[] = [];
  for (const [k, x] of before) if (!after.has(k)) out.push(...handle.gone(x));
  for (const [k, y] of after) {
    const x = before.get(k);
    out.push(...(x === undefined ? handle.fresh(y) : handle.both(x, y)));
  }
  return out;
}

// ---- Extensions and sequences ----------------------------------------------

export function diffExtensions(a: Schema, b: Schema): Change[] {
  return matchBy(a.extensions, b.extensions, (e) => e.name, {
    gone: (e) => [{ kind: 'drop_extension', extension: e }],
    fresh: (e) => [{ kind: 'create_extension', extension: e }],
    both: (x, y) => {
      const moved = (x.schema ?? '') !== (y.schema ?? '');
      const updated = x.version !== undefined && y.version !== undefined && x.version !== y.version;
      const out: Change[] = moved || updated ? [{ kind: 'alter_extension', from: x, to: keepVersion(x, y) }] : [];
      return [...out, ...commentChange({ kind: 'extension', extension: y.name }, x.comment, y.comment)];
    },
  });
}

/** A desired extension without a version keeps the installed one. */
function keepVersion(x: Extension, y: Extension): Extension {
  return y.version === undefined && x.version !== undefined ? { ...y, version: x.version } : y;
}

export function diffSequences(a: Schema, b: Schema): Change[] {
  const target = (q: Sequence) => ({ kind: 'sequence' as const, sequence: nameOf(q) });
  return matchBy(a.sequences, b.sequences, tableKey, {
    gone: (q) => [...grantsDropped(target(q), q.grants), { kind: 'drop_sequence', sequence: q }],
    fresh: (q) => [{ kind: 'create_sequence', sequence: q }, ...grantsCreated(target(q), q.grants)],
    both: (x, y) => [
      ...(sameDefinition<Sequence>(x, y) ? [] : [{ kind: 'alter_sequence', from: x, to: y } as Change]),
      ...commentChange({ kind: 'sequence', sequence: nameOf(y) }, x.comment, y.comment),
      ...grantChange(target(y), x.grants, y.grants),
    ],
  });
}

// ---- Domains and composite types -------------------------------------------

const domainTarget = (d: Domain): GrantTarget => ({ kind: 'type', type: nameOf(d), domain: true });
const dropDomain = (d: Domain): Change[] => [...typeGrantChanges(domainTarget(d), d, undefined), { kind: 'drop_domain', domain: d }];
const createDomain = (d: Domain): Change[] => [{ kind: 'create_domain', domain: d }, ...typeGrantChanges(domainTarget(d), undefined, d)];

export function diffDomains(a: Schema, b: Schema): Change[] {
  return matchBy(a.domains, b.domains, tableKey, {
    gone: dropDomain,
    fresh: createDomain,
    both: (x, y) => {
      const comment = commentChange({ kind: 'domain', domain: nameOf(y) }, x.comment, y.comment);
      const grants = typeGrantChanges(domainTarget(y), x, y);
      if (sameDefinition(x, y)) return [...comment, ...grants];
      if (x.type !== y.type || (x.collation ?? '') !== (y.collation ?? '')) return [...dropDomain(x), ...createDomain(y)];
      return [{ kind: 'alter_domain', from: x, to: y }, ...comment, ...grants];
    },
  });
}

const compositeTarget = (t: CompositeType): GrantTarget => ({ kind: 'type', type: nameOf(t) });
const dropComposite = (t: CompositeType): Change[] => [...typeGrantChanges(compositeTarget(t), t, undefined), { kind: 'drop_composite_type', type: t }];
const createComposite = (t: CompositeType): Change[] => [{ kind: 'create_composite_type', type: t }, ...typeGrantChanges(compositeTarget(t), undefined, t)];

export function diffComposites(a: Schema, b: Schema): Change[] {
  return matchBy(a.composite_types, b.composite_types, tableKey, {
    gone: dropComposite,
    fresh: createComposite,
    both: (x, y) =>
      sameDefinition(x, y)
        ? [...commentChange({ kind: 'type', type: nameOf(y) }, x.comment, y.comment), ...typeGrantChanges(compositeTarget(y), x, y)]
        : [...dropComposite(x), ...createComposite(y)],
  });
}

// ---- Views ------------------------------------------------------------------

/** The view alone (its indexes and triggers are separate changes). */
export function bareView(v: View): View {
  const { indexes: _i, triggers: _t, grants: _g, ...rest } = v;
  return rest;
}

export function createViewChanges(v: View): Change[] {
  const q = nameOf(v);
  return [
    { kind: 'create_view', view: bareView(v) },
    ...grantsCreated({ kind: 'view', view: q }, v.grants),
    ...(v.indexes ?? []).map((index): Change => ({ kind: 'create_index', table: q, index })),
    ...(v.triggers ?? []).map((trigger): Change => ({ kind: 'create_trigger', table: q, trigger })),
  ];
}

export function dropViewChanges(v: View): Change[] {
  const q = nameOf(v);
  return [
    ...grantsDropped({ kind: 'view', view: q }, v.grants),
    ...(v.triggers ?? []).map((trigger): Change => ({ kind: 'drop_trigger', table: q, trigger })),
    ...(v.indexes ?? []).map((index): Change => ({ kind: 'drop_index', table: q, index })),
    { kind: 'drop_view', view: bareView(v) },
  ];
}

function sameOutput(x: View, y: View): boolean {
  return sameDefinition(x.columns ?? [], y.columns ?? []);
}

function viewChanges(x: View, y: View): Change[] {
  const q = nameOf(y);
  if (sameDefinition(bareView(x), bareView(y))) {
    const out: Change[] = matchBy(x.indexes, y.indexes, (i) => i.name, {
      gone: (index) => [{ kind: 'drop_index', table: q, index }],
      fresh: (index) => [{ kind: 'create_index', table: q, index }],
      both: (i, j) =>
        sameDefinition(i, j)
          ? commentChange({ kind: 'index', table: q, name: j.name }, i.comment, j.comment)
          : [{ kind: 'drop_index', table: q, index: i }, { kind: 'create_index', table: q, index: j }],
    });
    return [...out, ...triggerChanges(q, x.triggers, y.triggers), ...viewComment(x, y), ...grantChange({ kind: 'view', view: q }, x.grants, y.grants)];
  }
  if (!x.materialized && !y.materialized && sameOutput(x, y)) {
    return [
      { kind: 'replace_view', from: bareView(x), to: bareView(y) },
      ...triggerChanges(q, x.triggers, y.triggers),
      ...viewComment(x, y),
      ...grantChange({ kind: 'view', view: q }, x.grants, y.grants),
    ];
  }
  return [...dropViewChanges(x), ...createViewChanges(y)];
}

function viewComment(x: View, y: View): Change[] {
  const target = y.materialized ? { kind: 'view' as const, view: nameOf(y), materialized: true } : { kind: 'view' as const, view: nameOf(y) };
  return commentChange(target, x.comment, y.comment);
}

export function diffViews(a: Schema, b: Schema): Change[] {
  return matchBy(a.views, b.views, tableKey, { gone: dropViewChanges, fresh: createViewChanges, both: viewChanges });
}

// ---- Functions --------------------------------------------------------------

/** CREATE OR REPLACE keeps the kind, the argument list (names, defaults) and the result type. */
function replaceable(x: Routine, y: Routine): boolean {
  return (x.kind ?? 'function') === (y.kind ?? 'function') && (x.arguments ?? '') === (y.arguments ?? '') &&
    (x.argument_list ?? '') === (y.argument_list ?? '') && (x.returns ?? '') === (y.returns ?? '');
}

function routineComment(x: Routine, y: Routine): Change[] {
  const target = { kind: 'function' as const, function: nameOf(y), signature: y.signature };
  return commentChange(y.kind === 'procedure' ? { ...target, procedure: true } : target, x.comment, y.comment);
}

export function diffRoutines(a: Schema, b: Schema): Change[] {
  return matchBy(a.functions, b.functions, routineKey, {
    gone: dropRoutineChanges,
    fresh: createRoutineChanges,
    both: (x, y) => {
      const grants = grantChange(routineTarget(y), x.grants, y.grants);
      if (sameDefinition(x, y)) return [...routineComment(x, y), ...grants];
      if (replaceable(x, y)) return [{ kind: 'replace_function', from: x, to: y }, ...routineComment(x, y), ...grants];
      return [...dropRoutineChanges(x), ...createRoutineChanges(y)];
    },
  });
}

export function createRoutineChanges(f: Routine): Change[] {
  return [{ kind: 'create_function', function: f }, ...grantsCreated(routineTarget(f), f.grants)];
}

export function dropRoutineChanges(f: Routine): Change[] {
  return [...grantsDropped(routineTarget(f), f.grants), { kind: 'drop_function', function: f }];
}

// ---- Triggers, policies, row-level security (per table) --------------------

export function rowSecurityOf(t: Table): RowSecurity {
  return { enabled: Boolean(t.row_security), forced: Boolean(t.force_row_security) };
}

const NO_ROW_SECURITY: RowSecurity = { enabled: false, forced: false };

/** What a new table brings after its columns exist: row security, policies, triggers. */
export function tableExtrasCreated(t: Table): Change[] {
  const q = nameOf({ schema: tableSchema(t), name: t.name });
  const rls = rowSecurityOf(t);
  return [
    ...(rls.enabled || rls.forced ? [{ kind: 'set_row_security', table: q, from: NO_ROW_SECURITY, to: rls } as Change] : []),
    ...(t.policies ?? []).map((policy): Change => ({ kind: 'create_policy', table: q, policy })),
    ...(t.triggers ?? []).map((trigger): Change => ({ kind: 'create_trigger', table: q, trigger })),
  ];
}

/** What goes before a table is dropped, so that the drop inverts exactly. */
export function tableExtrasDropped(t: Table): Change[] {
  const q = nameOf({ schema: tableSchema(t), name: t.name });
  const rls = rowSecurityOf(t);
  return [
    ...(t.triggers ?? []).map((trigger): Change => ({ kind: 'drop_trigger', table: q, trigger })),
    ...(t.policies ?? []).map((policy): Change => ({ kind: 'drop_policy', table: q, policy })),
    ...(rls.enabled || rls.forced ? [{ kind: 'set_row_security', table: q, from: rls, to: NO_ROW_SECURITY } as Change] : []),
  ];
}

/** ALTER POLICY can change roles and expressions but cannot remove a clause (in either direction, for the inverse). */
function alterable(x: Policy, y: Policy): boolean {
  return Boolean(x.restrictive) === Boolean(y.restrictive) && (x.command ?? 'ALL') === (y.command ?? 'ALL') &&
    (x.using === undefined) === (y.using === undefined) && (x.with_check === undefined) === (y.with_check === undefined);
}

export function diffTableExtras(a: Table, b: Table): Change[] {
  const q = nameOf({ schema: tableSchema(b), name: b.name });
  const out: Change[] = [];
  const from = rowSecurityOf(a);
  const to = rowSecurityOf(b);
  if (from.enabled !== to.enabled || from.forced !== to.forced) out.push({ kind: 'set_row_security', table: q, from, to });
  out.push(
    ...matchBy(a.policies, b.policies, (p) => p.name, {
      gone: (policy) => [{ kind: 'drop_policy', table: q, policy }],
      fresh: (policy) => [{ kind: 'create_policy', table: q, policy }],
      both: (x, y) => {
        const comment = commentChange({ kind: 'policy', table: q, name: y.name }, x.comment, y.comment);
        if (sameDefinition(x, y)) return comment;
        if (alterable(x, y)) return [{ kind: 'alter_policy', table: q, from: x, to: y }, ...comment];
        return [{ kind: 'drop_policy', table: q, policy: x }, { kind: 'create_policy', table: q, policy: y }];
      },
    }),
    ...triggerChanges(q, a.triggers, b.triggers),
  );
  return out;
}

/** Triggers of a table or view that exists on both sides, by name; a changed one is dropped and created. */
function triggerChanges(q: QualifiedName, a: Trigger[] | undefined, b: Trigger[] | undefined): Change[] {
  return matchBy(a, b, (t: Trigger) => t.name, {
    gone: (trigger) => [{ kind: 'drop_trigger', table: q, trigger }],
    fresh: (trigger) => [{ kind: 'create_trigger', table: q, trigger }],
    both: (x, y) =>
      sameDefinition(x, y)
        ? commentChange({ kind: 'trigger', table: q, name: y.name }, x.comment, y.comment)
        : [{ kind: 'drop_trigger', table: q, trigger: x }, { kind: 'create_trigger', table: q, trigger: y }],
  });
}
