// Extensions, standalone sequences, views, functions, triggers, policies and
// row-level security. View queries, function and trigger definitions and
// policy expressions are catalog text (pg_get_viewdef, pg_get_functiondef,
// pg_get_triggerdef, pg_get_expr), inserted verbatim.
import type { RowSecurity } from '../../../diff/changes.js';
import { dropAggregateSql, isAggregateDefinition, replaceAggregateSql } from './aggregates.js';
import type { Extension, Policy, QualifiedName, Routine, Sequence, Trigger, View } from '../../../schema/types.js';
import { DEFAULT_NAMESPACE } from '../../../schema/types.js';
import { sequenceSettings } from '../../../schema/canonical.js';
import { quoteIdent, quoteLiteral, quoteQualified } from '../quote.js';
import { commentStatements } from './comments.js';
import { integerLiteral } from './names.js';

const qualified = (o: { schema?: string; name: string }): QualifiedName => ({ schema: o.schema ?? DEFAULT_NAMESPACE, name: o.name });

// ---- Extensions -------------------------------------------------------------

export function createExtensionStatements(e: Extension): string[] {
  let sql = `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)}`;
  if (e.schema) sql += ` SCHEMA ${quoteIdent(e.schema)}`;
  if (e.version) sql += ` VERSION ${quoteLiteral(e.version)}`;
  return [sql, ...commentStatements({ kind: 'extension', extension: e.name }, e.comment)];
}

export function dropExtensionSql(e: Extension): string {
  return `DROP EXTENSION ${quoteIdent(e.name)}`;
}

export function alterExtensionStatements(from: Extension, to: Extension): string[] {
  const out: string[] = [];
  if ((from.schema ?? '') !== (to.schema ?? '') && to.schema) out.push(`ALTER EXTENSION ${quoteIdent(to.name)} SET SCHEMA ${quoteIdent(to.schema)}`);
  if ((from.version ?? '') !== (to.version ?? '') && to.version) out.push(`ALTER EXTENSION ${quoteIdent(to.name)} UPDATE TO ${quoteLiteral(to.version)}`);
  return out;
}

// ---- Sequences --------------------------------------------------------------

const SEQUENCE_TYPES = new Set(['smallint', 'integer', 'bigint']);

/** Every option spelled out: an ALTER must not keep a bound of the old direction or type. */
function sequenceOptions(q: Sequence): string {
  const o = sequenceSettings(q);
  if (!SEQUENCE_TYPES.has(o.data_type)) throw new Error(`sequence ${q.name}: data_type must be smallint, integer or bigint, got ${JSON.stringify(o.data_type)}`);
  const n = (value: string, what: string): string => integerLiteral(value, `sequence ${q.name} ${what}`);
  return [
    `AS ${o.data_type}`,
    `INCREMENT BY ${n(o.increment, 'increment')}`,
    `MINVALUE ${n(o.min_value, 'min_value')}`,
    `MAXVALUE ${n(o.max_value, 'max_value')}`,
    `START WITH ${n(o.start, 'start')}`,
    `CACHE ${n(o.cache, 'cache')}`,
    o.cycle ? 'CYCLE' : 'NO CYCLE',
  ].join(' ');
}

function ownedBy(q: Sequence): string {
  if (!q.owned_by) return 'OWNED BY NONE';
  const table = { schema: q.owned_by.schema ?? q.schema ?? DEFAULT_NAMESPACE, name: q.owned_by.table };
  return `OWNED BY ${quoteQualified(table)}.${quoteIdent(q.owned_by.column)}`;
}

export function createSequenceStatements(q: Sequence): string[] {
  const name = qualified(q);
  const out = [`CREATE SEQUENCE ${quoteQualified(name)} ${sequenceOptions(q)}`];
  if (q.owned_by) out.push(`ALTER SEQUENCE ${quoteQualified(name)} ${ownedBy(q)}`);
  return [...out, ...commentStatements({ kind: 'sequence', sequence: name }, q.comment)];
}

export function dropSequenceSql(q: Sequence): string {
  return `DROP SEQUENCE ${quoteQualified(qualified(q))}`;
}

export function alterSequenceStatements(from: Sequence, to: Sequence): string[] {
  const name = quoteQualified(qualified(to));
  // Reversing direction puts the current value outside the new bounds: start over.
  const reversed = (from.increment ?? '1').startsWith('-') !== (to.increment ?? '1').startsWith('-');
  const out = [`ALTER SEQUENCE ${name} ${sequenceOptions(to)}${reversed ? ' RESTART' : ''}`];
  if (JSON.stringify(from.owned_by ?? null) !== JSON.stringify(to.owned_by ?? null)) out.push(`ALTER SEQUENCE ${name} ${ownedBy(to)}`);
  return out;
}

// ---- Views ------------------------------------------------------------------

/** The query without the trailing semicolon pg_get_viewdef prints. */
function viewQuery(v: View): string {
  return v.definition.trim().replace(/;\s*$/, '');
}

function viewOptions(v: View): string {
  if (!v.options?.length) return '';
  for (const o of v.options) {
    if (!/^[a-z_]+=[A-Za-z0-9_.]+$/.test(o)) throw new Error(`view ${v.name}: option ${JSON.stringify(o)} is not name=value`);
  }
  return ` WITH (${v.options.join(', ')})`;
}

export function viewCommentTarget(v: View): { kind: 'view'; view: QualifiedName; materialized?: boolean } {
  return v.materialized ? { kind: 'view', view: qualified(v), materialized: true } : { kind: 'view', view: qualified(v) };
}

