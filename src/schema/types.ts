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
  /** Extensions (`CREATE EXTENSION`); the objects they own are not listed elsewhere. */
  extensions?: Extension[];
  /** Sequences other than the ones serial and identity columns own implicitly. */
  sequences?: Sequence[];
  /** Views and materialized views. */
  views?: View[];
  /** Functions, procedures and aggregates (one identity namespace, as in pg_proc). */
  functions?: Routine[];
  /** Domains (`CREATE DOMAIN`). */
  domains?: Domain[];
  /** Composite types (`CREATE TYPE … AS (…)`). */
  composite_types?: CompositeType[];
  /** Range types (`CREATE TYPE … AS RANGE (…)`), each with its multirange type. */
  range_types?: RangeType[];
  /** ALTER DEFAULT PRIVILEGES: what objects a role creates later are granted. */
  default_privileges?: DefaultPrivilege[];
}

export type DefaultPrivilegeObjects = 'tables' | 'sequences' | 'functions' | 'types' | 'schemas';

export interface DefaultPrivilege {
  /** The creating role (FOR ROLE). */
  role: string;
  /** IN SCHEMA; every schema when omitted. */
  schema?: string;
  on: DefaultPrivilegeObjects;
  grants: Grant[];
}

export interface DomainCheck {
  name: string;
  /** `CHECK (…)` as pg_get_constraintdef prints it. */
  definition: string;
}

export interface Domain {
  schema?: string;
  name: string;
  /** Base type, catalog spelling. */
  type: string;
  collation?: string;
  default?: string;
  not_null?: boolean;
  checks?: DomainCheck[];
  comment?: string;
  depends_on?: ObjectRef[];
  /** See EnumType.grants. */
  grants?: Grant[];
}

export interface CompositeType {
  schema?: string;
  name: string;
  attributes: { name: string; type: string; collation?: string }[];
  comment?: string;
  /** See EnumType.grants. */
  grants?: Grant[];
}

/**
 * A range type. Its constructor functions and its multirange type (with
 * theirs) are created by Postgres with it and are not listed elsewhere.
 */
export interface RangeType {
  schema?: string;
  name: string;
  /** SUBTYPE, catalog spelling (`double precision`, `public.mytype`). */
  subtype: string;
  /** SUBTYPE_OPCLASS when it is not the subtype's default btree class: `name` in pg_catalog, else `"schema"."name"`. */
  subtype_opclass?: string;
  /** COLLATION when it is not the subtype's default; spelled like a column's collation. */
  collation?: string;
  /** CANONICAL function: `name` in pg_catalog, else `schema.name` (quoted where needed). */
  canonical?: string;
  /** SUBTYPE_DIFF function, spelled like `canonical`. */
  subtype_diff?: string;
  /**
   * MULTIRANGE_TYPE_NAME when it is not Postgres's default (the range's name
   * with `range` turned into `multirange`, else `_multirange` appended).
   */
  multirange_type_name?: string;
  /** The multirange type's namespace when it is not the range's. */
  multirange_schema?: string;
  comment?: string;
  /** See EnumType.grants. */
  grants?: Grant[];
}

/**
 * Something an object uses, as the catalog's dependency graph (pg_depend)
 * records it. Derived: ignored by the hash and the differ, used to order
 * plans and to rebuild dependents of what a plan drops or changes.
 */
export interface ObjectRef {
  kind: 'relation' | 'column' | 'function' | 'type';
  schema: string;
  name: string;
  column?: string;
  /** A function's argument types. */
  signature?: string;
}

export interface Extension {
  name: string;
  /** Namespace the extension's objects live in. */
  schema?: string;
  version?: string;
  comment?: string;
}

export interface Sequence extends SequenceOptions {
  schema?: string;
  name: string;
  /** `bigint` when omitted. */
  data_type?: string;
  /** `ALTER SEQUENCE … OWNED BY table.column`. */
  owned_by?: { schema?: string; table: string; column: string };
  comment?: string;
  grants?: Grant[];
}

export interface View {
  schema?: string;
  name: string;
  /** The query as pg_get_viewdef prints it (every name qualified). */
  definition: string;
  materialized?: boolean;
  /** Storage/view options, catalog spelling, e.g. `security_barrier=true`, `check_option=local`. */
  options?: string[];
  /** Output columns (derived); a change that keeps them as a prefix can use CREATE OR REPLACE. */
  columns?: { name: string; type: string }[];
  /** Indexes of a materialized view. */
  indexes?: Index[];
  /** INSTEAD OF (and other) triggers on the view. */
  triggers?: Trigger[];
  comment?: string;
  depends_on?: ObjectRef[];
  grants?: Grant[];
}

