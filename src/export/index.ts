export { renderAlembicRevision, newRevisionId, revisionFileName, type AlembicRevision } from './alembic.js';
export { alembicHead } from './alembic-head.js';
export { offlineRollback, type OfflineRollback } from './reverse.js';
export { pythonString } from './python.js';
