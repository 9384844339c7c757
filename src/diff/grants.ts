// Privileges: one set_grants change per object whose grants differ. A new
// object starts with its kind's default privileges and an object about to be
// dropped is brought back to them, so that creates and drops invert exactly.
import { canonicalGrants, defaultPrivilegeKey, routineKey, TYPE_DEFAULT_GRANTS } from '../schema/canonical.js';
import { stableEqual } from '../schema/hash.js';
import type { DefaultPrivilege, Grant, GrantTarget, QualifiedName, Routine, Schema, Table } from '../schema/types.js';
import { DEFAULT_NAMESPACE, qualifiedKey, tableSchema } from '../schema/types.js';
import type { Change } from './changes.js';

/** What Postgres grants on a new object of this kind: EXECUTE to everyone on functions, nothing else. */
export function defaultGrants(target: GrantTarget): Grant[] | undefined {
  if (target.kind === 'type') return structuredClone([...TYPE_DEFAULT_GRANTS]);
  return target.kind === 'function' ? [{ grantee: 'public', privileges: ['EXECUTE'] }] : undefined;
}

export function sameGrants(a: readonly Grant[] | undefined, b: readonly Grant[] | undefined): boolean {
  return stableEqual(a ?? [], b ?? []);
}

/** A set_grants change from `from` to `to`, when they differ. */
export function grantChange(target: GrantTarget, from: Grant[] | undefined, to: Grant[] | undefined, when?: 'created' | 'dropped'): Change[] {
  if (sameGrants(from, to)) return [];
  const change: Change = { kind: 'set_grants', target };
  if (from?.length) change.from = from;
  if (to?.length) change.to = to;
  if (when) change.when = when;
  return [change];
}

/** After an object is created: from its kind's defaults to its grants. */
export function grantsCreated(target: GrantTarget, grants: Grant[] | undefined): Change[] {
  return grantChange(target, defaultGrants(target), grants, 'created');
}

/** Before an object is dropped: back to its kind's defaults. */
export function grantsDropped(target: GrantTarget, grants: Grant[] | undefined): Change[] {
  return grantChange(target, grants, defaultGrants(target), 'dropped');
}

// ---- Default privileges ---------------------------------------------------------

/** Without an entry: nothing in one schema; globally, EXECUTE/USAGE to public on functions/types. */
export function builtinDefault(d: Pick<DefaultPrivilege, 'schema' | 'on'>): Grant[] | undefined {
  if (d.schema) return undefined;
  if (d.on === 'functions') return [{ grantee: 'public', privileges: ['EXECUTE'] }];
  if (d.on === 'types') return [{ grantee: 'public', privileges: ['USAGE'] }];
  return undefined;
}

export function diffDefaultPrivileges(a: Schema, b: Schema): Change[] {
  const before = new Map((a.default_privileges ?? []).map((d) => [defaultPrivilegeKey(d), d]));
  const after = new Map((b.default_privileges ?? []).map((d) => [defaultPrivilegeKey(d), d]));
  const out: Change[] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(k);
    const y = after.get(k);
    if (x && y && sameGrants(x.grants, y.grants)) continue;
    const change: Change = { kind: 'set_default_privileges' };
    if (x) change.from = x;
    if (y) change.to = y;
    out.push(change);
  }
  return out;
}

const OBJECTS: Partial<Record<GrantTarget['kind'], DefaultPrivilege['on']>> = { table: 'tables', view: 'tables', sequence: 'sequences', function: 'functions', schema: 'schemas', type: 'types' };

function targetSchema(t: GrantTarget): string | undefined {
  switch (t.kind) {
    case 'schema':
      return undefined;
    case 'table':
    case 'column':
      return t.table.schema;
    case 'view':
      return t.view.schema;
    case 'sequence':
      return t.sequence.schema;
    case 'function':
      return t.function.schema;
    case 'type':
      return t.type.schema;
  }
}

/** One grant per grantee (and grant option): the same default privileges may come from both sides. */
function union(...lists: (readonly Grant[] | undefined)[]): Grant[] | undefined {
  const merged = new Map<string, Grant>();
  for (const g of lists.flatMap((l) => l ?? [])) {
    const key = `${g.grantee}\u0000${g.grantable ? 'grantable' : ''}`;
    const seen = merged.get(key);
    if (seen) seen.privileges.push(...g.privileges);
    else merged.set(key, { ...g, privileges: [...g.privileges] });
  }
  return canonicalGrants([...merged.values()]);
}

/**
 * A new object gets the default privileges in force when it is created, which
 * a plan (or its rollback) may be changing: assume any of them, from either
 * side. REVOKE of a privilege not held does nothing, so the result is exact.
 */
export function widenForDefaultPrivileges(changes: Change[], a: Schema, b: Schema): Change[] {
  const entries = [...(a.default_privileges ?? []), ...(b.default_privileges ?? [])];
  if (!entries.length) return changes;
  return changes.map((c) => {
    if (c.kind !== 'set_grants' || !c.when) return c;
    const on = OBJECTS[c.target.kind];
    const schema = targetSchema(c.target);
    const extra = entries.filter((d) => d.on === on && (!d.schema || d.schema === schema)).flatMap((d) => d.grants);
    if (!extra.length) return c;
    const out = { ...c };
    const widened = union(c.when === 'created' ? c.from : c.to, extra);
    if (c.when === 'created') {
      if (widened) out.from = widened;
    } else if (widened) out.to = widened;
    return out;
  });
}

