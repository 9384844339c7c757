// Dependents of what a plan drops or changes in place. Postgres refuses to
// drop a function a trigger calls, or to change the type of a column a view
// reads; such dependents (views, functions, triggers, policies) are dropped
// before and created again after — transitively — even when their own
// definition did not change. What depends on what comes from `depends_on`
// (the catalog's pg_depend) of the schema before the plan.
import { routineKey } from '../schema/canonical.js';
import type { ObjectRef, Policy, QualifiedName, Routine, Schema, Table, Trigger, View } from '../schema/types.js';
import { DEFAULT_NAMESPACE, qualifiedKey, tableKey, tableSchema } from '../schema/types.js';
import type { Change } from './changes.js';
import { createRoutineChanges, createViewChanges, dropRoutineChanges, dropViewChanges } from './objects.js';
import { grantTargetKey } from './grants.js';
import { multirangeName } from '../schema/ranges.js';

const SEP = '\u0000';
const relationId = (q: QualifiedName): string => `rel${SEP}${qualifiedKey(q)}`;
const columnId = (q: QualifiedName, column: string): string => `col${SEP}${qualifiedKey(q)}${SEP}${column}`;
const functionId = (q: QualifiedName, signature: string): string => `fn${SEP}${qualifiedKey(q)}${SEP}${signature}`;
const typeId = (q: QualifiedName): string => `type${SEP}${qualifiedKey(q)}`;
const nameOf = (o: { schema?: string; name: string }): QualifiedName => ({ schema: o.schema ?? DEFAULT_NAMESPACE, name: o.name });

/** What a dependency is broken by: the object itself, or (for a column) its whole table. */
function refIds(r: ObjectRef): string[] {
  const q = { schema: r.schema, name: r.name };
  switch (r.kind) {
    case 'relation':
      return [relationId(q)];
    case 'column':
      return [relationId(q), columnId(q, r.column ?? '')];
    case 'function':
      return [functionId(q, r.signature ?? '')];
    case 'type':
      return [typeId(q)];
  }
}

/** Objects a change removes (or rebuilds) for as long as it runs. */
function brokenBy(c: Change): string[] {
  switch (c.kind) {
    case 'drop_table':
      return [relationId(nameOf({ schema: tableSchema(c.table), name: c.table.name }))];
    case 'drop_column':
      return [columnId(c.table, c.column.name)];
    case 'alter_column':
      return c.from.type !== c.to.type || (c.from.collation ?? '') !== (c.to.collation ?? '') ? [columnId(c.table, c.from.name)] : [];
    case 'recreate_range':
      return [typeId(nameOf(c.from)), typeId(multirangeName(c.from)), ...c.columns.map((col) => columnId(col.table, col.column))];
    case 'drop_range':
      return [typeId(nameOf(c.type)), typeId(multirangeName(c.type))];
    case 'recreate_enum':
    // Adding labels touches no column, but its inverse (a recreate) converts them: rebuilt here, so the rollback has the rebuild too.
    case 'add_enum_values':
      return [typeId(nameOf(c.from)), ...c.columns.map((col) => columnId(col.table, col.column))];
    case 'drop_enum':
    case 'drop_composite_type':
      return [typeId(nameOf(c.type))];
    case 'drop_domain':
      return [typeId(nameOf(c.domain))];
    case 'drop_view':
      return [relationId(nameOf(c.view))];
    case 'drop_sequence':
      return [relationId(nameOf(c.sequence))];
    case 'drop_function':
      return [functionId(nameOf(c.function), c.function.signature)];
    default:
      return [];
  }
}

type Dependent =
  | { kind: 'view'; id: string; from: View; to: View }
  | { kind: 'function'; id: string; from: Routine; to: Routine }
  | { kind: 'trigger'; id: string; table: QualifiedName; from: Trigger; to: Trigger }
  | { kind: 'policy'; id: string; table: QualifiedName; from: Policy; to: Policy };

/** Objects that exist on both sides and record what they use. */
function dependents(a: Schema, b: Schema): Dependent[] {
  const out: Dependent[] = [];
  const bViews = new Map((b.views ?? []).map((v) => [tableKey(v), v]));
  for (const v of a.views ?? []) {
    const to = bViews.get(tableKey(v));
    if (to) out.push({ kind: 'view', id: relationId(nameOf(v)), from: v, to });
  }
  const bFns = new Map((b.functions ?? []).map((f) => [routineKey(f), f]));
  for (const f of a.functions ?? []) {
    const to = bFns.get(routineKey(f));
    if (to) out.push({ kind: 'function', id: functionId(nameOf(f), f.signature), from: f, to });
  }
  const bTables = new Map<string, Pick<Table, 'schema' | 'name' | 'triggers' | 'policies'>>([...b.tables, ...(b.views ?? [])].map((t) => [tableKey(t), t]));
  for (const t of [...a.tables, ...(a.views ?? [])] as Pick<Table, 'schema' | 'name' | 'triggers' | 'policies'>[]) {
    const to = bTables.get(tableKey(t));
    if (!to) continue;
    const q = nameOf({ schema: tableSchema(t), name: t.name });
    for (const trg of t.triggers ?? []) {
      const next = to.triggers?.find((x) => x.name === trg.name);
      if (next) out.push({ kind: 'trigger', id: `trg${SEP}${qualifiedKey(q)}${SEP}${trg.name}`, table: q, from: trg, to: next });
    }
    for (const pol of t.policies ?? []) {
      const next = to.policies?.find((x) => x.name === pol.name);
      if (next) out.push({ kind: 'policy', id: `pol${SEP}${qualifiedKey(q)}${SEP}${pol.name}`, table: q, from: pol, to: next });
    }
  }
  return out;
}