/** CREATE [MATERIALIZED] VIEW, then its comment; a materialized view's indexes are separate changes. */
export function createViewStatements(v: View, replace = false): string[] {
  const name = quoteQualified(qualified(v));
  const sql = v.materialized
    ? `CREATE MATERIALIZED VIEW ${name}${viewOptions(v)} AS ${viewQuery(v)} WITH DATA`
    : `CREATE ${replace ? 'OR REPLACE ' : ''}VIEW ${name}${viewOptions(v)} AS ${viewQuery(v)}`;
  return [sql, ...(replace ? [] : commentStatements(viewCommentTarget(v), v.comment))];
}

export function dropViewSql(v: View): string {
  return `DROP ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${quoteQualified(qualified(v))}`;
}

// ---- Functions and procedures ----------------------------------------------

/**
 * Bodies are not checked at creation (as pg_dump does): a SQL function may
 * name a table the plan creates later. The setting lasts to the end of the
 * transaction.
 */
export const SKIP_BODY_CHECK = 'SET LOCAL check_function_bodies = off';

export function routineCommentTarget(f: Routine): { kind: 'function'; function: QualifiedName; signature: string; procedure?: boolean } {
  const target = { kind: 'function' as const, function: qualified(f), signature: f.signature };
  return f.kind === 'procedure' ? { ...target, procedure: true } : target;
}

function routineDefinition(f: Routine): string {
  const text = f.definition.trim().replace(/;\s*$/, '');
  if (f.kind === 'aggregate') {
    if (!isAggregateDefinition(text)) throw new Error(`aggregate ${f.name}: definition must be a CREATE AGGREGATE statement`);
    return text;
  }
  if (!/^CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE)\s/i.test(text)) {
    throw new Error(`function ${f.name}: definition must be a CREATE FUNCTION or CREATE PROCEDURE statement`);
  }
  return text;
}

export function createRoutineStatements(f: Routine): string[] {
  return [SKIP_BODY_CHECK, routineDefinition(f), ...commentStatements(routineCommentTarget(f), f.comment)];
}

export function replaceRoutineStatements(f: Routine): string[] {
  const text = routineDefinition(f);
  return [SKIP_BODY_CHECK, f.kind === 'aggregate' ? replaceAggregateSql(text) : text];
}

export function dropRoutineSql(f: Routine): string {
  if (f.kind === 'aggregate') return dropAggregateSql(qualified(f), f.signature);
  return `DROP ${f.kind === 'procedure' ? 'PROCEDURE' : 'FUNCTION'} ${quoteQualified(qualified(f))}(${f.signature})`;
}

// ---- Triggers ---------------------------------------------------------------

const TRIGGER_STATE = { disabled: 'DISABLE', replica: 'ENABLE REPLICA', always: 'ENABLE ALWAYS' } as const;

export function createTriggerStatements(table: QualifiedName, t: Trigger): string[] {
  const text = t.definition.trim().replace(/;\s*$/, '');
  if (!/^CREATE\s+(OR\s+REPLACE\s+)?(CONSTRAINT\s+)?TRIGGER\s/i.test(text)) {
    throw new Error(`trigger ${t.name}: definition must be a CREATE TRIGGER statement`);
  }
  const out = [text];
  if (t.enabled) out.push(`ALTER TABLE ${quoteQualified(table)} ${TRIGGER_STATE[t.enabled]} TRIGGER ${quoteIdent(t.name)}`);
  return [...out, ...commentStatements({ kind: 'trigger', table, name: t.name }, t.comment)];
}

export function dropTriggerSql(table: QualifiedName, t: Trigger): string {
  return `DROP TRIGGER ${quoteIdent(t.name)} ON ${quoteQualified(table)}`;
}

// ---- Row-level security and policies --------------------------------------

function roleList(roles: readonly string[] | undefined): string {
  const list = roles?.length ? roles : ['public'];
  return list.map((r) => (r === 'public' ? 'PUBLIC' : quoteIdent(r))).join(', ');
}

export function createPolicyStatements(table: QualifiedName, p: Policy): string[] {
  let sql = `CREATE POLICY ${quoteIdent(p.name)} ON ${quoteQualified(table)} AS ${p.restrictive ? 'RESTRICTIVE' : 'PERMISSIVE'}`;
  sql += ` FOR ${p.command ?? 'ALL'} TO ${roleList(p.roles)}`;
  if (p.using) sql += ` USING (${p.using})`;
  if (p.with_check) sql += ` WITH CHECK (${p.with_check})`;
  return [sql, ...commentStatements({ kind: 'policy', table, name: p.name }, p.comment)];
}

export function alterPolicySql(table: QualifiedName, from: Policy, to: Policy): string {
  let sql = `ALTER POLICY ${quoteIdent(to.name)} ON ${quoteQualified(table)} TO ${roleList(to.roles)}`;
  if (to.using) sql += ` USING (${to.using})`;
  if (to.with_check) sql += ` WITH CHECK (${to.with_check})`;
  if ((from.using && !to.using) || (from.with_check && !to.with_check)) {
    throw new Error(`policy ${to.name}: ALTER POLICY cannot remove a clause; the policy must be recreated`);
  }
  return sql;
}

export function dropPolicySql(table: QualifiedName, p: Policy): string {
  return `DROP POLICY ${quoteIdent(p.name)} ON ${quoteQualified(table)}`;
}

export function rowSecurityStatements(table: QualifiedName, from: RowSecurity, to: RowSecurity): string[] {
  const out: string[] = [];
  const t = quoteQualified(table);
  if (from.enabled !== to.enabled) out.push(`ALTER TABLE ${t} ${to.enabled ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`);
  if (from.forced !== to.forced) out.push(`ALTER TABLE ${t} ${to.forced ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY`);
  return out;
}
