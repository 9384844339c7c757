// Online mode: the ordered changes on tables that already hold rows are
// rewritten into forms that do not block writes for the length of a scan or
// a build. Each rewrite is a short sequence of ordinary Changes, so every
// step keeps a structured change and the rollback inverts them one by one:
//
//   index            CREATE/DROP INDEX CONCURRENTLY (outside a transaction)
//   changed index    build the new one under a temporary name, drop the old, rename
//   check, FK        ADD … NOT VALID, then VALIDATE in a transaction of its own
//   SET NOT NULL     helper CHECK (col IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL, drop the helper
//   unique, PK       CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX
//   volatile default add empty, SET DEFAULT, batched backfill, NOT NULL online (online-column.ts)
//   rewriting type   expand/contract: new column + sync trigger, backfill, swap (online-column.ts)
//
// New tables are empty: their changes stay plain DDL. Partitioned tables
// too: Postgres has no CONCURRENTLY for them.
import type { Change } from '../diff/changes.js';
import { quoteIdent } from '../dialects/postgres/quote.js';
import { primaryKeyName } from '../dialects/postgres/render.js';
import { indexKeys } from '../schema/canonical.js';
import type { Index, QualifiedName, Schema } from '../schema/types.js';
import { qualifiedKey } from '../schema/types.js';
import type { AssessContext } from '../safety/assess.js';
import { typeChangeRewrites } from '../safety/rewrite.js';
import { ColumnRewriteContext, needsPerRowDefault, retype, retypeBlocker, volatileDefault } from './online-column.js';
import { changeDeps } from './kinds/registry.js';
import { helperName } from './online-names.js';

export { helperName };

type Eligible = (table: QualifiedName) => boolean;

/** `schemas`: the plan's two ends, for the column rewrites (volatile defaults, type changes); without them those stay plain. */
export function onlineChanges(ordered: readonly Change[], ctx: AssessContext, schemas?: { from: Schema; to: Schema }): Change[] {
  const eligible: Eligible = (t) => ctx.existing(t) && !ctx.partitioned(t);
  const columns = schemas ? new ColumnRewriteContext(schemas.from, schemas.to, ordered) : undefined;
  const replaced = replacedIndexes(ordered, eligible);
  const out: Change[] = [];
  ordered.forEach((change, i) => {
    const pair = replaced.get(i);
    if (pair === 'moved') return;
    if (pair) out.push(...replaceIndex(pair.drop, pair.create));
    else out.push(...rewrite(change, eligible, columns));
  });
  return out;
}

type DropIndex = Extract<Change, { kind: 'drop_index' }>;
type CreateIndex = Extract<Change, { kind: 'create_index' }>;

function rewrite(change: Change, eligible: Eligible, columns: ColumnRewriteContext | undefined): Change[] {
  switch (change.kind) {
    case 'add_column':
      return eligible(change.table) && columns ? addColumnOnline(change, columns) : [change];
    case 'create_index':
      return eligible(change.table) ? createConcurrently(change) : [change];
    case 'drop_index':
      return eligible(change.table) ? [{ ...change, online: true }] : [change];
    case 'add_check':
      return eligible(change.table) ? [{ ...change, online: true }, validate(change.table, change.constraint.name)] : [change];
    case 'add_foreign_key':
      return eligible(change.table) ? [{ ...change, online: true }, validate(change.table, change.foreign_key.name)] : [change];
    case 'add_unique': {
      if (!eligible(change.table)) return [change];
      const u = change.constraint;
      const index: Index = { name: u.name, columns: u.columns, unique: true };
      if (u.nulls_not_distinct) index.nulls_not_distinct = true;
      return [constraintIndex(change.table, index), { ...change, using_index: true }];
    }
    case 'add_primary_key': {
      if (!eligible(change.table)) return [change];
      const index: Index = { name: primaryKeyName(change.table, change.primary_key), columns: change.primary_key.columns, unique: true };
      return [constraintIndex(change.table, index), { ...change, using_index: true }];
    }
    case 'alter_column':
      if (!eligible(change.table)) return [change];
      return (columns && retypeOnline(change, columns)) || alterOnline(change);
    default:
      return [change];
  }
}

const validate = (table: QualifiedName, name: string): Change => ({ kind: 'validate_constraint', table, name });

const constraintIndex = (table: QualifiedName, index: Index): Change => ({ kind: 'create_index', table, index, online: true, for_constraint: true });

/** CONCURRENTLY, with the comment as a step of its own: a CONCURRENTLY step does nothing else, so a resume can clean up after it. */
function createConcurrently(change: CreateIndex, name = change.index.name): Change[] {
  const { comment, ...index } = change.index;
  const out: Change[] = [{ kind: 'create_index', table: change.table, index: { ...index, name }, online: true }];
  return out.concat(commentAfter(change.table, change.index.name, comment));
}

function commentAfter(table: QualifiedName, name: string, comment: string | undefined): Change[] {
  return comment === undefined ? [] : [{ kind: 'set_comment', target: { kind: 'index', table, name }, to: comment }];
}

