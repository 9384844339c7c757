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

/** A column whose type names an enum (`public.mood` or `public.mood[]`). */
export interface EnumColumn {
  table: QualifiedName;
  column: Column;
}

export type Change =
  | { kind: 'create_schema'; schema: string; comment?: string }
  | { kind: 'drop_schema'; schema: string; comment?: string }
  /** Absent `from`/`to`: no comment before/after. */
  | { kind: 'set_comment'; target: CommentTarget; from?: string; to?: string }
  | { kind: 'create_table'; table: Table }
  | { kind: 'drop_table'; table: Table }
  | { kind: 'add_column'; table: QualifiedName; column: Column }
  | { kind: 'drop_column'; table: QualifiedName; column: Column }
  | { kind: 'alter_column'; table: QualifiedName; from: Column; to: Column }
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
