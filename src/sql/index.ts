// SQL sources: the public surface of src/sql/.
export {
  checkSqlSource,
  formatDiagnostic,
  formatLocation,
  isSqlSourcePath,
  loadSqlSource,
  locate,
  locateInStatement,
  parseSqlText,
  readSqlSource,
  sqlSourceFiles,
  SqlSourceError,
} from './source.js';
export type { SourceLocation, SqlDiagnostic, SqlStatement } from './source.js';
export { classify } from './declarative.js';
