// The SQLite / libSQL dialect: what the CLI and library use when a database,
// source or plan is SQLite. Same pipeline as Postgres (load → plan → prove →
// apply), behind these functions.
export { isSqliteSpec, locate } from './connection.js';
export { openSqlite, type SqliteSession } from './session.js';
export { introspectSqlite } from './introspect.js';
export { renderSqliteDdl } from './render.js';
export { sqliteSchemaHash } from './hash.js';
export { loadSqliteSource, type SqliteSource, type SqliteSourceOptions } from './sources.js';
export { buildSqlitePlan } from './plan/build.js';
export { validateSqlitePlan } from './validate.js';
export { proveSqlitePlan, rollbackSqlitePlan, type SqliteProof } from './prove.js';
export { applySqlitePlan, SqliteStepFailedError, type SqliteApplyOptions, type SqliteApplyResult } from './apply.js';
export { SQLITE_LEDGER_TABLE } from './ledger-name.js';
export { listSqliteApplies, latestApplyOfPlan } from './ledger.js';
export { openShadow as openSqliteShadow } from './shadow.js';
