// Safety: stable hazard codes, per-step validation, static reference checks,
// and the validation report.
export type { Finding, Severity, StepValidation } from './types.js';
export { HAZARDS, hazardInfo, finding, type HazardInfo } from './registry.js';
export { validatePlan } from './validate.js';
export { checkReferences, checkForeignKey } from './references.js';
export { formatValidationReport, blockingFindings, type Allowance } from './report.js';
export { classifyTypeChange, type TypeChange } from './type-change.js';
export { assessChange, hazardCodes, AssessContext, type Assessment } from './assess.js';
export { preflightPlan, formatPreflightReport, PreflightFailedError, DEFAULT_PREFLIGHT_TIMEOUT } from './preflight.js';
export type { PreflightCheck, PreflightOptions, PreflightReport, PreflightStatus } from './preflight.js';
