// Moving a single-schema plan into a shadow schema. Lockplane's SQL names
// every object with its schema ("public"."users", and introspected types and
// expressions say public.mood, public.users_id_seq), so the plan is proven
// in the shadow with that one schema renamed. The renaming is textual, and
// accepted only when it is provably exact:
//   - the plan and the schema it starts from live in one schema, and no
//     step changes a schema itself (create, drop, comment);
//   - nothing in them already names the shadow schema, so the renaming can
//     be undone exactly on what the shadow reports back;
//   - every step carries its structured change, and its SQL with the schema
//     renamed is exactly what Lockplane renders for the change moved into the
//     shadow schema — so the shadow runs the plan's own statements, with
//     nothing but the schema different.
// Anything else is refused with the reason.
import { LockplaneError } from '../errors.js';
import type { Change } from '../diff/changes.js';
import { changeSql } from '../plan/kinds/registry.js';
import { stepStatements, type Plan, type PlanStep } from '../plan/types.js';
import type { Schema } from '../schema/types.js';

export class NotRelocatableError extends LockplaneError {
  constructor(reason: string) {
    super(`cannot prove this plan in a shadow schema (SHADOW_SCHEMA): ${reason}; unset SHADOW_SCHEMA to prove it in a shadow database`, 2);
    this.name = 'NotRelocatableError';
  }
}

export interface Relocation {
  from: string;
  to: string;
}

const SCHEMA_KEYS = new Set(['schema', 'referenced_schema']);

/**
 * The one schema a plan and its source schema live in. References outside
 * the filter (`inScope`) — a foreign key to auth.users, a policy depending on
 * auth.uid() — are not moved: the shadow schema's database has them as the
 * target does.
 */
export function planSchema(current: Schema, plan: Plan, inScope: (namespace: string) => boolean = () => true): string {
  const names = new Set<string>();
  for (const t of [...current.tables, ...(current.types ?? [])]) names.add(t.schema ?? 'public');
  for (const step of plan.steps) {
    if (!step.change) throw new NotRelocatableError(`step "${step.description}" has no structured change (hand-written or original-format plan)`);
    if (['create_schema', 'drop_schema'].includes(step.change.kind) || (step.change.kind === 'set_comment' && step.change.target.kind === 'schema')) {
      throw new NotRelocatableError(`step "${step.description}" changes a schema itself`);
    }
    collectSchemas(step.change, names, inScope);
  }
  if (names.size > 1) throw new NotRelocatableError(`the plan spans several schemas (${[...names].sort().join(', ')}); a shadow schema proves single-schema plans only`);
  return [...names][0] ?? 'public';
}

/** Schemas named in a change; a reference (a foreign key's table, a `depends_on` entry) outside the filter is left where it is. */
function collectSchemas(value: unknown, into: Set<string>, inScope: (namespace: string) => boolean, reference = false): void {
  if (Array.isArray(value)) for (const v of value) collectSchemas(v, into, inScope, reference);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (SCHEMA_KEYS.has(key) && typeof v === 'string') {
        if (!(reference || key === 'referenced_schema') || inScope(v)) into.add(v);
      } else collectSchemas(v, into, inScope, reference || key === 'depends_on');
    }
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `from.` and `"from".` as schema qualifiers (not inside another identifier) become `to.`, `"to".`. */
export function relocateText(text: string, r: Relocation): string {
  return text
    .replace(new RegExp(`"${escape(r.from)}"\\.`, 'g'), `"${r.to}".`)
    .replace(new RegExp(`(?<![\\w$"])${escape(r.from)}\\.`, 'g'), `${r.to}.`);
}

function mentions(text: string, schema: string): boolean {
  return relocateText(text, { from: schema, to: '\0' }) !== text;
}

export function relocateValue<T>(value: T, r: Relocation): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key && SCHEMA_KEYS.has(key) ? (v === r.from ? r.to : v) : relocateText(v, r);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value) as T;
}

/** The source schema and the plan, moved into the shadow schema; refuses when that is not exact. */
export function relocate(current: Schema, plan: Plan, shadowSchema: string, inScope?: (namespace: string) => boolean): { current: Schema; plan: Plan; relocation: Relocation } {
  const from = planSchema(current, plan, inScope);
  const relocation = { from, to: shadowSchema };
  if (mentions(JSON.stringify([current, plan]), shadowSchema)) {
    throw new NotRelocatableError(`the plan or the schema already mentions ${shadowSchema}.`);
  }
  const steps = plan.steps.map((step) => relocateStep(step, relocation));
  const moved: Schema = { ...relocateValue(current, relocation), schemas: [] };
  return { current: moved, plan: { steps }, relocation };
}

function relocateStep(step: PlanStep, r: Relocation): PlanStep {
  const change = relocateValue(step.change as Change, r);
  const sql = stepStatements(step).map((s) => relocateText(s, r));
  const rendered = changeSql(change);
  if (JSON.stringify(rendered) !== JSON.stringify(sql)) {
    throw new NotRelocatableError(`the SQL of step "${step.description}" is not what Lockplane renders for its change (edited by hand?)`);
  }
  return { description: step.description, sql, transactional: step.transactional !== false };
}

/** What the shadow reports, in the plan's own schema again, with the source's namespaces. */
export function relocateBack(shadow: Schema, r: Relocation, namespaces: Schema['schemas']): Schema {
  const back = relocateValue(shadow, { from: r.to, to: r.from });
  return { ...back, schemas: namespaces ?? [] };
}
