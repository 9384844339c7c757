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
const triggerId = (table: QualifiedName, name: string): string => `trg${SEP}${qualifiedKey(table)}${SEP}${name}`;
const policyId = (table: QualifiedName, name: string): string => `pol${SEP}${qualifiedKey(table)}${SEP}${name}`;
const grantId = (targetKey: string): string => `grant${SEP}${targetKey}`;
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
      if (next) out.push({ kind: 'trigger', id: triggerId(q, trg.name), table: q, from: trg, to: next });
    }
    for (const pol of t.policies ?? []) {
      const next = to.policies?.find((x) => x.name === pol.name);
      if (next) out.push({ kind: 'policy', id: policyId(q, pol.name), table: q, from: pol, to: next });
    }
  }
  return out;
}

/** The dependent this change drops (then it is rebuilt already): its id, as dependents() names it. */
function dropKey(c: Change): string | undefined {
  switch (c.kind) {
    case 'drop_view':
      return relationId(nameOf(c.view));
    case 'drop_function':
      return functionId(nameOf(c.function), c.function.signature);
    case 'drop_trigger':
      return triggerId(c.table, c.trigger.name);
    case 'drop_policy':
      return policyId(c.table, c.policy.name);
    default:
      return undefined;
  }
}

/**
 * The dependents whose rebuild makes this change redundant (an in-place
 * replacement, a comment or privilege update of the same object), as keys
 * that supersedeKeysOf(dependent) lists too.
 */
function supersededKeys(c: Change): string[] {
  switch (c.kind) {
    case 'set_grants':
      return [grantId(grantTargetKey(c.target))];
    case 'replace_view':
      return [relationId(nameOf(c.to))];
    case 'create_index':
    case 'drop_index':
    case 'create_trigger':
    case 'drop_trigger':
      return [relationId(c.table)];
    case 'replace_function':
      return [functionId(nameOf(c.to), c.to.signature)];
    case 'alter_policy':
      return [policyId(c.table, c.to.name)];
    case 'set_comment':
      switch (c.target.kind) {
        case 'view':
          return [relationId(c.target.view)];
        case 'index':
          return [relationId(c.target.table)];
        case 'trigger':
          return [relationId(c.target.table), triggerId(c.target.table, c.target.name)];
        case 'function':
          return [functionId(c.target.function, c.target.signature)];
        case 'policy':
          return [policyId(c.target.table, c.target.name)];
        default:
          return [];
      }
    default:
      return [];
  }
}

/** What supersededKeys of a change this dependent's rebuild makes redundant names it by. */
function supersedeKeysOf(d: Dependent): string[] {
  switch (d.kind) {
    case 'view':
      return [d.id, grantId(grantTargetKey({ kind: 'view', view: nameOf(d.to) }))];
    case 'function':
      return [d.id, grantId(grantTargetKey({ kind: 'function', function: nameOf(d.to), signature: d.to.signature }))];
    case 'trigger':
    case 'policy':
      return [d.id];
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

/**
 * `changes` plus the rebuilds of every dependent they break, transitively.
 * Dependents are taken in the order dependents() lists them, in sweeps: the
 * next one is the first broken one after the last taken, and a rebuilt view
 * (which brings its triggers back itself) starts the sweep again from the
 * top. Indexed by what each dependent uses, so the work grows with the
 * schema, not with schema × changes.
 */
export function rebuildDependents(a: Schema, b: Schema, changes: Change[]): Change[] {
  const dropped = new Set(changes.map(dropKey));
  const pending = dependents(a, b).filter((d) => !dropped.has(d.id));
  const users = new Map<string, number[]>();
  const triggersOn = new Map<string, number[]>();
  for (const [i, d] of pending.entries()) {
    for (const r of refsOf(d)) for (const id of refIds(r)) push(users, id, i);
    if (d.kind === 'trigger') push(triggersOn, relationId(d.table), i);
  }
  const out = new ChangeList(changes);
  const taken = new Array<boolean>(pending.length).fill(false);
  const ready = new SortedIndices();
  const broken = new Set<string>();
  const breakId = (id: string): void => {
    if (broken.has(id)) return;
    broken.add(id);
    for (const i of users.get(id) ?? []) if (!taken[i]) ready.add(i);
  };
  for (const c of changes) for (const id of brokenBy(c)) breakId(id);
  for (let from = 0; ; ) {
    const i = ready.firstFrom(from) ?? ready.firstFrom(0);
    if (i === undefined) break;
    const d = pending[i]!;
    ready.delete(i);
    taken[i] = true;
    out.supersede(supersedeKeysOf(d));
    out.append(rebuild(d));
    from = i + 1;
    if (d.kind === 'view') {
      for (const j of triggersOn.get(d.id) ?? []) {
        taken[j] = true;
        ready.delete(j);
      }
      from = 0;
    }
    breakId(d.id);
  }
  return out.result();
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Changes in order, where a rebuild can strike out the ones it supersedes (found by key, not by a scan). */
class ChangeList {
  private readonly items: Change[] = [];
  private readonly struck = new Set<number>();
  private readonly byKey = new Map<string, number[]>();
  constructor(changes: Change[]) {
    this.append(changes);
  }

  append(changes: Change[]): void {
    for (const c of changes) {
      for (const key of supersededKeys(c)) push(this.byKey, key, this.items.length);
      this.items.push(c);
    }
  }

  supersede(keys: string[]): void {
    for (const key of keys) for (const i of this.byKey.get(key) ?? []) this.struck.add(i);
  }

  result(): Change[] {
    return this.struck.size === 0 ? this.items : this.items.filter((_, i) => !this.struck.has(i));
  }
}

/** A set of indexes that answers "the smallest one at or after n". */
class SortedIndices {
  private readonly items: number[] = [];
  add(n: number): void {
    const at = this.lowerBound(n);
    if (this.items[at] !== n) this.items.splice(at, 0, n);
  }

  delete(n: number): void {
    const at = this.lowerBound(n);
    if (this.items[at] === n) this.items.splice(at, 1);
  }

  firstFrom(n: number): number | undefined {
    return this.items[this.lowerBound(n)];
  }

  private lowerBound(n: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]! < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
