// A Change is one structured difference between two schemas. Each carries the
// full state it needs to be rendered and inverted, so a rollback is computed
// from Changes and never from SQL text.
import type {
  CheckConstraint,
  Column,
  CommentTarget,
  EnumType,
  ForeignKey,
  Index,
  CompositeType,
  Domain,
  DefaultPrivilege,
  ExclusionConstraint,
  Extension,
  Grant,
  GrantTarget,
  PartitionOf,
  Policy,
  PrimaryKey,
  RangeType,
  QualifiedName,
  Routine,
  Sequence,
  Table,
  Trigger,
  UniqueConstraint,
  View,
} from '../schema/types.js';

export interface RowSecurity {
  enabled: boolean;
  forced: boolean;
}

/** A column whose type names an enum (`public.mood` or `public.mood[]`), converted when the enum is recreated. */
export interface EnumColumn {
  table: QualifiedName;
  column: string;
  /** The column's type while the step runs: the enum or an array of it, catalog spelling. */
  type: string;
  /** Default before the step (dropped before the conversion) and after it (set after). */
  from_default?: string;
  to_default?: string;
}

export type Change =
  | { kind: 'create_schema'; schema: string; comment?: string }
  | { kind: 'drop_schema'; schema: string; comment?: string }
  /** Absent `from`/`to`: no comment before/after. */
  | { kind: 'set_comment'; target: CommentTarget; from?: string; to?: string }
  | { kind: 'create_enum'; type: EnumType }
  | { kind: 'drop_enum'; type: EnumType }
  /**
   * Labels appended or inserted, existing labels kept in order: ALTER TYPE … ADD VALUE.
   * `columns` (those using the type) are only needed by the inverse, a recreate.
   */
  | { kind: 'add_enum_values'; from: EnumType; to: EnumType; columns: EnumColumn[] }
  /**
   * Labels removed or reordered: the type is renamed away, created anew,
   * every column using it converted, and the old type dropped.
   */
  | { kind: 'recreate_enum'; from: EnumType; to: EnumType; columns: EnumColumn[] }
  /** The table without its indexes and foreign keys (those are separate changes). */
  | { kind: 'create_table'; table: Table }
  | { kind: 'drop_table'; table: Table }
  /** `no_online`: online mode found no online form for a volatile default (LP131), and why. */
  | { kind: 'add_column'; table: QualifiedName; column: Column; no_online?: string }
  | { kind: 'drop_column'; table: QualifiedName; column: Column }
  /**
   * `via_text`: one half of a move between two enum types through text —
   * `first` (enum → text) runs before the old type changes, `second` (text → enum) after the new one is ready.
   * `online`: on an existing table in online mode — a type change that rewrites the table is a hazard (LP130);
   * `no_online` says why it has no expand/contract form (see plan/online-column.ts).
   */
  | { kind: 'alter_column'; table: QualifiedName; from: Column; to: Column; via_text?: 'first' | 'second'; online?: true; no_online?: string }
  | ({ kind: 'add_primary_key'; table: QualifiedName; primary_key: PrimaryKey } & UsingIndex)
  | ({ kind: 'drop_primary_key'; table: QualifiedName; primary_key: PrimaryKey } & UsingIndex)
  | ({ kind: 'add_unique'; table: QualifiedName; constraint: UniqueConstraint } & UsingIndex)
  | ({ kind: 'drop_unique'; table: QualifiedName; constraint: UniqueConstraint } & UsingIndex)
  | ({ kind: 'add_check'; table: QualifiedName; constraint: CheckConstraint } & NotValid)
  | ({ kind: 'drop_check'; table: QualifiedName; constraint: CheckConstraint } & NotValid)
  | ({ kind: 'create_index'; table: QualifiedName; index: Index } & Concurrent)
  | ({ kind: 'drop_index'; table: QualifiedName; index: Index } & Concurrent)
  | ({ kind: 'add_foreign_key'; table: QualifiedName; foreign_key: ForeignKey } & NotValid)
  | ({ kind: 'drop_foreign_key'; table: QualifiedName; foreign_key: ForeignKey } & NotValid)
  /**
   * VALIDATE CONSTRAINT of a check or foreign key added NOT VALID, in a
   * transaction of its own. The schema does not record validity, so it
   * changes nothing there; `undo` (its inverse) runs no SQL.
   */
  | { kind: 'validate_constraint'; table: QualifiedName; name: string; undo?: true }
  /**
   * Online mode: fill `column` of the rows that need it with `expression`, in
   * batches by the primary key `key` (see apply/backfill.ts): the rows where
   * the column is NULL (and, with `source`, that column is not). The schema
   * does not change; `undo` (its inverse) runs no SQL.
   */
  | { kind: 'backfill_column'; table: QualifiedName; column: string; expression: string; key: string[]; source?: string; undo?: true }
  /** Online type change: a trigger (and its function, both named `name`) sets `to` from `from` (cast to `type`) on every INSERT and UPDATE. */
  | ({ kind: 'create_column_sync' } & ColumnSync)
  | ({ kind: 'drop_column_sync' } & ColumnSync)
  /**
   * The short last step of an online type change, in one transaction: the
   * sync trigger goes, the old column `from` is dropped, `temporary` (filled
   * by a backfill) takes its name and becomes `to` (default, NOT NULL proven
   * by the validated check `helper`, which goes too). `undo` (its inverse)
   * converts back in one locking transaction and restores the state before.
   */
  | { kind: 'swap_column'; table: QualifiedName; from: Column; to: Column; temporary: string; sync: ColumnSync; helper?: CheckConstraint; undo?: true }
  | { kind: 'create_extension'; extension: Extension }
  | { kind: 'drop_extension'; extension: Extension }
  /** Version or schema changed. */
  | { kind: 'alter_extension'; from: Extension; to: Extension }
  | { kind: 'create_sequence'; sequence: Sequence }
  | { kind: 'drop_sequence'; sequence: Sequence }
  | { kind: 'alter_sequence'; from: Sequence; to: Sequence }
  /** The view without its indexes (those are create_index changes on it). */
  | { kind: 'create_view'; view: View }
  | { kind: 'drop_view'; view: View }
  /** CREATE OR REPLACE VIEW: the old output columns are a prefix of the new. */
  | { kind: 'replace_view'; from: View; to: View }
  | { kind: 'create_function'; function: Routine }
  | { kind: 'drop_function'; function: Routine }
  /** CREATE OR REPLACE: same arguments (names, defaults) and result. */
  | { kind: 'replace_function'; from: Routine; to: Routine }
  | { kind: 'create_trigger'; table: QualifiedName; trigger: Trigger }
  | { kind: 'drop_trigger'; table: QualifiedName; trigger: Trigger }
  | { kind: 'create_policy'; table: QualifiedName; policy: Policy }
  | { kind: 'drop_policy'; table: QualifiedName; policy: Policy }
  /** ALTER POLICY: roles, USING or WITH CHECK changed, no clause removed. */
  | { kind: 'alter_policy'; table: QualifiedName; from: Policy; to: Policy }
  | { kind: 'set_row_security'; table: QualifiedName; from: RowSecurity; to: RowSecurity }
  | { kind: 'add_exclusion'; table: QualifiedName; constraint: ExclusionConstraint }
  | { kind: 'drop_exclusion'; table: QualifiedName; constraint: ExclusionConstraint }
  | { kind: 'set_unlogged'; table: QualifiedName; unlogged: boolean }
  /** DETACH from the old parent (if any), ATTACH to the new one (if any); the rows stay. */
  | { kind: 'set_partition'; table: QualifiedName; from?: PartitionOf; to?: PartitionOf; columns: string[] }
  /** REVOKE what only `from` grants, GRANT what only `to` does (absent: none). */
  | { kind: 'set_grants'; target: GrantTarget; from?: Grant[]; to?: Grant[]; when?: 'created' | 'dropped' }
  /** An ALTER DEFAULT PRIVILEGES entry set, changed or removed (absent: the built-in default). */
  | { kind: 'set_default_privileges'; from?: DefaultPrivilege; to?: DefaultPrivilege }
  | { kind: 'create_domain'; domain: Domain }
  | { kind: 'drop_domain'; domain: Domain }
  /** Default, NOT NULL or checks changed (same base type and collation). */
  | { kind: 'alter_domain'; from: Domain; to: Domain }
  | { kind: 'create_composite_type'; type: CompositeType }
  | { kind: 'drop_composite_type'; type: CompositeType }
  | { kind: 'create_range'; type: RangeType }
  | { kind: 'drop_range'; type: RangeType }
  /**
   * A range whose definition changed: the old one (its multirange and
   * constructors) is renamed away, the new one created, the columns using
   * either type converted through text, and the old one dropped.
   */
  | { kind: 'recreate_range'; from: RangeType; to: RangeType; columns: EnumColumn[] }
  /**
   * Explicit renames (`renamed_from`): ALTER … RENAME keeps the data. Every
   * later change of the plan uses the new names. A table keeps its indexes
   * and constraints under their old names (their own renames follow).
   */
  | { kind: 'rename_table'; schema: string; from: string; to: string }
  | { kind: 'rename_column'; table: QualifiedName; from: string; to: string }
  /** `online`: the last step of an online index change (the new index built under a temporary name takes the old one's). */
  | { kind: 'rename_index'; table: QualifiedName; from: string; to: string; online?: true }
  | { kind: 'rename_constraint'; table: QualifiedName; constraint: ConstraintKind; from: string; to: string }
  /** The sequence a serial column owns, renamed with its table or column; the defaults drawing from it read `to_default` after. */
  | { kind: 'rename_sequence'; sequence: QualifiedName; to: string; from_default: string; to_default: string };

/** A trigger keeping column `to` equal to `from` cast to `type` (see create_column_sync). */
export interface ColumnSync {
  table: QualifiedName;
  from: string;
  /** `from`'s type: the cast from it to `type`. */
  from_type: string;
  to: string;
  type: string;
  /** The trigger's and its function's name (the function lives in the table's schema). */
  name: string;
}

/** Online mode (see plan/online.ts): the index is built or dropped CONCURRENTLY, outside a transaction. */
export interface Concurrent {
  online?: true;
  /**
   * The unique index a UNIQUE or PRIMARY KEY constraint is then added with
   * (USING INDEX): the schema counts it with the constraint, so the change
   * leaves the schema alone, and its drop runs no SQL (dropping the constraint took the index).
   */
  for_constraint?: true;
}

/** Online mode: the check or foreign key is added NOT VALID; a validate_constraint change follows (the drop keeps the flag for its inverse). */
export interface NotValid {
  online?: true;
}

/** Online mode: ADD CONSTRAINT … USING INDEX of the index a `for_constraint` create_index built. */
export interface UsingIndex {
  using_index?: true;
}

export type ConstraintKind = 'primary_key' | 'unique' | 'check' | 'foreign_key';

export type ChangeKind = Change['kind'];
