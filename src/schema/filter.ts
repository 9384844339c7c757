// Which objects Lockplane manages: by namespace (`schemas`, `exclude_schemas`,
// presets) and by qualified-name glob (`include`, `exclude`). Objects outside
// the filter are neither introspected, planned, hashed, nor dropped; references
// to them (a foreign key to auth.users) are kept as written.
import { InputError } from '../errors.js';
import type { Schema, Sequence } from './types.js';
import { DEFAULT_NAMESPACE } from './types.js';

export interface SchemaFilter {
  /** Only these namespaces (lockplane.toml `schemas`); all user namespaces when absent. */
  schemas?: string[];
  /** Never these namespaces (`exclude_schemas`, and a preset's). */
  excludeSchemas?: string[];
  /** Globs over `schema.name`: when given, only objects matching one of them. */
  include?: string[];
  /** Globs over `schema.name`: objects matching one of them are left alone. */
  exclude?: string[];
  /**
   * The platform grants on the managed schemas and sets their default
   * privileges (a preset's): a desired schema is built on the database's own,
   * so the tables it creates get what the platform would give them.
   */
  platformPrivileges?: boolean;
}

/** Namespaces a platform owns, by preset name. */
export const PRESETS: Readonly<Record<string, readonly string[]>> = {
  // What Supabase creates and migrates itself: the Studio's list of schemas users
  // should not touch, plus its services' internal schemas and pg_cron/pgmq's.
  supabase: [
    '_analytics',
    '_realtime',
    '_supavisor',
    'auth',
    'cron',
    'extensions',
    'graphql',
    'graphql_public',
    'net',
    'pgbouncer',
    'pgmq',
    'pgsodium',
    'pgsodium_masks',
    'pgtle',
    'realtime',
    'storage',
    'supabase_functions',
    'supabase_migrations',
    'vault',
  ],
};

/** Presets whose platform owns the grants on the managed schemas and their default privileges (see seed.ts). */
export const PLATFORM_PRIVILEGE_PRESETS: ReadonlySet<string> = new Set(['supabase']);

/** Preset names; `none` turns a configured preset off (e.g. `--preset none`). */
export const PRESET_NAMES: readonly string[] = [...Object.keys(PRESETS), 'none'];

/** Why a preset name is refused, or undefined when it is known. */
export function presetProblem(name: string): string | undefined {
  return PRESET_NAMES.includes(name) ? undefined : `unknown preset ${JSON.stringify(name)} (known: ${PRESET_NAMES.join(', ')})`;
}

export function presetSchemas(name: string, where: string): readonly string[] {
  const problem = presetProblem(name);
  if (problem) throw new InputError(`${where}: ${problem}`);
  return PRESETS[name] ?? [];
}

interface CompiledGlob {
  schema: RegExp;
  name: RegExp;
}

/** Why a glob is refused, or undefined when it is a valid `SCHEMA.NAME` glob. */
export function globProblem(glob: string): string | undefined {
  const dot = glob.indexOf('.');
  if (dot <= 0 || dot === glob.length - 1) return `${JSON.stringify(glob)} is not a glob over a qualified name (SCHEMA.NAME, e.g. "public.tmp_*")`;
  const bad = /["[\]{}\\!]/.exec(glob);
  if (bad) return `${JSON.stringify(glob)} uses ${JSON.stringify(bad[0])}: only * (any run of characters) and ? (one character) are supported`;
  return undefined;
}

function partToRegExp(part: string): RegExp {
  const body = [...part].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 's');
}

/** `SCHEMA.NAME` (split at the first dot) as two anchored patterns; throws InputError naming `where` for a bad glob. */
export function compileGlob(glob: string, where = 'glob'): CompiledGlob {
  const problem = globProblem(glob);
  if (problem) throw new InputError(`${where}: ${problem}`);
  const dot = glob.indexOf('.');
  return { schema: partToRegExp(glob.slice(0, dot)), name: partToRegExp(glob.slice(dot + 1)) };
}

export function globMatches(glob: string, schema: string, name: string): boolean {
  const compiled = compileGlob(glob);
  return compiled.schema.test(schema) && compiled.name.test(name);
}

