// The one list of change kinds the planner knows. Adding a kind is adding its
// handler module and one line here.
import type { Change, ChangeKind } from '../../diff/changes.js';
import { addColumn, alterColumn, dropColumn } from './column.js';
import { setComment } from './comment.js';
import { addEnumValues, createEnum, dropEnum, recreateEnum } from './enums.js';
import { addCheck, addExclusion, dropExclusion, setUnlogged, addPrimaryKey, addUnique, dropCheck, dropPrimaryKey, dropUnique, validateConstraint } from './constraints.js';
import { addForeignKey, dropForeignKey } from './foreign-key.js';
import type { ChangeHandler, Deps, SortContext } from './handler.js';
import { createIndex, dropIndex } from './indexes.js';
import { backfillColumn, createColumnSync, dropColumnSync, swapColumn } from './online.js';
import { createSchema, dropSchema } from './schema.js';
import { createTable, dropTable, setPartition } from './table.js';
import { setDefaultPrivileges, setGrants } from './grants.js';
import { renameColumn, renameConstraint, renameIndex, renameSequence, renameTable } from './renames.js';
import {
  alterExtension,
  alterPolicy,
  alterSequence,
  createExtension,
  createPolicy,
  createRoutine,
  createSequence,
  createTrigger,
  createView,
  dropExtension,
  dropPolicy,
  dropRoutine,
  dropSequence,
  dropTrigger,
  dropView,
  replaceRoutine,
  replaceView,
  setRowSecurity,
} from './objects.js';
import { alterDomain, createComposite, createDomain, dropComposite, dropDomain } from './types.js';
import { createRange, dropRange, recreateRange } from './ranges.js';

const handlers: { [K in ChangeKind]: ChangeHandler<K> } = {
  create_schema: createSchema,
  drop_schema: dropSchema,
  set_comment: setComment,
  create_enum: createEnum,
  drop_enum: dropEnum,
  add_enum_values: addEnumValues,
  recreate_enum: recreateEnum,
  create_table: createTable,
  drop_table: dropTable,
  add_column: addColumn,
  drop_column: dropColumn,
  alter_column: alterColumn,
  add_primary_key: addPrimaryKey,
  drop_primary_key: dropPrimaryKey,
  add_unique: addUnique,
  drop_unique: dropUnique,
  add_check: addCheck,
  drop_check: dropCheck,
  create_index: createIndex,
  drop_index: dropIndex,
  add_foreign_key: addForeignKey,
  drop_foreign_key: dropForeignKey,
  validate_constraint: validateConstraint,
  backfill_column: backfillColumn,
  create_column_sync: createColumnSync,
  drop_column_sync: dropColumnSync,
  swap_column: swapColumn,
  create_extension: createExtension,
  drop_extension: dropExtension,
  alter_extension: alterExtension,
  create_sequence: createSequence,
  drop_sequence: dropSequence,
  alter_sequence: alterSequence,
  create_view: createView,
  drop_view: dropView,
  replace_view: replaceView,
  create_function: createRoutine,
  drop_function: dropRoutine,
  replace_function: replaceRoutine,
  create_trigger: createTrigger,
  drop_trigger: dropTrigger,
  create_policy: createPolicy,
  drop_policy: dropPolicy,
  alter_policy: alterPolicy,
  set_row_security: setRowSecurity,
  add_exclusion: addExclusion,
  drop_exclusion: dropExclusion,
  set_unlogged: setUnlogged,
  set_partition: setPartition,
  set_grants: setGrants,
  set_default_privileges: setDefaultPrivileges,
  create_domain: createDomain,
  drop_domain: dropDomain,
  alter_domain: alterDomain,
  create_composite_type: createComposite,
  drop_composite_type: dropComposite,
  create_range: createRange,
  drop_range: dropRange,
  recreate_range: recreateRange,
  rename_table: renameTable,
  rename_column: renameColumn,
  rename_index: renameIndex,
  rename_constraint: renameConstraint,
  rename_sequence: renameSequence,
};

/** The handler of a change, typed for that change. */
function handlerOf(change: Change): ChangeHandler<ChangeKind> {
  return handlers[change.kind] as unknown as ChangeHandler<ChangeKind>;
}

export function describeChange(change: Change): string {
  return handlerOf(change).describe(change as never);
}

export function summarizeChange(change: Change): string {
  return handlerOf(change).summary(change as never);
}

export function changeSql(change: Change): string[] {
  return handlerOf(change).sql(change as never);
}

export function changeDeps(change: Change): Deps {
  return handlerOf(change).deps(change as never);
}

export function changePhase(change: Change): number {
  return handlerOf(change).phase;
}

export function changeSortKey(change: Change, context: SortContext): string[] {
  return handlerOf(change).sortKey(change as never, context);
}