/**
 * A function, procedure or aggregate. Identity: schema, name and argument types (`signature`).
 * An aggregate's `definition` is the `CREATE AGGREGATE` statement Lockplane
 * builds from pg_aggregate (Postgres has no pg_get_aggregatedef).
 */
export interface Routine {
  schema?: string;
  name: string;
  /** `procedure` or `aggregate`, else a function. */
  kind?: 'function' | 'procedure' | 'aggregate';
  /** Argument types only, as the catalog prints them: `integer, text` (what identifies an overload). */
  signature: string;
  /** Identity arguments with names and modes: `a integer, b text`. */
  arguments?: string;
  /** Full argument list with defaults (derived); a change keeps CREATE OR REPLACE only while it is equal. */
  argument_list?: string;
  /** Result type (functions): `integer`, `SETOF t`, `TABLE(id integer)`. */
  returns?: string;
  /** The whole `CREATE OR REPLACE FUNCTION …` statement as pg_get_functiondef prints it (an aggregate: `CREATE AGGREGATE …`). */
  definition: string;
  comment?: string;
  depends_on?: ObjectRef[];
  /** Privileges; a new function grants EXECUTE to public unless this says otherwise. */
  grants?: Grant[];
}

export interface Trigger {
  name: string;
  /** The `CREATE [CONSTRAINT] TRIGGER …` statement as pg_get_triggerdef prints it. */
  definition: string;
  /** Firing state when not the default `origin` (ALTER TABLE … ENABLE/DISABLE TRIGGER). */
  enabled?: 'disabled' | 'replica' | 'always';
  comment?: string;
  depends_on?: ObjectRef[];
}

export type PolicyCommand = 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

export interface Policy {
  name: string;
  /** RESTRICTIVE, else permissive. */
  restrictive?: boolean;
  /** `ALL` when omitted. */
  command?: PolicyCommand;
  /** Role names; `public` (everyone) when omitted. */
  roles?: string[];
  using?: string;
  with_check?: string;
  comment?: string;
  depends_on?: ObjectRef[];
}

export interface Namespace {
  name: string;
  comment?: string;
  grants?: Grant[];
}

/** Privileges granted to a role (`public`: everyone), besides the owner's own. */
export interface Grant {
  grantee: string;
  /** Upper case, e.g. SELECT, INSERT, USAGE, EXECUTE. */
  privileges: string[];
  /** WITH GRANT OPTION. */
  grantable?: boolean;
}

export interface EnumType {
  /** Postgres namespace; `public` when omitted. */
  schema?: string;
  name: string;
  /** Labels in sort order. */
  values: string[];
  comment?: string;
  /**
   * GRANT USAGE ON TYPE. Absent: Postgres's default, USAGE for everyone;
   * `[]`: nobody but the owner.
   */
  grants?: Grant[];
}

export interface Table {
  /** Postgres namespace; `public` when omitted. */
  schema?: string;
  name: string;
  /**
   * Explicit rename intent: the table's current name (same namespace) in the database. The
   * plan renames it (ALTER … RENAME, keeping the data) instead of dropping and
   * creating. Not part of the hash or of any comparison.
   */
  renamed_from?: string;
  columns: Column[];
  comment?: string;
  primary_key?: PrimaryKey;
  unique_constraints?: UniqueConstraint[];
  check_constraints?: CheckConstraint[];
  indexes?: Index[];
  foreign_keys?: ForeignKey[];
  /** EXCLUDE constraints. */
  exclusion_constraints?: ExclusionConstraint[];
  /** CREATE UNLOGGED TABLE (not crash-safe, not replicated). */
  unlogged?: boolean;
  /** SQLite: a STRICT table (declared types enforced). */
  strict?: boolean;
  /** SQLite: WITHOUT ROWID (the primary key is the storage key). */
  without_rowid?: boolean;
  /** A partitioned table's key as pg_get_partkeydef prints it: `RANGE (created_at)`. */
  partition_by?: string;
  /** A partition: its parent and bound. Its columns follow the parent's; only defaults and NOT NULL may differ. */
  partition_of?: PartitionOf;
  triggers?: Trigger[];
  /** ALTER TABLE … ENABLE ROW LEVEL SECURITY. */
  row_security?: boolean;
  /** ALTER TABLE … FORCE ROW LEVEL SECURITY (applies to the owner too). */
  force_row_security?: boolean;
  policies?: Policy[];
  /** Derived: functions its defaults, generation expressions and checks call. */
  depends_on?: ObjectRef[];
  grants?: Grant[];
}

