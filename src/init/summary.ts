// What init is about to write (or wrote), for people: URLs without passwords.
import { redact } from '../errors.js';
import { DB_TYPE_LABELS, type EnvironmentSetup, type ShadowSetup } from './model.js';
import type { InitFilesPlan } from './files.js';
import { relative } from 'node:path';

export function describeShadow(shadow: ShadowSetup): string {
  switch (shadow.strategy) {
    case 'embedded':
      return 'embedded PGlite, in memory (nothing to set up)';
    case 'database':
      return `separate database ${redact(shadow.url)} (SHADOW_DATABASE_URL)`;
    case 'schema':
      return `schema ${shadow.schema} in the same database (SHADOW_SCHEMA)`;
    case 'file':
      return `file ${shadow.path} (SQLITE_SHADOW_DB_PATH)`;
  }
}

export function describeSetup(setup: EnvironmentSetup): string[] {
  const title = setup.description ? `${setup.name} (${setup.description})` : setup.name;
  return [
    title,
    `  database  ${DB_TYPE_LABELS[setup.dbType]}: ${redact(setup.databaseUrl)}${setup.authToken ? ' + LIBSQL_AUTH_TOKEN' : ''}`,
    `  shadow    ${describeShadow(setup.shadow)}`,
    `  schema    ${setup.schemaPath}/`,
  ];
}

export function describeFiles(plan: InitFilesPlan, cwd = process.cwd()): string[] {
  return [
    ...plan.writes.map((write) => `${write.action === 'create' ? 'create' : 'update'}  ${write.label}${write.mode === 0o600 ? '  (mode 0600)' : ''}`),
    ...plan.directories.map((dir) => `create  ${relative(cwd, dir) || dir}/`),
    ...plan.notes.map((note) => `note    ${note}`),
  ];
}

export function summaryText(setups: readonly EnvironmentSetup[], plan: InitFilesPlan, cwd = process.cwd()): string {
  return [...setups.flatMap(describeSetup), '', 'Files:', ...describeFiles(plan, cwd).map((line) => `  ${line}`)].join('\n');
}
