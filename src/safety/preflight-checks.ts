// What the preflight asks about each kind of change: the rows a step would
// fail on (or, for drops, the rows it deletes), as read-only probes on the
// tables as they are now. Kinds not listed here need no data check.
import type { Change } from '../diff/changes.js';
import { quoteIdent, quoteQualified } from '../dialects/postgres/quote.js';
import { typeReference } from '../dialects/postgres/type-ref.js';
import type { Column, ForeignKey, Index, IndexKey, QualifiedName } from '../schema/types.js';
import { castCheck } from './preflight-cast.js';
import { domainProbes, type DomainColumn } from './preflight-domain.js';
import type { PlanNames } from './preflight-names.js';
import { tableName } from './preflight-names.js';
import type { TableFacts } from './preflight-query.js';

export type Probe =
  /** Rows matching `predicate` make the step fail; `problem` completes "N rows in T have …". */
  | { kind: 'rows'; code: string; table: QualifiedName; predicate: string; problem: string; pass: string; only?: boolean }
  /** Rows sharing `keys` (SQL expressions) with another row make the step fail. */
  | { kind: 'duplicates'; code: string; table: QualifiedName; keys: string[]; where?: string; nullsNotDistinct: boolean; label: string }
  /** Informational: the rows (matching `predicate`) the step deletes. */
  | { kind: 'count'; code: string; table: QualifiedName; predicate?: string; describe: (rows: number) => string }
  | { kind: 'unchecked'; code: string; reason: string };

export interface ProbeContext {
  names: PlanNames;
  version: number;
  /** The table as it exists now (null: it does not). */
  facts(table: QualifiedName): Promise<TableFacts | null>;
  /** Labels of an enum type in the catalog; undefined when the type is not an enum there. */
  catalogEnum(type: QualifiedName): Promise<string[] | undefined>;
  /** The table columns whose type is this domain now. */
  domainColumns(domain: QualifiedName): Promise<DomainColumn[]>;
}

const show = (q: QualifiedName): string => `${q.schema}.${q.name}`;

/** The table as it is now, when it exists and holds every one of `columns` (plan names), with those columns' current names. */
async function existing(
  ctx: ProbeContext,
  planTable: QualifiedName,
  columns: readonly string[],
): Promise<{ table: QualifiedName; columns: string[] } | null> {
  const table = ctx.names.table(planTable);
  if (!table) return null;
  const facts = await ctx.facts(table);
  if (!facts) return null;
  const current = columns.map((c) => ctx.names.column(planTable, c));
  if (current.some((c) => c === undefined || !facts.columns.has(c))) return null;
  return { table, columns: current as string[] };
}

/** The bare `"col" IS NOT NULL` online mode writes (a declared CHECK reads back from the catalog in parentheses). */
function isNotNullHelper(expression: string): boolean {
  return /^"(?:[^"]|"")+" IS NOT NULL$/.test(expression);
}

export async function probesFor(change: Change, ctx: ProbeContext): Promise<Probe[]> {
  switch (change.kind) {
    case 'alter_column':
      return alterColumn(change.table, change.from, change.to, change.via_text, ctx);
    // An online type change (expand/contract): its backfill casts every value and its swap sets NOT NULL.
    case 'swap_column':
      return change.undo ? [] : alterColumn(change.table, change.from, change.to, undefined, ctx);
    case 'add_column': {
      const c = change.column;
      if (c.nullable || c.default !== undefined || c.identity || c.generated) return [];
      const at = await existing(ctx, change.table, []);
      if (!at) return [];
      return [{ kind: 'rows', code: 'LP150', table: at.table, predicate: 'true', problem: `no value for the new NOT NULL column ${c.name} (it has no DEFAULT)`, pass: `${show(at.table)} is empty: the NOT NULL column ${c.name} can be added` }];
    }
    case 'add_primary_key': {
      const at = await existing(ctx, change.table, change.primary_key.columns);
      if (!at) return [];
      const nulls = at.columns.map((c) => nullProbe(at.table, c));
      // USING INDEX (online mode): the unique index built the step before was checked for duplicates.
      if (change.using_index) return nulls;
      return [...nulls, duplicates(at.table, at.columns.map(quoteIdent), false, `(${at.columns.join(', ')})`)];
    }
    case 'add_unique': {
      if (change.using_index) return [];
      const at = await existing(ctx, change.table, change.constraint.columns);
      if (!at) return [];
      return [duplicates(at.table, at.columns.map(quoteIdent), Boolean(change.constraint.nulls_not_distinct), `(${at.columns.join(', ')})`)];
    }
    case 'create_index':
      return change.index.unique ? uniqueIndex(change.table, change.index, ctx) : [];
    case 'add_foreign_key':
      return foreignKey(change.table, change.foreign_key, ctx);
    case 'add_check': {
      // Online SET NOT NULL's helper CHECK (col IS NOT NULL): the SET NOT NULL step reports the NULLs (LP150).
      if (change.online && isNotNullHelper(change.constraint.expression)) return [];
      const at = await existing(ctx, change.table, []);
      if (!at) return [];
      const name = change.constraint.name;
      return [{ kind: 'rows', code: 'LP153', table: at.table, predicate: `NOT (${change.constraint.expression})`, problem: `values that break check ${name}`, pass: `every row of ${show(at.table)} satisfies check ${name}`, ...(change.constraint.no_inherit ? { only: true } : {}) }];
    }
    case 'recreate_enum':
      return recreatedEnum(change, ctx);
    case 'alter_domain':
      return domainProbes(change, ctx);
    case 'drop_table': {
      const at = await existing(ctx, tableName(change.table), []);
      if (!at) return [];
      return [{ kind: 'count', code: 'LP155', table: at.table, describe: (n) => `${show(at.table)} has ${rowsText(n)}; dropping it deletes ${n === 1 ? 'it' : 'them'}` }];
    }
    case 'drop_column': {
      if (change.column.generated) return [];
      const at = await existing(ctx, change.table, [change.column.name]);
      if (!at) return [];
      const column = at.columns[0]!;
      return [{ kind: 'count', code: 'LP155', table: at.table, predicate: `${quoteIdent(column)} IS NOT NULL`, describe: (n) => `${rowsText(n)} in ${show(at.table)} hold a value in ${column}; dropping the column deletes ${n === 1 ? 'it' : 'them'}` }];
    }
    default:
      return [];
  }
}

