// Online rewrites of column changes that would otherwise rewrite the whole
// table under an ACCESS EXCLUSIVE lock:
//
//   volatile default   ADD COLUMN nullable without default, SET DEFAULT (new rows get it),
//                      a batched backfill of the existing rows, then NOT NULL online
//   type change        expand/contract: a new column of the new type kept in sync by a
//                      trigger, a batched backfill, NOT NULL proven by a validated CHECK,
//                      then a short swap (drop the old column, rename the new one)
//
// Both walk the table's primary key in batches, so a table without one keeps
// the plain step (LP131 / LP130). A type change keeps it too when something
// else stands on the column (see retypeBlocker): the hazard says what.
import type { Change, ColumnSync } from '../diff/changes.js';
import { expressionIsVolatile } from '../dialects/postgres/locks-nodes.js';
import { RelationState } from '../dialects/postgres/locks-state.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import { syncExpression } from '../dialects/postgres/render/online.js';
import { primaryKeyOf } from '../schema/canonical.js';
import type { Column, QualifiedName, Schema, Table } from '../schema/types.js';
import { DEFAULT_NAMESPACE, qualifiedKey, tableKey } from '../schema/types.js';
import { typeChangeRewrites } from '../safety/rewrite.js';
import { helperName } from './online-names.js';

type AddColumn = Extract<Change, { kind: 'add_column' }>;
type AlterColumn = Extract<Change, { kind: 'alter_column' }>;

/** What the column rewrites need to know about the plan they are part of. */
export class ColumnRewriteContext {
  private readonly before: Map<string, Table>;
  private readonly after: Map<string, Table>;
  private readonly keyChanged = new Set<string>();
  private state: RelationState | undefined;
  private referenced: Set<string> | undefined;
  private viewWords: Set<string> | undefined;
  constructor(
    from: Schema,
    private readonly to: Schema,
    ordered: readonly Change[],
  ) {
    this.before = new Map(from.tables.map((t) => [tableKey(t), t]));
    this.after = new Map(to.tables.map((t) => [tableKey(t), t]));
    for (const c of ordered) if (c.kind === 'add_primary_key' || c.kind === 'drop_primary_key') this.keyChanged.add(qualifiedKey(c.table));
  }

  /** The primary key the backfill walks: the table's, unchanged by the plan, not including `column`. */
  batchKey(table: QualifiedName, column: string): string[] | undefined {
    const k = qualifiedKey(table);
    if (this.keyChanged.has(k)) return undefined;
    const a = this.before.get(k);
    const b = this.after.get(k);
    const pk = a && b ? primaryKeyOf(b) : undefined;
    if (!pk || pk.columns.join('\u0000') !== (primaryKeyOf(a!)?.columns ?? []).join('\u0000')) return undefined;
    return pk.columns.includes(column) ? undefined : [...pk.columns];
  }

  volatile(expression: string): boolean {
    this.state ??= new RelationState(this.to);
    return expressionIsVolatile(expression, this.state);
  }

  tables(table: QualifiedName): Table[] {
    const k = qualifiedKey(table);
    return [this.before.get(k), this.after.get(k)].filter((t): t is Table => t !== undefined);
  }

  /** A foreign key of some table, before or after the plan, references this column. */
  referencedByForeignKey(table: QualifiedName, column: string): boolean {
    this.referenced ??= new Set(
      [...this.before.values(), ...this.after.values()].flatMap((t) =>
        (t.foreign_keys ?? []).flatMap((fk) => fk.referenced_columns.map((c) => columnId(fk.referenced_schema ?? t.schema ?? DEFAULT_NAMESPACE, fk.referenced_table, c))),
      ),
    );
    return table.schema !== undefined && this.referenced.has(columnId(table.schema, table.name, column));
  }

  /** Some view of the desired schema names `word` (as mentionsColumn decides, without a pass over every view per question). */
  aViewMentions(word: string): boolean {
    const views = this.to.views ?? [];
    if (!PLAIN_WORD.test(word)) return views.some((v) => mentionsColumn(v.definition, word));
    this.viewWords ??= new Set(views.flatMap((v) => wordsOf(v.definition)));
    return this.viewWords.has(word.toLowerCase());
  }

  /** The type (or its array) is a domain of the desired schema. */
  isDomain(type: string): boolean {
    return (this.to.domains ?? []).some((d) => type.replace(/\[\]$/, '') === `${d.schema ?? DEFAULT_NAMESPACE}.${d.name}`);
  }
}

/** An ADD COLUMN whose default is evaluated per row: the rewrite when the table has a key to walk. */
export function volatileDefault(change: AddColumn, ctx: ColumnRewriteContext): Change[] | undefined {
  const column = change.column;
  if (!needsPerRowDefault(column, ctx)) return undefined;
  const key = ctx.batchKey(change.table, column.name);
  if (!key) return undefined;
  const { default: expression, ...rest } = column;
  const empty: Column = { ...rest, nullable: true };
  const withDefault: Column = { ...empty, default: expression! };
  const out: Change[] = [
    { kind: 'add_column', table: change.table, column: empty },
    { kind: 'alter_column', table: change.table, from: empty, to: withDefault, online: true },
    { kind: 'backfill_column', table: change.table, column: column.name, expression: expression!, key },
  ];
  if (!column.nullable) out.push({ kind: 'alter_column', table: change.table, from: withDefault, to: column, online: true });
  return out;
}

