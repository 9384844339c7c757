// The intermediate representation (IR): one typed, normalized model of a
// database schema. Every source (JSON file, SQL files, live database) becomes
// a Schema; every later stage (diff, plan, hash) reads only this.
//
// Field names follow the original Lockplane JSON format (snake_case), so a
// Schema serializes to that format unchanged. Optional fields are omitted when
// they hold the default; `canonicalize` (schema/canonical.ts) fills and strips
// defaults so two equal schemas are structurally equal.

export type Dialect = 'postgres' | 'sqlite';

export interface Schema {
  $schema?: string;
  dialect?: Dialect;
  /** Namespaces (Postgres schemas). Derived from tables when a source omits it. */
  schemas?: Namespace[];
  /** Enum types (`CREATE TYPE … AS ENUM`). */
  types?: EnumType[];
  tables: Table[];
}

export interface Namespace {
  name: string;
  comment?: string;
}

export interface EnumType {
  /** Postgres namespace; `public` when omitted. */
  schema?: string;
  name: string;
  /** Labels in sort order. */
  values: string[];
  comment?: string;
}

export interface Table {
  /** Postgres namespace; `public` when omitted. */
  schema?: string;
  name: string;
  columns: Column[];
  comment?: string;
  primary_key?: PrimaryKey;
  unique_constraints?: UniqueConstraint[];
  check_constraints?: CheckConstraint[];
  indexes?: Index[];
  foreign_keys?: ForeignKey[];
}

export interface Column {
  name: string;
  /** Catalog spelling, e.g. `character varying(255)`, `numeric(10,2)`, `integer[]`. */
  type: string;
  nullable: boolean;
  /** Default expression in catalog spelling, e.g. `now()`. */
  default?: string;
  /** Original-format flag; `primary_key` on the table is authoritative. */
  is_primary_key?: boolean;
  identity?: Identity;
  generated?: Generated;
  /** Collation when it differs from the type's default. */
  collation?: string;
  comment?: string;
}

export type IdentityGeneration = 'ALWAYS' | 'BY DEFAULT';

export interface Identity {
  generation: IdentityGeneration;
  /** Sequence options; omitted when they hold Postgres's default for the type. */
  start?: string;
  increment?: string;
  min_value?: string;
  max_value?: string;
  cache?: string;
  cycle?: boolean;
}

export interface Generated {
  expression: string;
  /** `stored` unless `virtual` (Postgres 18+). */
  kind?: 'stored' | 'virtual';
}

export interface PrimaryKey {
  name?: string;
  columns: string[];
  comment?: string;
}

export interface UniqueConstraint {
  name: string;
  columns: string[];
  nulls_not_distinct?: boolean;
  deferrable?: boolean;
  initially_deferred?: boolean;
  comment?: string;
}

export interface CheckConstraint {
  name: string;
  /** The boolean expression, catalog spelling, without the `CHECK` keyword. */
  expression: string;
  no_inherit?: boolean;
  comment?: string;
}

export type SortOrder = 'ASC' | 'DESC';
export type NullsOrder = 'FIRST' | 'LAST';

export interface IndexKey {
  /** Exactly one of column or expression. */
  column?: string;
  expression?: string;
  collation?: string;
  opclass?: string;
  order?: SortOrder;
  nulls?: NullsOrder;
}

export interface Index {
  name: string;
  /** Plain column keys, in order (original format). Ignored when `keys` is present. */
  columns: string[];
  unique: boolean;
  /** Key list when some key is an expression or has non-default options. */
  keys?: IndexKey[];
  /** Access method; `btree` when omitted. */
  method?: string;
  /** Partial index predicate, catalog spelling. */
  where?: string;
  include?: string[];
  nulls_not_distinct?: boolean;
  /** Storage parameters, catalog spelling, e.g. `fillfactor=90`. */
  with?: string[];
  comment?: string;
}

export type FkAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';
export type FkMatch = 'SIMPLE' | 'FULL';

export interface ForeignKey {
  name: string;
  columns: string[];
  /** Namespace of the referenced table; the referencing table's when omitted. */
  referenced_schema?: string;
  referenced_table: string;
  referenced_columns: string[];
  on_delete?: FkAction;
  on_update?: FkAction;
  match?: FkMatch;
  deferrable?: boolean;
  initially_deferred?: boolean;
  comment?: string;
}

/** The object a comment belongs to (COMMENT ON …). */
export type CommentTarget =
  | { kind: 'schema'; schema: string }
  | { kind: 'table'; table: QualifiedName }
  | { kind: 'column'; table: QualifiedName; column: string }
  | { kind: 'index'; table: QualifiedName; name: string }
  | { kind: 'constraint'; table: QualifiedName; name: string }
  | { kind: 'type'; type: QualifiedName };

export const DEFAULT_NAMESPACE = 'public';

export interface QualifiedName {
  schema: string;
  name: string;
}

export function tableSchema(table: Pick<Table, 'schema'>): string {
  return table.schema ?? DEFAULT_NAMESPACE;
}

export function qualifiedKey(q: QualifiedName): string {
  return `${q.schema}.${q.name}`;
}

export function tableKey(table: Pick<Table, 'schema' | 'name'>): string {
  return qualifiedKey({ schema: tableSchema(table), name: table.name });
}
