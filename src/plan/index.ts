// Change[] → Plan: ordering, rendering, hazards, reverse steps; and the
// rollback of a plan.
export { buildPlan, type BuildPlanOptions } from './build.js';
export { rollbackPlan, RollbackError } from './rollback.js';
export { orderChanges, PlanCycleError } from './order.js';
export { describeChange, summarizeChange, changeSql } from './kinds/registry.js';
export { annotateLocks, type AnnotateLocksOptions } from './locks.js';
export { PLAN_FORMAT_VERSION, stepStatements, type Plan, type PlanStep, type ReverseStep, type StepLock } from './types.js';
