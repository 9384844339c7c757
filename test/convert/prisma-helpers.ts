// Converting small Prisma schemas in tests: a PostgreSQL datasource is added
// unless the text has its own.
import assert from 'node:assert/strict';
import { convertPrismaText } from '../../src/convert/prisma/index.js';
import type { Schema, Table } from '../../src/schema/types.js';

export const DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n';

export function convert(models: string, file = 'schema.prisma'): Schema {
  return convertPrismaText(models.includes('datasource ') ? models : `${DATASOURCE}${models}`, file);
}

export function table(schema: Schema, name: string): Table {
  const found = schema.tables.find((t) => t.name === name);
  assert.ok(found, `table ${name}`);
  return found;
}

/** The converter's error for a schema: its message and exit code. */
export function failure(models: string): { message: string; exitCode: number } {
  try {
    convert(models);
  } catch (error) {
    const e = error as { message: string; exitCode?: number };
    return { message: e.message, exitCode: e.exitCode ?? -1 };
  }
  assert.fail('the conversion should have failed');
}
