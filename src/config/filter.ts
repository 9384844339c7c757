// The filter a command uses: each key from the flag, else the environment in
// use, else lockplane.toml's top level; a preset adds its namespaces to
// exclude_schemas.
import { PLATFORM_PRIVILEGE_PRESETS, presetSchemas, type SchemaFilter } from '../schema/filter.js';
import type { EnvironmentConfig, FilterSettings, ProjectConfig } from './file.js';
import { isSupabaseProject } from './supabase.js';

/** `projectDir`: where a Supabase project is recognized (supabase.ts), which makes `supabase` the default preset. */
export function resolveFilter(config: ProjectConfig | undefined, environment: EnvironmentConfig | undefined, flags: FilterSettings = {}, projectDir?: string): SchemaFilter {
  const pick = <K extends keyof FilterSettings>(key: K): FilterSettings[K] => flags[key] ?? environment?.[key] ?? config?.[key];
  const preset = pick('preset') ?? (projectDir !== undefined && isSupabaseProject(projectDir) ? 'supabase' : undefined);
  const where = flags.preset !== undefined ? '--preset' : 'preset';
  const excluded = [...(preset === undefined ? [] : presetSchemas(preset, where)), ...(pick('excludeSchemas') ?? [])];
  const filter: SchemaFilter = {};
  const schemas = pick('schemas');
  if (schemas) filter.schemas = schemas;
  if (excluded.length) filter.excludeSchemas = [...new Set(excluded)];
  const include = pick('include');
  if (include) filter.include = include;
  const exclude = pick('exclude');
  if (exclude?.length) filter.exclude = exclude;
  if (preset !== undefined && PLATFORM_PRIVILEGE_PRESETS.has(preset)) filter.platformPrivileges = true;
  return filter;
}