const nameOf = (o: { schema?: string; name: string }): QualifiedName => ({ schema: o.schema ?? DEFAULT_NAMESPACE, name: o.name });

/** A type's or domain's grants, absent meaning the default (USAGE for everyone). */
export function typeGrantsOf(o: { grants?: Grant[] }): Grant[] | undefined {
  return o.grants ?? defaultGrants({ kind: 'type', type: { schema: '', name: '' } });
}

/** Grants of a type created (from the default) or dropped (back to it), or changed while it stays. */
export function typeGrantChanges(target: GrantTarget, x: { grants?: Grant[] } | undefined, y: { grants?: Grant[] } | undefined): Change[] {
  if (!x) return y ? grantsCreated(target, typeGrantsOf(y)) : [];
  if (!y) return grantsDropped(target, typeGrantsOf(x));
  return grantChange(target, typeGrantsOf(x), typeGrantsOf(y));
}

export function routineTarget(f: Routine): GrantTarget {
  const t = { kind: 'function' as const, function: nameOf(f), signature: f.signature };
  return f.kind === 'procedure' ? { ...t, procedure: true } : t;
}

/** A table's own grants and its columns'. */
export function tableGrantsCreated(t: Table): Change[] {
  const q = nameOf({ schema: tableSchema(t), name: t.name });
  return [
    ...grantsCreated({ kind: 'table', table: q }, t.grants),
    ...t.columns.flatMap((c) => grantsCreated({ kind: 'column', table: q, column: c.name }, c.grants)),
  ];
}

export function tableGrantsDropped(t: Table): Change[] {
  const q = nameOf({ schema: tableSchema(t), name: t.name });
  return [
    ...t.columns.flatMap((c) => grantsDropped({ kind: 'column', table: q, column: c.name }, c.grants)),
    ...grantsDropped({ kind: 'table', table: q }, t.grants),
  ];
}

/** Grants of a table present on both sides, and of its columns (a new column's come after it, a dropped one's go before). */
export function tableGrantChanges(a: Table, b: Table): Change[] {
  const q = nameOf({ schema: tableSchema(b), name: b.name });
  const out = grantChange({ kind: 'table', table: q }, a.grants, b.grants);
  const before = new Map(a.columns.map((c) => [c.name, c]));
  const after = new Map(b.columns.map((c) => [c.name, c]));
  for (const [name, col] of after) out.push(...grantChange({ kind: 'column', table: q, column: name }, before.get(name)?.grants, col.grants));
  for (const [name, col] of before) if (!after.has(name)) out.push(...grantsDropped({ kind: 'column', table: q, column: name }, col.grants));
  return out;
}

/** What a new database grants on `public`: USAGE to everyone (Postgres 15+). The IR omits it, like public's default comment. */
export const PUBLIC_SCHEMA_DEFAULT: Grant[] = [{ grantee: 'public', privileges: ['USAGE'] }];

/** A schema's grants, with `public`'s omitted default spelled out. */
export function schemaGrants(name: string, grants: Grant[] | undefined): Grant[] | undefined {
  return grants ?? (name === DEFAULT_NAMESPACE ? PUBLIC_SCHEMA_DEFAULT : undefined);
}

/** Grants of schemas present on both sides; a new schema's after it is created, a dropped one's before. */
export function schemaGrantChanges(a: Schema, b: Schema): Change[] {
  const before = new Map((a.schemas ?? []).map((s) => [s.name, schemaGrants(s.name, s.grants)]));
  const after = new Map((b.schemas ?? []).map((s) => [s.name, schemaGrants(s.name, s.grants)]));
  const out: Change[] = [];
  // A schema on one side only starts (or ends) with its default: public always exists.
  for (const [name, grants] of after) out.push(...grantChange({ kind: 'schema', schema: name }, before.has(name) ? before.get(name) : schemaGrants(name, undefined), grants));
  for (const [name, grants] of before) if (!after.has(name)) out.push(...grantChange({ kind: 'schema', schema: name }, grants, schemaGrants(name, undefined)));
  return out;
}

/** The key naming the object a grant change is on (for matching with rebuilds). */
export function grantTargetKey(t: GrantTarget): string {
  switch (t.kind) {
    case 'schema':
      return `schema:${t.schema}`;
    case 'table':
      return `rel:${qualifiedKey(t.table)}`;
    case 'view':
      return `rel:${qualifiedKey(t.view)}`;
    case 'sequence':
      return `rel:${qualifiedKey(t.sequence)}`;
    case 'column':
      return `col:${qualifiedKey(t.table)}:${t.column}`;
    case 'function':
      return `fn:${routineKey({ ...t.function, signature: t.signature })}`;
    case 'type':
      return `type:${qualifiedKey(t.type)}`;
  }
}
