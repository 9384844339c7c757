// GRANT / REVOKE. Privilege names are checked against Postgres's list;
// grantees and object names are quoted.
import type { DefaultPrivilege, Grant, GrantTarget } from '../../../schema/types.js';
import { quoteIdent, quoteQualified } from '../quote.js';

const PRIVILEGES = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'USAGE', 'CREATE', 'EXECUTE', 'MAINTAIN', 'TEMPORARY', 'CONNECT']);

function privilegeList(privileges: readonly string[]): string {
  for (const p of privileges) if (!PRIVILEGES.has(p)) throw new Error(`unknown privilege ${JSON.stringify(p)}`);
  return privileges.join(', ');
}

function grantee(role: string): string {
  return role === 'public' ? 'PUBLIC' : quoteIdent(role);
}

/** `ON TABLE "s"."t"`, with the column list for a column grant placed on the privileges. */
function objectSql(t: GrantTarget): { on: string; columns: string } {
  switch (t.kind) {
    case 'schema':
      return { on: `SCHEMA ${quoteIdent(t.schema)}`, columns: '' };
    case 'table':
      return { on: `TABLE ${quoteQualified(t.table)}`, columns: '' };
    case 'view':
      return { on: `TABLE ${quoteQualified(t.view)}`, columns: '' };
    case 'sequence':
      return { on: `SEQUENCE ${quoteQualified(t.sequence)}`, columns: '' };
    case 'column':
      return { on: `TABLE ${quoteQualified(t.table)}`, columns: ` (${quoteIdent(t.column)})` };
    case 'function':
      return { on: `${t.procedure ? 'PROCEDURE' : 'FUNCTION'} ${quoteQualified(t.function)}(${t.signature})`, columns: '' };
    case 'type':
      return { on: `${t.domain ? 'DOMAIN' : 'TYPE'} ${quoteQualified(t.type)}`, columns: '' };
  }
}

interface Held {
  plain: Set<string>;
  grantable: Set<string>;
}

function byGrantee(grants: readonly Grant[] | undefined): Map<string, Held> {
  const out = new Map<string, Held>();
  for (const g of grants ?? []) {
    const held = out.get(g.grantee) ?? { plain: new Set<string>(), grantable: new Set<string>() };
    for (const p of g.privileges) (g.grantable ? held.grantable : held.plain).add(p);
    out.set(g.grantee, held);
  }
  return out;
}

/** REVOKE what only `from` grants (or its grant option), then GRANT what only `to` grants. */
export function grantStatements(target: GrantTarget, from: Grant[] | undefined, to: Grant[] | undefined): string[] {
  const { on, columns } = objectSql(target);
  return privilegeStatements('', `ON ${on}`, columns, from, to);
}

const DEFAULT_OBJECTS = { tables: 'TABLES', sequences: 'SEQUENCES', functions: 'FUNCTIONS', types: 'TYPES', schemas: 'SCHEMAS' } as const;

/** ALTER DEFAULT PRIVILEGES FOR ROLE r [IN SCHEMA s] GRANT/REVOKE … ON TABLES …. */
export function defaultPrivilegeStatements(d: Pick<DefaultPrivilege, 'role' | 'schema' | 'on'>, from: Grant[] | undefined, to: Grant[] | undefined): string[] {
  const prefix = `ALTER DEFAULT PRIVILEGES FOR ROLE ${quoteIdent(d.role)}${d.schema ? ` IN SCHEMA ${quoteIdent(d.schema)}` : ''} `;
  return privilegeStatements(prefix, `ON ${DEFAULT_OBJECTS[d.on]}`, '', from, to);
}

function privilegeStatements(prefix: string, on: string, columns: string, from: Grant[] | undefined, to: Grant[] | undefined): string[] {
  const before = byGrantee(from);
  const after = byGrantee(to);
  const empty: Held = { plain: new Set(), grantable: new Set() };
  const out: string[] = [];
  const statement = (verb: string, privileges: string[], role: string, tail = ''): void => {
    if (!privileges.length) return;
    privilegeList(privileges);
    const list = privileges.map((p) => p + columns).join(', ');
    out.push(`${prefix}${verb} ${list} ${on} ${verb.startsWith('GRANT') ? 'TO' : 'FROM'} ${grantee(role)}${tail}`);
  };
  const roles = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const role of roles) {
    const b = before.get(role) ?? empty;
    const a = after.get(role) ?? empty;
    const had = new Set([...b.plain, ...b.grantable]);
    const has = new Set([...a.plain, ...a.grantable]);
    statement('REVOKE', [...had].filter((p) => !has.has(p)).sort(), role);
    statement('REVOKE GRANT OPTION FOR', [...b.grantable].filter((p) => a.plain.has(p)).sort(), role);
    statement('GRANT', [...a.plain].filter((p) => !had.has(p)).sort(), role);
    statement('GRANT', [...a.grantable].filter((p) => !b.grantable.has(p)).sort(), role, ' WITH GRANT OPTION');
  }
  return out;
}