/**
 * A default Postgres evaluates once per existing row (a rewrite): a VOLATILE
 * one. A sequence's nextval is left to the plain step (the sequence a
 * serial column owns comes and goes with the column), and so is a domain
 * type (its constraints may refuse the NULLs the column starts with).
 */
export function needsPerRowDefault(column: Column, ctx: ColumnRewriteContext): boolean {
  if (column.default === undefined || column.identity || column.generated) return false;
  if (/\bnextval\s*\(/i.test(column.default)) return false;
  if (ctx.isDomain(column.type)) return false;
  return ctx.volatile(column.default);
}

/** A type change that rewrites the table: expand/contract, when nothing else stands on the column. */
export function retype(change: AlterColumn, ctx: ColumnRewriteContext): Change[] | undefined {
  const { table, from, to } = change;
  if (change.via_text || from.name !== to.name || !typeChangeRewrites(from.type, to.type)) return undefined;
  if (retypeBlocker(change, ctx)) return undefined;
  const key = ctx.batchKey(table, to.name)!;
  const temporary = helperName('lp_new_', to.name);
  const sync: ColumnSync = { table, from: from.name, from_type: from.type, to: temporary, type: to.type, name: helperName('lp_sync_', `${table.name}_${to.name}`) };
  const added: Column = { name: temporary, type: to.type, nullable: true };
  if (to.collation !== undefined) added.collation = to.collation;
  const out: Change[] = [
    { kind: 'add_column', table, column: added },
    { kind: 'create_column_sync', ...sync },
    { kind: 'backfill_column', table, column: temporary, expression: syncExpression(quoteIdent(from.name), from.type, to.type), key, source: from.name },
  ];
  const swap: Extract<Change, { kind: 'swap_column' }> = { kind: 'swap_column', table, from, to, temporary, sync };
  if (!to.nullable) {
    swap.helper = { name: helperName('lp_nn_', temporary), expression: `${quoteIdent(temporary)} IS NOT NULL` };
    out.push({ kind: 'add_check', table, constraint: swap.helper, online: true }, { kind: 'validate_constraint', table, name: swap.helper.name });
  }
  out.push(swap);
  return out;
}

/**
 * Why a rewriting type change of this column has no online form here
 * (undefined: it has one). The swap drops the old column, which would drop
 * or refuse whatever depends on it; the backfill walks the primary key.
 */
export function retypeBlocker(change: AlterColumn, ctx: ColumnRewriteContext): string | undefined {
  const { table, from, to } = change;
  const name = to.name;
  if (from.identity || to.identity || from.generated || to.generated) return 'it is an identity or generated column';
  if (from.default !== undefined && /\bnextval\s*\(/i.test(from.default)) return 'its default draws from a sequence';
  // The new column starts empty: a domain's NOT NULL or CHECK could refuse that.
  if (ctx.isDomain(to.type)) return 'the new type is a domain';
  if (!ctx.batchKey(table, name)) return 'the table has no primary key to backfill by that excludes the column (or the plan changes it)';
  const mentions = (text: string | undefined): boolean => text !== undefined && mentionsColumn(text, name);
  for (const t of ctx.tables(table)) {
    if (t.partition_of || t.partition_by) return 'the table is partitioned or a partition';
    if (t.columns.some((c) => c.name === helperName('lp_new_', name))) return `the table has a column named ${helperName('lp_new_', name)} already`;
    if ((t.unique_constraints ?? []).some((u) => u.columns.includes(name))) return 'a unique constraint covers it';
    if ((t.indexes ?? []).some((i) => i.columns.includes(name) || (i.include ?? []).includes(name) || (i.keys ?? []).some((k) => k.column === name || mentions(k.expression)) || mentions(i.where)))
      return 'an index covers it';
    if ((t.check_constraints ?? []).some((c) => mentions(c.expression))) return 'a check constraint uses it';
    if ((t.foreign_keys ?? []).some((fk) => fk.columns.includes(name))) return 'a foreign key covers it';
    if (t.exclusion_constraints?.length) return 'the table has exclusion constraints';
    if (t.triggers?.length) return 'the table has triggers (they could write the column after the sync trigger)';
    if (t.policies?.length) return 'the table has row-level security policies';
    if (t.columns.some((c) => c.generated)) return 'the table has generated columns';
    if (t.columns.find((c) => c.name === name)?.grants?.length) return 'the column has column-level privileges';
  }
  if (ctx.referencedByForeignKey(table, name)) return 'a foreign key references it';
  if (ctx.aViewMentions(table.name)) return 'a view reads the table';
  return undefined;
}

const columnId = (schema: string, table: string, column: string): string => `${schema}\u0000${table}\u0000${column}`;

/** The characters of a word to mentionsColumn: a name made of only these is mentioned exactly when some word of the text equals it, ignoring ASCII case. */
const PLAIN_WORD = /^[A-Za-z0-9_$]+$/;

/** The words of a text as mentionsColumn sees them, lowercased. */
function wordsOf(text: string): string[] {
  return (text.match(/[A-Za-z0-9_$]+/g) ?? []).map((w) => w.toLowerCase());
}

/** The text names `name`, quoted or not (conservative: any word match counts). */
function mentionsColumn(text: string, name: string): boolean {
  if (text.includes(quoteIdent(name))) return true;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$])${escaped}($|[^A-Za-z0-9_$])`, 'i').test(text);
}
