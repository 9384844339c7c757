// Privileges: granted once the object exists, revoked before it is dropped.
import { defaultPrivilegeStatements, grantStatements } from '../../dialects/postgres/render.js';
import type { DefaultPrivilege, Grant, GrantTarget } from '../../schema/types.js';
import { builtinDefault } from '../../diff/grants.js';
import { display, key, noDeps, PHASE, type ChangeHandler } from './handler.js';

function targetKey(t: GrantTarget): string {
  switch (t.kind) {
    case 'schema':
      return key.schema(t.schema);
    case 'table':
      return key.table(t.table);
    case 'view':
      return key.table(t.view);
    case 'sequence':
      return key.table(t.sequence);
    case 'column':
      return key.column(t.table, t.column);
    case 'function':
      return key.routine(t.function, t.signature);
    case 'type':
      return key.type(t.type);
  }
}

function describeTarget(t: GrantTarget): string {
  switch (t.kind) {
    case 'schema':
      return `schema ${t.schema}`;
    case 'table':
      return `table ${display(t.table)}`;
    case 'view':
      return `view ${display(t.view)}`;
    case 'sequence':
      return `sequence ${display(t.sequence)}`;
    case 'column':
      return `column ${display(t.table)}.${t.column}`;
    case 'function':
      return `${t.procedure ? 'procedure' : 'function'} ${display(t.function)}(${t.signature})`;
    case 'type':
      return `${t.domain ? 'domain' : 'type'} ${display(t.type)}`;
  }
}

function sortKey(t: GrantTarget): string[] {
  switch (t.kind) {
    case 'schema':
      return [t.schema];
    case 'table':
      return [t.table.schema, t.table.name];
    case 'view':
      return [t.view.schema, t.view.name];
    case 'sequence':
      return [t.sequence.schema, t.sequence.name];
    case 'column':
      return [t.table.schema, t.table.name, t.column];
    case 'function':
      return [t.function.schema, t.function.name, t.signature];
    case 'type':
      return [t.type.schema, t.type.name];
  }
}

const RANK: Record<GrantTarget['kind'], number> = { schema: 0, table: 1, view: 1, sequence: 1, column: 2, function: 3, type: 3 };

/** Roles whose privileges differ. */
function changedRoles(from: readonly Grant[] | undefined, to: readonly Grant[] | undefined): string[] {
  const held = (list: readonly Grant[] | undefined, role: string): string =>
    (list ?? []).filter((g) => g.grantee === role).map((g) => `${g.grantable ? '+' : ''}${g.privileges.join(',')}`).join(';');
  const all = new Set([...(from ?? []), ...(to ?? [])].map((g) => g.grantee));
  return [...all].filter((r) => held(from, r) !== held(to, r)).sort();
}

export const setGrants: ChangeHandler<'set_grants'> = {
  phase: PHASE.set_comment,
  // A table-level REVOKE also takes column privileges away: tables go before their columns.
  sortKey: (c) => [String(RANK[c.target.kind]), ...sortKey(c.target)],
  describe: (c) => `Change privileges on ${describeTarget(c.target)} (${changedRoles(c.from, c.to).join(', ')})`,
  summary: (c) => `GRANT/REVOKE ON ${describeTarget(c.target)}`,
  sql: (c) => grantStatements(c.target, c.from, c.to),
  // Before the object is dropped; otherwise after it exists.
  deps: (c) => (c.when === 'dropped' ? { ...noDeps(), releases: [targetKey(c.target)] } : { ...noDeps(), needs: [targetKey(c.target)] }),
};

const defaultsTarget = (c: { from?: DefaultPrivilege; to?: DefaultPrivilege }): DefaultPrivilege => (c.to ?? c.from)!;

export const setDefaultPrivileges: ChangeHandler<'set_default_privileges'> = {
  phase: PHASE.create_schema,
  sortKey: (c) => {
    const d = defaultsTarget(c);
    return [d.role, d.schema ?? '', d.on];
  },
  describe: (c) => {
    const d = defaultsTarget(c);
    return `Change default privileges of ${d.role} on new ${d.on}${d.schema ? ` in schema ${d.schema}` : ''} (${changedRoles(c.from?.grants ?? builtinDefault(d), c.to?.grants ?? builtinDefault(d)).join(', ')})`;
  },
  summary: (c) => `ALTER DEFAULT PRIVILEGES ON ${defaultsTarget(c).on.toUpperCase()}`,
  sql: (c) => {
    const d = defaultsTarget(c);
    return defaultPrivilegeStatements(d, c.from?.grants ?? builtinDefault(d), c.to?.grants ?? builtinDefault(d));
  },
  deps: (c) => {
    const d = defaultsTarget(c);
    if (!d.schema) return noDeps();
    return c.to ? { ...noDeps(), needs: [key.schema(d.schema)] } : { ...noDeps(), releases: [key.schema(d.schema)] };
  },
};