export interface Column {
  name: string;
  /** See Table.renamed_from. */
  renamed_from?: string;
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
  /**
   * Comment on the sequence a serial column owns (the one its `nextval`
   * default draws from; `COMMENT ON SEQUENCE`): that sequence is not listed in `sequences`.
   */
  sequence_comment?: string;
  /**
   * Derived (set by canonicalize): the `nextval` default draws from a sequence
   * listed in `sequences`, which the column does not own as a serial would.
   */
  standalone_sequence?: boolean;
  /** Column-level privileges (GRANT SELECT (col) ON …). */
  grants?: Grant[];
}

export type IdentityGeneration = 'ALWAYS' | 'BY DEFAULT';

/** Sequence options; omitted when they hold Postgres's default for the type and direction. */
export interface SequenceOptions {
  start?: string;
  increment?: string;
  min_value?: string;
  max_value?: string;
  cache?: string;
  cycle?: boolean;
}

export interface Identity extends SequenceOptions {
  generation: IdentityGeneration;
}

export interface Generated {
  expression: string;
  /** `stored` unless `virtual` (Postgres 18+). */
  kind?: 'stored' | 'virtual';
}

export interface PrimaryKey {
  name?: string;
  /** See Table.renamed_from. */
  renamed_from?: string;
  columns: string[];
  /** SQLite: INTEGER PRIMARY KEY AUTOINCREMENT (rowids never reused). */
  autoincrement?: boolean;
  comment?: string;
}

export interface UniqueConstraint {
  name: string;
  /** See Table.renamed_from. */
  renamed_from?: string;
  columns: string[];
  nulls_not_distinct?: boolean;
  deferrable?: boolean;
  initially_deferred?: boolean;
  comment?: string;
}

export interface CheckConstraint {
  name: string;
  /** See Table.renamed_from. */
  renamed_from?: string;
  /** The boolean expression, catalog spelling, without the `CHECK` keyword. */
  expression: string;
  no_inherit?: boolean;
  /** Read from a database: added NOT VALID and not validated yet; a plan validates it. Not part of the hash (see DERIVED_KEYS). */
  not_valid?: boolean;
  comment?: string;
}

export interface PartitionOf {
  schema?: string;
  table: string;
  /** `FOR VALUES IN ('eu')`, `FOR VALUES FROM (…) TO (…)`, `DEFAULT`. */
  bound: string;
  /** Derived: the partition's copies of its parent's indexes (they stay behind when it is detached). */
  attached_indexes?: string[];
}

export interface ExclusionConstraint {
  name: string;
  /** `EXCLUDE USING … (…)` as pg_get_constraintdef prints it. */
  definition: string;
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
  /** See Table.renamed_from. */
  renamed_from?: string;
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
  /** Left INVALID by a failed CREATE INDEX CONCURRENTLY: never what a schema asks for, so a plan rebuilds it. */
  invalid?: boolean;
  comment?: string;
}

export type FkAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';
export type FkMatch = 'SIMPLE' | 'FULL';

export interface ForeignKey {
  name: string;
  /** See Table.renamed_from. */
  renamed_from?: string;
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
  /** Read from a database: added NOT VALID and not validated yet; a plan validates it. Not part of the hash (see DERIVED_KEYS). */
  not_valid?: boolean;
  comment?: string;
}

/** The object privileges are granted on (GRANT … ON …). */
export type GrantTarget =
  | { kind: 'schema'; schema: string }
  | { kind: 'table'; table: QualifiedName }
  | { kind: 'view'; view: QualifiedName }
  | { kind: 'sequence'; sequence: QualifiedName }
  | { kind: 'column'; table: QualifiedName; column: string }
  | { kind: 'function'; function: QualifiedName; signature: string; procedure?: boolean }
  /** An enum, composite, range type or domain (`domain` spells it GRANT … ON DOMAIN). */
  | { kind: 'type'; type: QualifiedName; domain?: boolean };

/** The object a comment belongs to (COMMENT ON …). */
export type CommentTarget =
  | { kind: 'schema'; schema: string }
  | { kind: 'table'; table: QualifiedName }
  | { kind: 'column'; table: QualifiedName; column: string }
  | { kind: 'index'; table: QualifiedName; name: string }
  | { kind: 'constraint'; table: QualifiedName; name: string }
  | { kind: 'type'; type: QualifiedName }
  /** `serial`: the sequence a serial column owns (its comment is the column's `sequence_comment`). */
  | { kind: 'sequence'; sequence: QualifiedName; serial?: { table: QualifiedName; column: string } }
  | { kind: 'view'; view: QualifiedName; materialized?: boolean }
  | { kind: 'function'; function: QualifiedName; signature: string; procedure?: boolean }
  | { kind: 'trigger'; table: QualifiedName; name: string }
  | { kind: 'policy'; table: QualifiedName; name: string }
  | { kind: 'extension'; extension: string }
  | { kind: 'domain'; domain: QualifiedName };

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
