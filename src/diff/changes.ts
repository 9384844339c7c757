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
  PrimaryKey,
  QualifiedName,
  Table,
  UniqueConstraint,
} from '../schema/types.js';

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
  | { kind: 'add_column'; table: QualifiedName; column: Column }
  | { kind: 'drop_column'; table: QualifiedName; column: Column }
  /**
   * `via_text`: one half of a move between two enum types through text —
   * `first` (enum → text) runs before the old type changes, `second` (text → enum) after the new one is ready.
   */
  | { kind: 'alter_column'; table: QualifiedName; from: Column; to: Column; via_text?: 'first' | 'second' }
  | { kind: 'add_primary_key'; table: QualifiedName; primary_key: PrimaryKey }
  | { kind: 'drop_primary_key'; table: QualifiedName; primary_key: PrimaryKey }
  | { kind: 'add_unique'; table: QualifiedName; constraint: UniqueConstraint }
  | { kind: 'drop_unique'; table: QualifiedName; constraint: UniqueConstraint }
  | { kind: 'add_check'; table: QualifiedName; constraint: CheckConstraint }
  | { kind: 'drop_check'; table: QualifiedName; constraint: CheckConstraint }
  | { kind: 'create_index'; table: QualifiedName; index: Index }
  | { kind: 'drop_index'; table: QualifiedName; index: Index }
  | { kind: 'add_foreign_key'; table: QualifiedName; foreign_key: ForeignKey }
  | { kind: 'drop_foreign_key'; table: QualifiedName; foreign_key: ForeignKey };

export type ChangeKind = Change['kind'];
