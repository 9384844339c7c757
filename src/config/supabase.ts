// A Supabase project, recognized by its folder: `supabase/schemas/*.sql` (the
// Supabase CLI's declarative schemas) or `supabase/schema/*.sql` is the
// desired schema when no schema_path is configured, and the supabase preset
// applies unless a preset is configured (`preset = "none"` turns it off), so
// that auth, storage and the other platform schemas are never planned away.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const SUPABASE_SCHEMA_DIRS = ['supabase/schemas', 'supabase/schema'] as const;

function holdsSql(dir: string): boolean {
  try {
    // Top level only, like the SQL source reader.
    return readdirSync(dir).some((name) => name.toLowerCase().endsWith('.sql') && !name.startsWith('.'));
  } catch {
    return false;
  }
}

/** The Supabase schema folder under `projectDir` that holds .sql files, as written relative to it. */
export function supabaseSchemaDir(projectDir: string): string | undefined {
  return SUPABASE_SCHEMA_DIRS.find((dir) => holdsSql(join(projectDir, dir)));
}

/** `projectDir` is a Supabase project: supabase/config.toml, or a schema folder with SQL. */
export function isSupabaseProject(projectDir: string): boolean {
  return existsSync(join(projectDir, 'supabase', 'config.toml')) || supabaseSchemaDir(projectDir) !== undefined;
}
