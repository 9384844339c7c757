// The public library API. The CLI uses only what is exported here.
export type * from './schema/types.js';
export type { Change, ChangeKind } from './diff/changes.js';
export type { Plan, PlanStep, ReverseStep, StepLock } from './plan/types.js';
export type { Finding, Severity } from './safety/types.js';
export { ExitCode, LockplaneError, InputError, BlockedError, redact } from './errors.js';
export { canonicalize } from './schema/canonical.js';
export { schemaHash } from './schema/hash.js';
export { loadSchemaJson, saveSchemaJson, loadPlanJson } from './schema/json.js';
export { quoteIdent, quoteLiteral, quoteQualified } from './dialects/postgres/quote.js';
export { connect, type PgSession } from './dialects/postgres/session.js';
export { introspect, unmodelledWarning, type UnmodelledObject } from './dialects/postgres/introspect.js';
export { renderSchemaDdl } from './plan/ddl.js';
export { diffSchemas } from './diff/index.js';
export { buildPlan, rollbackPlan, annotateLocks, type AnnotateLocksOptions } from './plan/index.js';
export { sourceLocator, type StepLocator } from './plan/source-locator.js';
export { serverVersionNum, DEFAULT_SERVER_VERSION, type LockMode, type LockEffect } from './dialects/postgres/locks.js';
export { validatePlan, formatValidationReport, checkReferences } from './safety/index.js';
export { isDatabaseUrl, loadSource, type LoadedSource, type LoadSourceOptions } from './shadow/sources.js';
export { filterSchema, PRESETS, type SchemaFilter } from './schema/filter.js';
export { excludedSeed, seedFromSession, seedFromUrl, type SeedProvider } from './shadow/seed.js';
export { reversePlan } from './shadow/rollback.js';
export { provePlan, type ProveOptions, type ProofResult } from './shadow/prove.js';
export { executePlan, sourceDrift, StepFailedError } from './apply/execute.js';
export { objectFingerprints, fingerprintDrift, type Fingerprints } from './schema/fingerprint.js';
export { resolveTarget, EMBEDDED_DATABASE_URL } from './config/target.js';
export { hazardInfo, type HazardInfo } from './safety/index.js';
export { preflightPlan, formatPreflightReport, PreflightFailedError, DEFAULT_PREFLIGHT_TIMEOUT } from './safety/index.js';
export type { PreflightCheck, PreflightOptions, PreflightReport, PreflightStatus } from './safety/index.js';
export { validatePlanFile, validateSchemaFile, formatReport, type ValidationReport } from './schema/validate.js';
export { isSqlSourcePath, loadSqlSource, checkSqlSource } from './sql/index.js';
export { resolveShadowUrl } from './config/target.js';
export type { NormalizeOptions } from './shadow/normalize.js';
export { closeIdleScratch } from './shadow/scratch.js';
export { applyToTarget, type TargetApplyOptions, type TargetApplyResult } from './apply/target.js';
export { runBackfill, DEFAULT_BATCH_SIZE, type BackfillOptions, type BackfillProgress } from './apply/backfill.js';
export { appliedBefore, findResume, type ResumePoint } from './apply/resume.js';
export { type SchemaState } from './apply/state.js';
export { catalogStamp } from './dialects/postgres/catalog-stamp.js';
export { invalidIndexesRemoved } from './apply/leftovers.js';
export { buildsIndex, watchIndexBuild, type IndexBuildProgress } from './apply/progress.js';
export { Ledger, DEFAULT_LEDGER_SCHEMA, type ApplyRecord, type StepRecord } from './apply/ledger.js';
export { LockBusyError, applyLockFree } from './apply/lock.js';
export { durationMs, isDuration } from './config/duration.js';
export { parseStatementTimeouts, STEP_KINDS, type StatementTimeouts, type StepKind } from './apply/timeouts.js';
export type { InitFlags, InitOutcome, InitRequest, ComposeResult } from './init/index.js';
import type { ComposeResult, InitOutcome, InitRequest } from './init/index.js';
// `lockplane init` is loaded when it runs: its prompts and YAML editor would
// add ~100 ms to the start-up of every other command.
type Init = typeof import('./init/index.js');
export const runInit = async (request: InitRequest): Promise<InitOutcome> => (await import('./init/index.js')).runInit(request);
export const addShadowToComposeFile = async (...args: Parameters<Init['addShadowToComposeFile']>): Promise<ComposeResult> =>
  (await import('./init/index.js')).addShadowToComposeFile(...args);
export { prepareShadow, reservedShadow, releaseShadow, loadReservedShadow, type PrepareOptions, type ReleaseResult } from './shadow/workflow.js';
export { handleOf, RESERVATION_FILE, type Reservation, type ShadowHandle } from './shadow/reservation.js';
export {
  isSqliteSpec,
  openSqlite,
  introspectSqlite,
  renderSqliteDdl,
  sqliteSchemaHash,
  loadSqliteSource,
  buildSqlitePlan,
  validateSqlitePlan,
  proveSqlitePlan,
  rollbackSqlitePlan,
  applySqlitePlan,
  SqliteStepFailedError,
  SQLITE_LEDGER_TABLE,
  type SqliteSession,
  type SqliteSource,
  type SqliteProof,
} from './dialects/sqlite/index.js';
export { renderAlembicRevision, newRevisionId, revisionFileName, alembicHead, offlineRollback, pythonString, type AlembicRevision, type OfflineRollback } from './export/index.js';
