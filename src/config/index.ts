// Configuration: lockplane.toml + .env.NAME + process environment → the
// database and settings a command uses. See README "Configuration".
export { CONFIG_FILE_NAME, PROJECT_ROOT_MARKERS, findConfigFile } from './discover.js';
export { envFileName, envFilePath, parseEnvText, readEnvFile, type EnvValues } from './env-file.js';
export {
  knownEnvironments,
  loadConfigFile,
  parseConfig,
  type Dialect,
  type EnvironmentConfig,
  type FilterSettings,
  type ProjectConfig,
} from './file.js';
export { resolveFilter } from './filter.js';
export { isSupabaseProject, supabaseSchemaDir, SUPABASE_SCHEMA_DIRS } from './supabase.js';
export { ledgerSchemaProblem } from '../dialects/postgres/introspect/scope.js';
export { locateKey, type Position } from './locate.js';
export {
  kindOfUrl,
  resolveDatabase,
  resolveShadow,
  schemaPathFor,
  schemaPathSource,
  selectEnvironment,
  type ConfigContext,
  type DatabaseKind,
  type DatabaseRequest,
  type ResolvedDatabase,
  type ShadowSettings,
} from './database.js';
export { EMBEDDED_DATABASE_PATH, EMBEDDED_DATABASE_URL, resolveShadowUrl, resolveTarget, type ResolvedTarget } from './target.js';

import { findConfigFile } from './discover.js';
import { loadConfigFile } from './file.js';
import type { ConfigContext } from './database.js';

/** Finds and loads lockplane.toml for `cwd` (none is fine) and pairs it with the process environment. */
export function loadConfigContext(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): ConfigContext {
  const path = findConfigFile(cwd);
  return { config: path ? loadConfigFile(path, cwd) : undefined, env, cwd };
}