/** The change set's own drop of this dependent, if any (then it is rebuilt already). */
function isDropOf(c: Change, d: Dependent): boolean {
  switch (d.kind) {
    case 'view':
      return c.kind === 'drop_view' && relationId(nameOf(c.view)) === d.id;
    case 'function':
      return c.kind === 'drop_function' && functionId(nameOf(c.function), c.function.signature) === d.id;
    case 'trigger':
      return c.kind === 'drop_trigger' && qualifiedKey(c.table) === qualifiedKey(d.table) && c.trigger.name === d.from.name;
    case 'policy':
      return c.kind === 'drop_policy' && qualifiedKey(c.table) === qualifiedKey(d.table) && c.policy.name === d.from.name;
  }
}

/** Changes made redundant by a rebuild: in-place replacements, comment and privilege updates of the same object. */
function supersededBy(c: Change, d: Dependent): boolean {
  if (c.kind === 'set_grants' && (d.kind === 'view' || d.kind === 'function')) {
    const target = d.kind === 'view' ? grantTargetKey({ kind: 'view', view: nameOf(d.to) }) : grantTargetKey({ kind: 'function', function: nameOf(d.to), signature: d.to.signature });
    if (grantTargetKey(c.target) === target) return true;
  }
  switch (d.kind) {
    case 'view':
      return (c.kind === 'replace_view' && relationId(nameOf(c.to)) === d.id) ||
        (c.kind === 'set_comment' && c.target.kind === 'view' && relationId(c.target.view) === d.id) ||
        ((c.kind === 'create_index' || c.kind === 'drop_index' || c.kind === 'create_trigger' || c.kind === 'drop_trigger') && relationId(c.table) === d.id) ||
        (c.kind === 'set_comment' && c.target.kind === 'trigger' && relationId(c.target.table) === d.id) ||
        (c.kind === 'set_comment' && c.target.kind === 'index' && relationId(c.target.table) === d.id);
    case 'function':
      return (c.kind === 'replace_function' && functionId(nameOf(c.to), c.to.signature) === d.id) ||
        (c.kind === 'set_comment' && c.target.kind === 'function' && functionId(c.target.function, c.target.signature) === d.id);
    case 'trigger':
      return c.kind === 'set_comment' && c.target.kind === 'trigger' && qualifiedKey(c.target.table) === qualifiedKey(d.table) && c.target.name === d.to.name;
    case 'policy':
      return (c.kind === 'alter_policy' && qualifiedKey(c.table) === qualifiedKey(d.table) && c.to.name === d.to.name) ||
        (c.kind === 'set_comment' && c.target.kind === 'policy' && qualifiedKey(c.target.table) === qualifiedKey(d.table) && c.target.name === d.to.name);
  }
}

function rebuild(d: Dependent): Change[] {
  switch (d.kind) {
    case 'view':
      return [...dropViewChanges(d.from), ...createViewChanges(d.to)];
    case 'function':
      return [...dropRoutineChanges(d.from), ...createRoutineChanges(d.to)];
    case 'trigger':
      return [{ kind: 'drop_trigger', table: d.table, trigger: d.from }, { kind: 'create_trigger', table: d.table, trigger: d.to }];
    case 'policy':
      return [{ kind: 'drop_policy', table: d.table, policy: d.from }, { kind: 'create_policy', table: d.table, policy: d.to }];
  }
}

function refsOf(d: Dependent): ObjectRef[] {
  return d.from.depends_on ?? [];
}

/** `changes` plus the rebuilds of every dependent they break, transitively. */
export function rebuildDependents(a: Schema, b: Schema, changes: Change[]): Change[] {
  let out = changes;
  const broken = new Set(out.flatMap(brokenBy));
  const pending = dependents(a, b).filter((d) => !out.some((c) => isDropOf(c, d)));
  for (let grew = true; grew; ) {
    grew = false;
    for (let i = 0; i < pending.length; i++) {
      const d = pending[i]!;
      if (!refsOf(d).some((r) => refIds(r).some((id) => broken.has(id)))) continue;
      pending.splice(i--, 1);
      out = [...out.filter((c) => !supersededBy(c, d)), ...rebuild(d)];
      // A rebuilt view brings its triggers back itself.
      if (d.kind === 'view') {
        for (let j = pending.length - 1; j >= 0; j--) {
          const p = pending[j]!;
          if (p.kind === 'trigger' && relationId(p.table) === d.id) pending.splice(j, 1);
        }
        i = -1;
      }
      broken.add(d.id);
      grew = true;
    }
  }
  return out;
}