/** A filter compiled once: answers "is this namespace / object managed?". */
export class CompiledFilter {
  private readonly only?: ReadonlySet<string>;
  private readonly never: ReadonlySet<string>;
  private readonly include?: CompiledGlob[];
  private readonly exclude: CompiledGlob[];

  constructor(filter: SchemaFilter) {
    if (filter.schemas) this.only = new Set(filter.schemas);
    this.never = new Set(filter.excludeSchemas ?? []);
    if (filter.include) this.include = filter.include.map((g) => compileGlob(g, 'include'));
    this.exclude = (filter.exclude ?? []).map((g) => compileGlob(g, 'exclude'));
  }

  /** Nothing is filtered out by name (namespaces may still be). */
  get byNameOnly(): boolean {
    return this.include === undefined && this.exclude.length === 0;
  }

  /** The namespace may hold managed objects. */
  namespace(name: string): boolean {
    if (this.only && !this.only.has(name)) return false;
    if (this.never.has(name)) return false;
    return !this.include || this.include.some((g) => g.schema.test(name));
  }

  /** The object `schema.name` is managed. */
  object(schema: string | undefined, name: string): boolean {
    const ns = schema ?? DEFAULT_NAMESPACE;
    if (!this.namespace(ns)) return false;
    if (this.include && !this.include.some((g) => g.schema.test(ns) && g.name.test(name))) return false;
    return !this.exclude.some((g) => g.schema.test(ns) && g.name.test(name));
  }
}

export function isEmptyFilter(filter: SchemaFilter | undefined): boolean {
  return (
    !filter ||
    (filter.schemas === undefined && !filter.excludeSchemas?.length && filter.include === undefined && !filter.exclude?.length)
  );
}

/** Only the filter's fields of `options` (so it can be passed on without other keys). */
export function filterOf(options: SchemaFilter): SchemaFilter {
  const out: SchemaFilter = {};
  if (options.schemas) out.schemas = options.schemas;
  if (options.excludeSchemas?.length) out.excludeSchemas = options.excludeSchemas;
  if (options.include) out.include = options.include;
  if (options.exclude?.length) out.exclude = options.exclude;
  return out;
}

/**
 * The managed part of a schema: namespaces, tables, types, sequences, views and
 * functions the filter keeps (extensions by their namespace). What is kept is
 * kept whole: a foreign key, column type or policy that names an object left
 * out still names it.
 */
export function filterSchema(schema: Schema, filter: SchemaFilter): Schema {
  return isEmptyFilter(filter) ? schema : part(schema, new CompiledFilter(filter), true);
}

/** The rest: what the filter leaves out. */
export function leftOutOf(schema: Schema, filter: SchemaFilter): Schema {
  return isEmptyFilter(filter) ? { tables: [] } : part(schema, new CompiledFilter(filter), false);
}

function part(schema: Schema, f: CompiledFilter, managed: boolean): Schema {
  const keep = <T extends { schema?: string; name: string }>(items: T[] | undefined): T[] | undefined =>
    items?.filter((item) => f.object(item.schema, item.name) === managed);
  const tables = keep(schema.tables)!;
  const kept = new Set(tables.map((t) => `${t.schema ?? DEFAULT_NAMESPACE}.${t.name}`));
  const out: Schema = { ...schema, tables };
  if (schema.schemas) out.schemas = schema.schemas.filter((n) => f.namespace(n.name) === managed);
  if (schema.types) out.types = keep(schema.types)!;
  if (schema.views) out.views = keep(schema.views)!;
  if (schema.range_types) out.range_types = keep(schema.range_types)!;
  if (schema.functions) out.functions = keep(schema.functions)!;
  if (schema.sequences) {
    // A sequence owned by a column goes with its table.
    const owner = (s: Sequence): string | undefined => s.owned_by && `${s.owned_by.schema ?? s.schema ?? DEFAULT_NAMESPACE}.${s.owned_by.table}`;
    out.sequences = schema.sequences.filter((s) => {
      const table = owner(s);
      return table === undefined ? f.object(s.schema, s.name) === managed : kept.has(table);
    });
  }
  if (schema.extensions) out.extensions = schema.extensions.filter((e) => f.namespace(e.schema ?? DEFAULT_NAMESPACE) === managed);
  return out;
}
