// A database source: the schema introspected from a URL. Apart from the file
// sources (sources.ts) because it needs only introspection: a command that
// reads databases connects before the planner, the safety checks and the
// shadow machinery have loaded (~100 modules), and loads them while the
// server answers.
import { introspect, unmodelledWarning, type UnmodelledObject } from '../dialects/postgres/introspect.js';
import { connect } from '../dialects/postgres/session.js';
import { serverVersionNum } from '../dialects/postgres/locks.js';
import { filterOf, type SchemaFilter } from '../schema/filter.js';
import type { Schema } from '../schema/types.js';

export type SourceKind = 'json' | 'sql' | 'database';

export interface LoadedSource {
  kind: SourceKind;
  /** What to print: the path, or the URL without its password. */
  label: string;
  schema: Schema;
  /** server_version_num of a database source (what the lock analysis assumes for it). */
  serverVersion?: number;
}

export function isDatabaseUrl(spec: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec.trim());
}

export interface DatabaseSourceOptions extends SchemaFilter {
  /** Told (once per database source) what Lockplane does not model there. */
  onWarning?: (message: string) => void;
  /** Called once connected, before the catalog is read. */
  onConnected?: () => void;
}

export async function loadDatabaseSource(url: string, options: DatabaseSourceOptions = {}): Promise<LoadedSource> {
  const session = await connect(url);
  options.onConnected?.();
  try {
    const warn = options.onWarning;
    const schema = await introspect(session, {
      ...filterOf(options),
      ...(warn ? { onUnmodelled: (objects: UnmodelledObject[]) => { const w = unmodelledWarning(objects); if (w) warn(`${session.description}: ${w}`); } } : {}),
    });
    return { kind: 'database', label: session.description, schema, serverVersion: await serverVersionNum(session) };
  } finally {
    await session.close();
  }
}
