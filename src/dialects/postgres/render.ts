// All SQL generation for Postgres. Identifiers go through quoteIdent /
// quoteQualified, literals through quoteLiteral; IR expressions (defaults,
// checks, index expressions and predicates, generation expressions) are
// catalog-spelled SQL and are inserted verbatim.
export { createSchemaSql, createSchemaStatements, dropSchemaSql } from './render/schema.js';
export { commentSql, commentStatements } from './render/comments.js';
export { setPartitionStatements } from './render/table.js';
export { createTableStatements, dropTableSql, addColumnStatements, dropColumnSql, tableCommentStatements } from './render/table.js';
export { columnDefinition, identityClause } from './render/column.js';
export { alterColumnStatements, typeChanged } from './render/alter-column.js';
export {
  addPrimaryKeySql,
  dropPrimaryKeySql,
  addUniqueSql,
  addCheckSql,
  addForeignKeySql,
  addPrimaryKeyStatements,
  addUniqueStatements,
  addCheckStatements,
  addForeignKeyStatements,
  addExclusionStatements,
  addPrimaryKeyUsingIndexStatements,
  addUniqueUsingIndexStatements,
  validateConstraintSql,
  setPersistenceSql,
  dropConstraintSql,
  primaryKeyName,
  primaryKeyClause,
  uniqueClause,
  checkClause,
  foreignKeyClause,
} from './render/constraints.js';
export { createIndexSql, createIndexStatements, dropIndexSql } from './render/indexes.js';
export { serialSequence, parseRegclassText } from './render/sequence.js';
export { tableName } from './render/names.js';
export { renameColumnSql, renameConstraintSql, renameIndexSql, renameSequenceSql, renameTableSql } from './render/renames.js';
export {
  enumName,
  createEnumStatements,
  dropEnumSql,
  addEnumValueStatements,
  recreateEnumStatements,
  isAddition,
  retiredName,
} from './render/enums.js';
export { expressionTypes, typeReference, usesType } from './type-ref.js';
export {
  createExtensionStatements,
  dropExtensionSql,
  alterExtensionStatements,
  createSequenceStatements,
  dropSequenceSql,
  alterSequenceStatements,
  createViewStatements,
  dropViewSql,
  viewCommentTarget,
  createRoutineStatements,
  replaceRoutineStatements,
  dropRoutineSql,
  routineCommentTarget,
  createTriggerStatements,
  dropTriggerSql,
  createPolicyStatements,
  alterPolicySql,
  dropPolicySql,
  rowSecurityStatements,
  SKIP_BODY_CHECK,
} from './render/objects.js';
export { createDomainStatements, dropDomainSql, alterDomainStatements, createCompositeStatements, dropCompositeSql } from './render/types.js';
export { grantStatements, defaultPrivilegeStatements } from './render/grants.js';
export { createRangeStatements, dropRangeSql, recreateRangeStatements } from './render/ranges.js';
