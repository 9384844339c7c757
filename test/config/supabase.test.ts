// A Supabase project is recognized by its folder: its schema folder is the
// desired schema when none is configured, and the supabase preset applies
// unless one is configured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadConfigContext, resolveFilter, schemaPathSource } from '../../src/config/index.js';
import { tempTree } from './helpers.js';

test('supabase/schemas (or supabase/schema) with SQL is the desired schema when no schema_path is configured', () => {
  const cases: [Record<string, string>, string, { path: string; detected: boolean } | undefined][] = [
    [{ 'supabase/schemas/a.sql': 'select 1' }, '.', { path: 'supabase/schemas', detected: true }],
    [{ 'supabase/schema/a.sql': 'select 1' }, '.', { path: 'supabase/schema', detected: true }],
    [{ 'supabase/schemas/nested/a.sql': 'select 1' }, '.', undefined],
    [{ 'supabase/schemas/README.md': '', 'supabase/schema/': '' }, '.', undefined],
    [{ 'lockplane.toml': 'schema_path = "db"\n', 'supabase/schemas/a.sql': '' }, '.', { path: 'db', detected: false }],
    [{ 'lockplane.toml': '', 'supabase/schemas/a.sql': '', 'app/': '' }, 'app', { path: '../supabase/schemas', detected: true }],
  ];
  for (const [files, cwd, expected] of cases) {
    const t = tempTree(files);
    try {
      assert.deepEqual(schemaPathSource(loadConfigContext(join(t.dir, cwd), {})), expected, JSON.stringify(files));
    } finally {
      t.cleanup();
    }
  }
});

test('a Supabase project gets the supabase preset (and its platform privileges) unless a preset is configured', () => {
  const t = tempTree({ 'supabase/config.toml': 'project_id = "app"\n', 'lockplane.toml': '' });
  try {
    const { config } = loadConfigContext(t.dir, {});
    const found = resolveFilter(config, undefined, {}, t.dir);
    assert.ok(found.excludeSchemas?.includes('auth') && found.excludeSchemas.includes('storage'));
    assert.equal(found.platformPrivileges, true);
    assert.deepEqual(resolveFilter(config, undefined, { preset: 'none' }, t.dir), {});
    assert.deepEqual(resolveFilter(config, undefined, {}), {}, 'without a project directory, nothing is recognized');
  } finally {
    t.cleanup();
  }
});