export function rowsText(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}

function nullProbe(table: QualifiedName, column: string): Probe {
  return { kind: 'rows', code: 'LP150', table, predicate: `${quoteIdent(column)} IS NULL`, problem: `${column} NULL`, pass: `no NULLs in ${show(table)}.${column}` };
}

function duplicates(table: QualifiedName, keys: string[], nullsNotDistinct: boolean, label: string, where?: string): Probe {
  return { kind: 'duplicates', code: 'LP151', table, keys, nullsNotDistinct, label, ...(where ? { where } : {}) };
}

async function alterColumn(planTable: QualifiedName, from: Column, to: Column, viaText: 'first' | 'second' | undefined, ctx: ProbeContext): Promise<Probe[]> {
  const at = await existing(ctx, planTable, [to.name]);
  if (!at) return [];
  const column = at.columns[0]!;
  const out: Probe[] = [];
  if (from.type !== to.type && viaText !== 'first') {
    const target = typeReference(to.type);
    const labels = target ? (ctx.names.enumLabels(target) ?? (await ctx.catalogEnum(target))) : undefined;
    const check = castCheck(column, viaText === 'second' ? 'text' : from.type, to.type, {
      version: ctx.version,
      targetEnumLabels: labels,
      sourceIsUserType: typeReference(from.type) !== undefined,
    });
    if (check.kind === 'predicate') {
      out.push({ kind: 'rows', code: 'LP154', table: at.table, predicate: check.predicate, problem: check.problem, pass: `every value of ${show(at.table)}.${column} converts to ${to.type}` });
    } else if (check.kind === 'unchecked') out.push({ kind: 'unchecked', code: 'LP156', reason: `${show(at.table)}.${column}: ${check.reason}` });
  }
  if (from.nullable && !to.nullable) out.push(nullProbe(at.table, column));
  return out;
}

async function uniqueIndex(planTable: QualifiedName, index: Index, ctx: ProbeContext): Promise<Probe[]> {
  const keys: IndexKey[] = index.keys ?? index.columns.map((column) => ({ column }));
  const at = await existing(ctx, planTable, keys.flatMap((k) => (k.column === undefined ? [] : [k.column])));
  if (!at) return [];
  const columns = [...at.columns];
  const sql = keys.map((k) => (k.column === undefined ? `(${k.expression})` : quoteIdent(columns.shift()!)));
  const label = `(${keys.map((k) => k.column ?? k.expression).join(', ')})${index.where ? ` WHERE ${index.where}` : ''}`;
  return [duplicates(at.table, sql, Boolean(index.nulls_not_distinct), label, index.where)];
}

async function foreignKey(planTable: QualifiedName, fk: ForeignKey, ctx: ProbeContext): Promise<Probe[]> {
  const at = await existing(ctx, planTable, fk.columns);
  if (!at) return [];
  const refPlan = { schema: fk.referenced_schema ?? planTable.schema, name: fk.referenced_table };
  const ref = await existing(ctx, refPlan, fk.referenced_columns);
  const cols = at.columns.map((c) => `lp_t.${quoteIdent(c)}`);
  const allSet = cols.map((c) => `${c} IS NOT NULL`).join(' AND ');
  // A referenced table the plan creates (or a key column it adds) holds no rows yet: every complete key is an orphan.
  const missing = ref
    ? `NOT EXISTS (SELECT 1 FROM ${quoteQualified(ref.table)} AS lp_r WHERE ${ref.columns.map((c, i) => `lp_r.${quoteIdent(c)} = ${cols[i]}`).join(' AND ')})`
    : 'true';
  const predicate = fk.match === 'FULL'
    ? `NOT (${cols.map((c) => `${c} IS NULL`).join(' AND ')}) AND (NOT (${allSet}) OR ${missing})`
    : `${allSet} AND ${missing}`;
  const target = `${show(ref?.table ?? refPlan)} (${fk.referenced_columns.join(', ')})`;
  return [{
    kind: 'rows',
    code: 'LP152',
    table: at.table,
    predicate,
    problem: `(${at.columns.join(', ')}) values missing from ${target}`,
    pass: `every (${at.columns.join(', ')}) of ${show(at.table)} is found in ${target}`,
  }];
}

async function recreatedEnum(change: Extract<Change, { kind: 'recreate_enum' }>, ctx: ProbeContext): Promise<Probe[]> {
  const removed = change.from.values.filter((v) => !change.to.values.includes(v));
  if (removed.length === 0) return [];
  const out: Probe[] = [];
  for (const use of change.columns) {
    const at = await existing(ctx, use.table, [use.column]);
    if (!at) continue;
    const check = castCheck(at.columns[0]!, 'text', use.type, { version: ctx.version, targetEnumLabels: change.to.values });
    if (check.kind !== 'predicate') continue;
    out.push({ kind: 'rows', code: 'LP154', table: at.table, predicate: check.predicate, problem: check.problem, pass: `no row of ${show(at.table)} holds a removed label of ${use.type}` });
  }
  return out;
}
