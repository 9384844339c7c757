// The small interface every change kind implements for the planner: how to
// describe it, its SQL, where it sorts, and the resources it produces, needs,
// removes and releases (from which the dependency graph is built).
import type { Change, ChangeKind } from '../../diff/changes.js';
import type { Column, QualifiedName } from '../../schema/types.js';
import { nextvalSequence } from '../../schema/nextval.js';
import { DEFAULT_NAMESPACE, qualifiedKey } from '../../schema/types.js';
import { expressionTypes, typeReference } from '../../dialects/postgres/type-ref.js';

export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

/**
 * Resource keys. A change that `needs` k runs after every change that
 * `produces` k; a change that `releases` k runs before every change that
 * `removes` k; a change that `removes` k runs before one that `produces` k
 * again (drop, then recreate).
 */
export interface Deps {
  produces: string[];
  needs: string[];
  removes: string[];
  releases: string[];
}

export interface SortContext {
  /** Position of a column in the target table, for ordering added columns. */
  columnOrdinal(table: QualifiedName, column: string): number;
}

export interface ChangeHandler<K extends ChangeKind> {
  /** Coarse order: see PHASES in plan/order.ts. */
  phase: number;
  /** Tie-break inside a phase (compared part by part). */
  sortKey(change: ChangeOf<K>, context: SortContext): string[];
  /** Human description, e.g. "Create table posts". */
  describe(change: ChangeOf<K>): string;
  /** Short SQL-like summary, e.g. "DROP TABLE users" (used for "Reversible: …"). */
  summary(change: ChangeOf<K>): string;
  sql(change: ChangeOf<K>): string[];
  deps(change: ChangeOf<K>): Deps;
}

export const PHASE = {
  rename: 0,
  create_schema: 0,
  create_enum: 0,
  drop_foreign_key: 1,
  drop_constraint: 2,
  drop_table: 3,
  create_table: 4,
  add_column: 5,
  alter_column: 6,
  drop_column: 7,
  add_constraint: 8,
  create_index: 9,
  add_foreign_key: 10,
  set_comment: 11,
  drop_enum: 12,
  drop_schema: 13,
} as const;

/** `users` in public, `sales.orders` elsewhere: for humans, not for SQL. */
export function display(table: QualifiedName): string {
  return table.schema === DEFAULT_NAMESPACE ? table.name : `${table.schema}.${table.name}`;
}

const SEP = '\u0000';

export const key = {
  schema: (s: string) => `schema${SEP}${s}`,
  /** A type (enum) by qualified name. */
  type: (q: QualifiedName) => `type${SEP}${qualifiedKey(q)}`,
  table: (q: QualifiedName) => `table${SEP}${qualifiedKey(q)}`,
  /** Relation names (tables, indexes, constraint indexes) share one namespace per schema. */
  relation: (schema: string, name: string) => `rel${SEP}${schema}${SEP}${name}`,
  column: (q: QualifiedName, c: string) => `column${SEP}${qualifiedKey(q)}${SEP}${c}`,
  columnType: (q: QualifiedName, c: string) => `coltype${SEP}${qualifiedKey(q)}${SEP}${c}`,
  notNull: (q: QualifiedName, c: string) => `notnull${SEP}${qualifiedKey(q)}${SEP}${c}`,
  /** A column between the two halves of a move from one enum type to another. */
  viaText: (q: QualifiedName, c: string) => `viatext${SEP}${qualifiedKey(q)}${SEP}${c}`,
  /** Any column of the table added or altered (for checks and expression indexes). */
  columnsAdded: (q: QualifiedName) => `cols+${SEP}${qualifiedKey(q)}`,
  /** Any column of the table dropped. */
  columnsRemoved: (q: QualifiedName) => `cols-${SEP}${qualifiedKey(q)}`,
  /** A unique key over a set of columns (what a foreign key references). */
  uniqueKey: (q: QualifiedName, columns: readonly string[]) =>
    `key${SEP}${qualifiedKey(q)}${SEP}${[...columns].sort().join(SEP)}`,
  constraint: (q: QualifiedName, name: string) => `con${SEP}${qualifiedKey(q)}${SEP}${name}`,
  /** A function or procedure by its identity (argument types). */
  routine: (q: QualifiedName, signature: string) => `fn${SEP}${qualifiedKey(q)}${SEP}${signature}`,
  trigger: (q: QualifiedName, name: string) => `trg${SEP}${qualifiedKey(q)}${SEP}${name}`,
  policy: (q: QualifiedName, name: string) => `pol${SEP}${qualifiedKey(q)}${SEP}${name}`,
  extension: (name: string) => `ext${SEP}${name}`,
};

export function noDeps(): Deps {
  return { produces: [], needs: [], removes: [], releases: [] };
}

/**
 * The dependencies of an object on one table: created, it produces `own` and
 * needs `uses` (after the table's columns are added); dropped, it removes
 * `own` and releases `uses` (before the table's columns are dropped).
 */
export function tableObjectDeps(
  table: QualifiedName,
  adding: boolean,
  own: readonly string[],
  uses: readonly string[],
  releasedAlso: readonly string[] = [],
): Deps {
  const d = noDeps();
  if (adding) {
    d.produces.push(...own);
    d.needs.push(...uses, key.columnsAdded(table));
  } else {
    d.removes.push(...own);
    d.releases.push(...uses, key.columnsRemoved(table), ...releasedAlso);
  }
  return d;
}

export function tableSortKey(table: QualifiedName, ...rest: string[]): string[] {
  return [table.schema, table.name, ...rest];
}

/** The user type a column type names (`public.mood`, `public.mood[]`), as resource keys. */
export function typeKeys(type: string): string[] {
  const ref = typeReference(type);
  return ref ? [key.type(ref)] : [];
}

/** What a column uses: its user type, and a listed sequence its default draws from. */
export function columnKeys(column: Column): string[] {
  const out = typeKeys(column.type);
  const parts = column.standalone_sequence ? nextvalSequence(column.default) : undefined;
  if (parts) out.push(key.table(parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: DEFAULT_NAMESPACE, name: parts[0]! }));
  return out;
}

/** The user types an expression casts to, as resource keys (a check or predicate naming an enum label). */
export function expressionTypeKeys(...texts: (string | undefined)[]): string[] {
  return texts.flatMap((t) => (t === undefined ? [] : expressionTypes(t).map((q) => key.type(q))));
}