/** The new definition is built beside the old one, which is dropped only once the new one is ready. */
function replaceIndex(drop: DropIndex, create: CreateIndex): Change[] {
  const temporary = helperName('lp_new_', create.index.name);
  const built = createConcurrently(create, temporary);
  return [
    built[0]!,
    { ...drop, online: true },
    { kind: 'rename_index', table: create.table, from: temporary, to: create.index.name, online: true },
    ...built.slice(1),
  ];
}

/**
 * Index changes (drop X, later create X on the same table) that can become
 * build-then-drop: no change between them needs the old index gone or
 * removes something it stands on. Keyed by the create's position; the
 * drop's position is marked `moved`.
 */
function replacedIndexes(ordered: readonly Change[], eligible: Eligible): Map<number, { drop: DropIndex; create: CreateIndex } | 'moved'> {
  const out = new Map<number, { drop: DropIndex; create: CreateIndex } | 'moved'>();
  const drops = new Map<string, number>();
  ordered.forEach((c, j) => {
    if (c.kind === 'drop_index' && eligible(c.table)) drops.set(indexId(c.table, c.index.name), j);
    if (c.kind !== 'create_index' || !eligible(c.table)) return;
    const i = drops.get(indexId(c.table, c.index.name));
    if (i === undefined) return;
    const drop = ordered[i] as DropIndex;
    if (!movable(drop, c, ordered.slice(i + 1, j))) return;
    out.set(i, 'moved');
    out.set(j, { drop, create: c });
  });
  return out;
}

/**
 * The rollback undoes the changes between in reverse, after the old index is
 * rebuilt: a column type changed meanwhile would make Postgres store the old
 * definition with casts. So no type change of the table's columns either.
 */
function movable(drop: DropIndex, create: CreateIndex, between: readonly Change[]): boolean {
  const d = changeDeps(drop);
  const uses = new Set(d.releases);
  const own = new Set(d.removes);
  const table = qualifiedKey(drop.table);
  const columns = plainColumns(drop.index, create.index);
  return between.every((c) => {
    if (c.kind === 'alter_column' && qualifiedKey(c.table) === table && (columns === null || columns.has(c.to.name))) return false;
    if (RETYPES_COLUMNS.has(c.kind)) return false;
    const deps = changeDeps(c);
    return !deps.removes.some((k) => uses.has(k)) && !deps.produces.some((k) => own.has(k)) && !deps.needs.some((k) => own.has(k));
  });
}

/** The columns the indexes name; null when an expression or predicate may name others. */
function plainColumns(...indexes: Index[]): Set<string> | null {
  const out = new Set<string>();
  for (const index of indexes) {
    if (index.where !== undefined) return null;
    for (const k of indexKeys(index)) {
      if (k.column === undefined) return null;
      out.add(k.column);
    }
    for (const c of index.include ?? []) out.add(c);
  }
  return out;
}

const RETYPES_COLUMNS: ReadonlySet<Change['kind']> = new Set(['recreate_enum', 'add_enum_values', 'alter_domain', 'recreate_range']);

const indexId = (table: QualifiedName, name: string): string => `${qualifiedKey(table)}\u0000${name}`;

type AlterColumn = Extract<Change, { kind: 'alter_column' }>;
type AddColumn = Extract<Change, { kind: 'add_column' }>;

/** A volatile default: added empty, then backfilled (NOT NULL online after); without a key to walk, the plain step and why (LP131). */
function addColumnOnline(change: AddColumn, columns: ColumnRewriteContext): Change[] {
  const steps = volatileDefault(change, columns);
  if (steps) return steps.flatMap((c) => (c.kind === 'alter_column' ? alterOnline(c) : [c]));
  if (!needsPerRowDefault(change.column, columns)) return [change];
  return [{ ...change, no_online: 'the table has no primary key to backfill by (or the plan changes it)' }];
}

/** A rewriting type change: expand/contract, or the plain step with the reason it has no online form (LP130). */
function retypeOnline(change: AlterColumn, columns: ColumnRewriteContext): Change[] | undefined {
  const steps = retype(change, columns);
  if (steps) return steps;
  if (change.via_text || !typeChangeRewrites(change.from.type, change.to.type)) return undefined;
  const why = retypeBlocker(change, columns);
  return why ? alterOnline({ ...change, no_online: why }) : undefined;
}

/**
 * SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a valid CHECK
 * proves the column has no NULLs: add one NOT VALID, validate it without
 * blocking writes, SET NOT NULL (now a catalog update), drop the helper.
 */
function alterOnline(change: AlterColumn): Change[] {
  const alter: AlterColumn = { ...change, online: true };
  const settingNotNull = change.from.nullable && !change.to.nullable;
  if (!settingNotNull || change.via_text || change.from.generated || change.to.generated) return [alter];
  const helper = { name: helperName('lp_nn_', change.to.name), expression: `${quoteIdent(change.to.name)} IS NOT NULL` };
  return [
    { kind: 'add_check', table: change.table, constraint: helper, online: true },
    validate(change.table, helper.name),
    alter,
    { kind: 'drop_check', table: change.table, constraint: helper, online: true },
  ];
}
